/**
 * The wire shapes the dashboard reads. They are the CLI's (both are clients of the same public
 * API, Auth0's Management API v2 for actions plus Hookchain's logs), so one definition follows
 * the API; only what the dashboard alone sends is declared here.
 */
import type { BuildStatus, Dependency, TriggerRef } from '../../../cli/api-types.ts';

export type {
  Action,
  ActionList,
  ActionRunLog,
  ActionVersion,
  Binding,
  BindingInput,
  BuildStatus,
  Dependency,
  Execution,
  ExecutionResult,
  LogLine,
  LogPage,
  LogQuery as LogFilters,
  TestOutcome,
  TriggerRef,
  VersionList,
} from '../../../cli/api-types.ts';

/** `PATCH /actions/{id}`: a secret without `value` keeps its stored value; one left out is removed. */
export interface ActionUpdate {
  name?: string;
  code?: string;
  dependencies?: Dependency[];
  secrets?: Array<{ name: string; value?: string }>;
  supported_triggers?: TriggerRef[];
  runtime?: string;
}

/** Build states in which the draft is still on its way to `built` or `failed`. */
export const BUILDING_STATES: readonly BuildStatus[] = ['pending', 'building', 'packaged', 'retrying'];
