/**
 * Actions Modules: shared code with its own secrets and npm dependencies. The module item is the
 * draft; publishing snapshots it into an immutable version that actions pin by id.
 */
import type { Dependency, StoredSecrets } from './actions.ts';

export interface ModuleRecord {
  tenant_id: string;
  id: string;
  /** Unique per tenant and never changed: code requires it as `actions:<name>`. */
  name: string;
  code: string;
  dependencies: Dependency[];
  secrets: StoredSecrets;
  api_version: string;
  /** Bumped by every draft change, so a publish can tell whether the draft moved since. */
  draft_revision: number;
  /** The draft revision the latest version was published from: equal means all changes are published. */
  published_revision?: number;
  /** Atomic counter handing out version numbers. */
  version_counter: number;
  latest_version?: { id: string; version_number: number; created_at: string };
  created_at: string;
  updated_at: string;
}

export interface ModuleVersionRecord {
  tenant_id: string;
  module_id: string;
  id: string;
  version_number: number;
  /** Copied so a version can be resolved without reading the module item. */
  module_name: string;
  code: string;
  dependencies: Dependency[];
  secrets: StoredSecrets;
  api_version: string;
  created_at: string;
}
