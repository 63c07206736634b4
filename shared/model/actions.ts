/** What Hookchain stores about actions: drafts, immutable versions, flows (tenants and tokens: tenants.ts). */
import type { TriggerId } from '../triggers/ids.ts';

export type BuildStatus = 'pending' | 'building' | 'packaged' | 'built' | 'retrying' | 'failed';

export interface TriggerRef {
  id: TriggerId;
  version: string;
}

export interface Dependency {
  name: string;
  version: string;
  registry_url?: string;
}

/** Semver without ranges or tags: installs the same package today and tomorrow. */
export const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export interface BuildError {
  id: string;
  msg: string;
  url?: string;
}

export interface SecretName {
  name: string;
  updated_at: string;
}

/** Secret values live only in `ciphertext` (one encrypted JSON object); names are public. */
export interface StoredSecrets {
  names: SecretName[];
  ciphertext: string | null;
}

/** An Actions Module version an action pins, as Auth0 shows it in `modules`. */
export interface ModuleRef {
  module_id: string;
  module_name: string;
  module_version_id: string;
  module_version_number: number;
}

/** A pinned module as the live pointer carries it: with its encrypted secrets (`actions.secrets`). */
export interface DeployedModule extends ModuleRef {
  secrets_ciphertext: string | null;
}

/** The catalog release an installed integration's draft or version runs. */
export interface IntegrationLink {
  integration_id: string;
  release_id: string;
  /** The release's number in the catalog (1, 2, ...). */
  version: number;
}

/** The live version an action serves, switched in one conditional write on deploy or rollback. */
export interface DeployedPointer {
  version_id: string;
  number: number;
  function_name: string;
  deployed_at: string;
  /** The version's encrypted secrets, so the dispatcher needs no extra read to run it. */
  secrets_ciphertext: string | null;
  /** The modules the version pins, with their secrets: still no extra read on the hot path. */
  modules?: DeployedModule[];
  /** An installed integration's configuration (plain text, `event.configuration`). */
  configuration?: Record<string, string>;
}

export interface ActionRecord {
  tenant_id: string;
  id: string;
  name: string;
  supported_triggers: TriggerRef[];
  code: string;
  runtime: string;
  dependencies: Dependency[];
  secrets: StoredSecrets;
  status: BuildStatus;
  errors: BuildError[];
  built_at?: string;
  /** Bumped by every draft change; a build only lands if the revision it built is still current. */
  draft_revision: number;
  /** The draft revision the live version was snapshotted from: equal means all changes are deployed. */
  deployed_revision?: number;
  draft_function?: string;
  deployed?: DeployedPointer;
  /** Set by `create` with `deploy: true`: the builder deploys this revision once it is built. */
  deploy_on_build?: number;
  /** Atomic counter handing out version numbers. */
  version_counter: number;
  /** Module versions the draft pins (absent on actions stored before modules existed). */
  modules?: ModuleRef[];
  /** Set on actions created by installing a catalog integration; their code is never shown. */
  installed_integration_id?: string;
  integration?: IntegrationLink;
  /** An installed integration's configuration values (plain text, validated on write). */
  configuration?: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface VersionRecord {
  tenant_id: string;
  action_id: string;
  id: string;
  number: number;
  code: string;
  runtime: string;
  dependencies: Dependency[];
  secrets: StoredSecrets;
  supported_triggers: TriggerRef[];
  status: BuildStatus;
  errors: BuildError[];
  function_name: string;
  source_revision: number;
  /** Its function was deleted (not live, past the warm window); the record and code remain. */
  function_pruned?: boolean;
  modules?: ModuleRef[];
  integration?: IntegrationLink;
  configuration?: Record<string, string>;
  built_at?: string;
  created_at: string;
  updated_at: string;
}

export interface BindingRecord {
  id: string;
  action_id: string;
  display_name: string;
  created_at: string;
  updated_at: string;
}

/** One item per tenant and trigger: the ordered chain, replaced whole by a bindings PATCH. */
export interface FlowRecord {
  tenant_id: string;
  trigger_id: TriggerId;
  bindings: BindingRecord[];
  revision: number;
  updated_at: string;
}
