/** The wire shapes the dashboard reads: Auth0 Management API v2 (actions) plus Hookchain's additions. */

export type BuildStatus = 'pending' | 'building' | 'built' | 'failed';

export interface TriggerRef {
  id: string;
  version: string;
}

export interface Dependency {
  name: string;
  version: string;
}

export interface SecretName {
  name: string;
  updated_at?: string;
}

export interface BuildError {
  id?: string;
  msg: string;
  url?: string;
}

export interface ActionVersion {
  id: string;
  action_id: string;
  number: number;
  code?: string;
  dependencies?: Dependency[];
  runtime?: string;
  secrets?: SecretName[];
  status: BuildStatus;
  errors?: BuildError[];
  deployed: boolean;
  built_at?: string;
  created_at: string;
  updated_at: string;
}

export interface Action {
  id: string;
  name: string;
  supported_triggers: TriggerRef[];
  all_changes_deployed: boolean;
  created_at: string;
  updated_at: string;
  code?: string;
  dependencies: Dependency[];
  runtime: string;
  secrets: SecretName[];
  status: BuildStatus;
  errors?: BuildError[];
  built_at?: string;
  deployed_version?: ActionVersion;
  installed_integration_id?: string;
}

export interface ActionList {
  actions: Action[];
  total: number;
  page: number;
  per_page: number;
}

export interface VersionList {
  versions: ActionVersion[];
  total: number;
  page: number;
  per_page: number;
}

export interface Binding {
  id: string;
  trigger_id: string;
  display_name: string;
  action: Action;
  created_at: string;
  updated_at: string;
}

export interface ActionUpdate {
  name?: string;
  code?: string;
  dependencies?: Dependency[];
  /** A secret without `value` keeps its stored value; a stored secret left out is removed. */
  secrets?: Array<{ name: string; value?: string }>;
  supported_triggers?: TriggerRef[];
  runtime?: string;
}

export interface LoggedLine {
  level: string;
  message: string;
  at: string;
}

export interface TestResult {
  payload: {
    status: string;
    result?: unknown;
    commands: Array<Record<string, unknown>>;
    logs: LoggedLine[];
    error?: { name: string; message: string; stack?: string };
    stats: Record<string, number>;
  };
}

export interface ExecutionResult {
  action_name: string;
  action_id: string;
  version_id?: string;
  error: { id: string; msg: string; url: string } | null;
  started_at: string;
  ended_at: string;
  response: {
    error?: { name: string; message: string };
    stats: Record<string, number>;
  };
}

export interface Execution {
  id: string;
  trigger_id: string;
  status: string;
  results: ExecutionResult[];
  attempts?: number;
  created_at: string;
  updated_at: string;
}

/** One log event per action run (Hookchain's logs API). */
export interface ActionRunLog {
  trigger_id: string;
  execution_id: string;
  action_id: string;
  action_name: string;
  version_id?: string;
  level: 'info' | 'error';
  message: string;
  duration_ms: number;
  logs: LoggedLine[];
  error?: { class: string; name: string; message: string };
  timestamp: number;
}

export interface LogPage {
  logs: ActionRunLog[];
  next_token?: string;
}

export interface LogFilters {
  action?: string;
  trigger?: string;
  execution?: string;
  since?: number;
  limit?: number;
  next_token?: string;
}
