/**
 * The wire shapes of Hookchain's HTTP API (Auth0's Management API v2 for actions, plus the trigger,
 * logs and operator endpoints), declared once. The server's views are checked against these with
 * `satisfies`, and the CLI and the dashboard read them through the client in this folder.
 * Optional fields are ones the server leaves out in some answers.
 */

export interface TriggerRef {
  id: string;
  version: string;
}

export interface Dependency {
  name: string;
  version: string;
  registry_url?: string;
}

export interface SecretName {
  name: string;
  updated_at?: string;
}

/** An Actions Module version an action pins. */
export interface ModulePin {
  module_id: string;
  module_name: string;
  module_version_id: string;
  module_version_number: number;
}

export interface BuildError {
  id: string;
  msg: string;
  url?: string;
}

export type BuildStatus = 'pending' | 'building' | 'packaged' | 'built' | 'retrying' | 'failed';

/** Build states in which a draft or version is still on its way to `built` or `failed`. */
export const BUILDING_STATES: readonly BuildStatus[] = ['pending', 'building', 'packaged', 'retrying'];

/** What every view of an action starts with (a version carries it as `action`). */
export interface ActionSummary {
  id: string;
  name: string;
  supported_triggers: TriggerRef[];
  all_changes_deployed: boolean;
  created_at: string;
  updated_at: string;
}

export interface ActionVersion {
  id: string;
  action_id: string;
  number: number;
  /** Absent for an installed integration: its code is closed. */
  code?: string;
  dependencies?: Dependency[];
  runtime?: string;
  secrets?: SecretName[];
  supported_triggers?: TriggerRef[];
  modules?: ModulePin[];
  status: BuildStatus;
  errors?: BuildError[];
  deployed: boolean;
  built_at?: string;
  created_at: string;
  updated_at: string;
  action?: ActionSummary;
}

/** An action's live version in list answers: a summary, the full version in single reads. */
export type DeployedVersion = Pick<ActionVersion, 'id' | 'number' | 'deployed' | 'status' | 'created_at'> &
  Partial<ActionVersion>;

export interface Action extends ActionSummary {
  /** Absent for an installed integration: its code is closed. */
  code?: string;
  dependencies: Dependency[];
  runtime: string;
  secrets: SecretName[];
  modules?: ModulePin[];
  status: BuildStatus;
  errors?: BuildError[];
  built_at?: string;
  deployed_version?: DeployedVersion;
  /** Present on marketplace installs, which actions as code leaves alone (as the Deploy CLI does). */
  integration?: InstalledIntegration;
  installed_integration_id?: string;
  configuration?: Record<string, string>;
}

/** Auth0's offset pages: `page` from 0, `per_page` at most 100, and the `total`. */
export interface Paged {
  total: number;
  page: number;
  per_page: number;
}

export interface ActionList extends Paged {
  actions: Action[];
}

export interface VersionList extends Paged {
  versions: ActionVersion[];
}

/** A module pin in a request: by id, or by name and version number. */
export type ModuleRef =
  | Pick<ModulePin, 'module_id' | 'module_version_id'>
  | Pick<ModulePin, 'module_name' | 'module_version_number'>;

/** `POST /actions/actions`. (Types, not interfaces, so they are plain JSON records.) */
export type ActionCreate = {
  name: string;
  supported_triggers: TriggerRef[];
  code?: string;
  runtime?: string;
  dependencies?: Dependency[];
  secrets?: Array<{ name: string; value: string }>;
  modules?: ModuleRef[];
  /** Deploy version 1 at once. */
  deploy?: boolean;
};

/** `PATCH /actions/{id}`: a secret without `value` keeps its stored value; one left out is removed. */
export type ActionUpdate = {
  name?: string;
  code?: string;
  dependencies?: Dependency[];
  secrets?: Array<{ name: string; value?: string }>;
  supported_triggers?: TriggerRef[];
  runtime?: string;
  modules?: ModuleRef[];
  /** Installed integrations only: values for the fields their release declares. */
  configuration?: Record<string, string>;
};

export interface Binding {
  id: string;
  trigger_id: string;
  display_name: string;
  action: Action;
  created_at: string;
  updated_at: string;
}

export interface BindingList {
  total?: number;
  bindings: Binding[];
}

export interface BindingInput {
  ref: { type: 'action_name' | 'action_id'; value: string };
  display_name?: string;
}

export interface TriggerInfo {
  id: string;
  version: string;
  status: string;
  runtimes?: string[];
  default_runtime?: string;
  compatible_triggers?: TriggerRef[];
  binding_policy?: string;
}

export interface ActionError {
  name?: string;
  message: string;
  class?: string;
  stack?: string;
}

export interface LogLine {
  level: string;
  message: string;
  at: string;
}

export type ExecutionStatus = 'final' | 'denied' | 'suspended' | 'failed' | 'pending' | 'partial' | string;

/** `POST /triggers/{trigger}/execute`: 200 with the outcome, or 202 for async triggers. */
export interface TriggerOutcome {
  execution_id: string;
  status: ExecutionStatus;
  result?: Record<string, unknown>;
  error?: ActionError & { action_name?: string };
}

/** `POST /actions/{id}/test`. */
export interface TestOutcome {
  payload: {
    status: ExecutionStatus;
    result?: Record<string, unknown>;
    commands: unknown[];
    logs: LogLine[];
    error?: ActionError;
    stats?: Record<string, number>;
  };
}

export interface ExecutionResult {
  action_name: string;
  action_id?: string;
  version_id?: string;
  error: { id: string; msg: string; url?: string } | null;
  started_at: string;
  ended_at: string;
  response?: { error?: { name: string; message: string }; stats?: Record<string, number> };
}

export interface Execution {
  id: string;
  trigger_id: string;
  status: ExecutionStatus;
  results: ExecutionResult[];
  attempts?: number;
  created_at: string;
  updated_at: string;
}

/** One action run in the tenant's logs (`GET /actions/logs`). */
export interface ActionRunLog {
  tenant_id: string;
  trigger_id: string;
  execution_id: string;
  action_id: string;
  action_name: string;
  version_id?: string;
  entrypoint: string;
  level: 'info' | 'error';
  message: string;
  duration_ms: number;
  logs: LogLine[];
  error?: { class: string; name: string; message: string };
  /** Epoch ms of the action's start. */
  timestamp: number;
}

/** `GET /actions/logs`: the API filters by action name, trigger and execution. */
export type LogQuery = {
  action?: string;
  trigger?: string;
  execution?: string;
  /** Epoch milliseconds. */
  since?: number;
  limit?: number;
  next_token?: string;
};

export interface LogPage {
  logs: ActionRunLog[];
  next_token?: string;
  /** Seconds before asking again: the server's read quota is spent and this page may be short. */
  retry_after?: number;
}

export interface Tenant {
  id: string;
  name: string;
  created_at: string;
}

export interface TokenInfo {
  id: string;
  tenant_id: string;
  name: string;
  scopes: string[];
  created_at: string;
  /** ISO-8601; absent for a token that never expires. */
  expires_at?: string;
  /** Only in the answer that issued it. */
  token?: string;
}

export interface ModuleVersion {
  id: string;
  module_id: string;
  version_number: number;
  code: string;
  dependencies: Dependency[];
  secrets: SecretName[];
  created_at: string;
}

/** An Actions Module's draft (`GET /actions/modules/{id}`). */
export interface Module {
  id: string;
  name: string;
  code: string;
  dependencies: Dependency[];
  secrets: SecretName[];
  api_version?: string;
  actions_using_module_total: number;
  all_changes_published: boolean;
  latest_version_number: number;
  /** The full latest version in single reads, a summary in lists. */
  latest_version?: Pick<ModuleVersion, 'id' | 'version_number' | 'created_at'> & Partial<ModuleVersion>;
  created_at: string;
  updated_at: string;
}

/** An action pinning a module (`GET /actions/modules/{id}/actions`). */
export interface ModuleUse {
  action_id: string;
  action_name: string;
  module_version_id: string;
  module_version_number: number;
  supported_triggers: TriggerRef[];
}

/** A secret or configuration field an integration release declares (Auth0's `IntegrationRequiredParam`). */
export interface IntegrationParam {
  type?: string;
  name: string;
  required: boolean;
  optional?: boolean;
  label?: string;
  description?: string;
  default_value?: string;
  options?: Array<{ value: string; label: string }>;
}

export interface IntegrationRelease {
  id: string;
  version: number;
  trigger?: TriggerRef;
  semver?: { major: number; minor: number };
  runtime: string;
  dependencies: Dependency[];
  required_secrets: IntegrationParam[];
  required_configuration: IntegrationParam[];
  notes?: string;
  created_at: string;
}

/** How a catalog entry is listed (Auth0's `Integration` without its releases). */
export interface IntegrationListing {
  id: string;
  catalog_id?: string;
  url_slug?: string;
  partner_id?: string;
  name: string;
  description?: string;
  short_description?: string;
  feature_type?: string;
}

/** A catalog entry (`GET /hookchain/integrations/{id}`). */
export interface Integration extends IntegrationListing {
  supported_triggers: TriggerRef[];
  latest_version: number;
  current_release?: IntegrationRelease;
  created_at: string;
  updated_at: string;
}

/** An installed action's `integration`: the release it runs and the catalog's latest. */
export interface InstalledIntegration extends IntegrationListing {
  version: number;
  latest_version: number;
  upgrade_available: boolean;
  current_release?: Pick<IntegrationRelease, 'id' | 'version' | 'trigger' | 'semver'>;
  created_at?: string;
  updated_at?: string;
}
