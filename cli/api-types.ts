/** The wire shapes the CLI reads from the management and trigger APIs (only the fields it uses). */

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
}

export type BuildStatus = 'pending' | 'building' | 'packaged' | 'built' | 'retrying' | 'failed';

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
  code: string;
  dependencies: Dependency[];
  runtime: string;
  secrets: SecretName[];
  modules?: ModulePin[];
  status: BuildStatus;
  errors?: BuildError[];
  built_at?: string;
  deployed_version?: Pick<ActionVersion, 'id' | 'number' | 'deployed' | 'status' | 'created_at'> &
    Partial<ActionVersion>;
  created_at: string;
  updated_at: string;
  /** Present on marketplace installs, which actions as code leaves alone (as the Deploy CLI does). */
  integration?: InstalledIntegration;
  installed_integration_id?: string;
  configuration?: Record<string, string>;
}

export interface ActionList {
  total: number;
  page: number;
  per_page: number;
  actions: Action[];
}

export interface VersionList {
  total: number;
  page: number;
  per_page: number;
  versions: ActionVersion[];
}

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
  error: { id: string; msg: string } | null;
  started_at: string;
  ended_at: string;
  response?: { stats?: Record<string, number> };
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

/** `GET /actions/logs`: the API filters by action name, trigger and execution. (A type, not an
 * interface, so it is a plain query-string record.) */
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
  latest_version?: { id: string; version_number: number; created_at: string } & Partial<ModuleVersion>;
  created_at: string;
  updated_at: string;
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

/** An action pinning a module (`GET /actions/modules/{id}/actions`). */
export interface ModuleUse {
  action_id: string;
  action_name: string;
  module_version_id: string;
  module_version_number: number;
  supported_triggers: TriggerRef[];
}

/** A secret or configuration field an integration release declares. */
export interface IntegrationParam {
  name: string;
  required: boolean;
  label?: string;
  description?: string;
  default_value?: string;
  options?: Array<{ value: string; label: string }>;
}

export interface IntegrationRelease {
  id: string;
  version: number;
  trigger?: TriggerRef;
  runtime: string;
  dependencies: Dependency[];
  required_secrets: IntegrationParam[];
  required_configuration: IntegrationParam[];
  notes?: string;
  created_at: string;
}

/** A catalog entry (`GET /hookchain/integrations/{id}`). */
export interface Integration {
  id: string;
  name: string;
  partner_id?: string;
  description?: string;
  short_description?: string;
  supported_triggers: TriggerRef[];
  latest_version: number;
  current_release?: IntegrationRelease;
  created_at: string;
  updated_at: string;
}

/** An installed action's `integration`. */
export interface InstalledIntegration {
  id: string;
  name: string;
  version: number;
  latest_version: number;
  upgrade_available: boolean;
}
