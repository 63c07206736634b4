/**
 * Repository interfaces: what the platform needs from storage, in its own words. The DynamoDB
 * adapter implements them with single-item conditional writes only (no transactions), so the
 * same code runs on DynamoDB, DynamoDB Local and dynalite.
 *
 * Consistency: every read here is strongly consistent (ConsistentRead). Nearly every read follows
 * a write it must see: the builder reads the draft the management API just wrote, a
 * read-modify-write reads what it will condition on, an Auth0 client GETs what it just created,
 * the dispatcher's cache miss must see the deploy or bindings change before it. An eventually
 * consistent read may answer the item as it was before that write (or not at all), and the few
 * reads where that would be harmless are not hot enough to be worth the trap. The exceptions are
 * the listings through gsi1 (`tenants.list`, `tokens.listForTenant`, `integrations.list`): a GSI
 * is only ever eventually consistent, so a just-written item may be missing from them for a moment.
 */
import type {
  ActionRecord,
  BindingRecord,
  BuildError,
  BuildStatus,
  Dependency,
  DeployedPointer,
  FlowRecord,
  VersionRecord,
} from '../model/actions.ts';
import type { ContinueStateRecord, ExecutionRecord } from '../model/executions.ts';
import type { IntegrationRecord, IntegrationReleaseRecord } from '../model/integrations.ts';
import type { ModuleRecord, ModuleVersionRecord } from '../model/modules.ts';
import type { TenantRecord, TokenRecord } from '../model/tenants.ts';
import type { TriggerId } from '../triggers/ids.ts';

export interface TenantStore {
  create(tenant: TenantRecord): Promise<void>;
  get(id: string): Promise<TenantRecord | undefined>;
  list(): Promise<TenantRecord[]>;
}

export interface TokenStore {
  put(token: TokenRecord): Promise<void>;
  find(hash: string): Promise<TokenRecord | undefined>;
  listForTenant(tenantId: string): Promise<TokenRecord[]>;
  delete(hash: string): Promise<void>;
}

export type DraftChanges = Partial<
  Pick<
    ActionRecord,
    | 'name'
    | 'supported_triggers'
    | 'code'
    | 'runtime'
    | 'dependencies'
    | 'secrets'
    | 'modules'
    | 'configuration'
    | 'integration'
    | 'deploy_on_build'
  >
>;

export interface BuildOutcome {
  status: BuildStatus;
  errors?: BuildError[];
  built_at?: string;
  draft_function?: string;
  /** Exact versions the build resolved, pinned into the draft. */
  dependencies?: Dependency[];
}

export interface ActionStore {
  /** Claims the name and writes the action; ConflictError if the name is taken. */
  create(action: ActionRecord): Promise<void>;
  get(tenantId: string, actionId: string): Promise<ActionRecord | undefined>;
  findByName(tenantId: string, name: string): Promise<ActionRecord | undefined>;
  /** One BatchGetItem: the dispatcher's second (and last) read on a cache miss. */
  getMany(tenantId: string, actionIds: readonly string[]): Promise<Map<string, ActionRecord>>;
  list(tenantId: string): Promise<ActionRecord[]>;
  /** Applies a draft change if the draft is still at `expectedRevision`; bumps it and resets the build. */
  updateDraft(
    tenantId: string,
    actionId: string,
    expectedRevision: number,
    changes: DraftChanges,
  ): Promise<ActionRecord>;
  /** Records a build's outcome only if the draft was not changed since `revision` was built. */
  recordBuild(tenantId: string, actionId: string, revision: number, outcome: BuildOutcome): Promise<boolean>;
  /** Atomically hands out the next version number. */
  nextVersionNumber(tenantId: string, actionId: string): Promise<number>;
  /** Points the action at a version unless a newer one is already live; returns whether it switched. */
  cutOver(
    tenantId: string,
    actionId: string,
    pointer: DeployedPointer,
    sourceRevision: number,
  ): Promise<boolean>;
  delete(tenantId: string, action: ActionRecord): Promise<void>;
}

export interface VersionStore {
  put(version: VersionRecord): Promise<void>;
  get(tenantId: string, actionId: string, versionId: string): Promise<VersionRecord | undefined>;
  /** Newest first. */
  list(tenantId: string, actionId: string): Promise<VersionRecord[]>;
  update(
    tenantId: string,
    actionId: string,
    number: number,
    changes: Partial<
      Pick<VersionRecord, 'status' | 'errors' | 'built_at' | 'dependencies' | 'function_pruned'>
    >,
  ): Promise<void>;
  delete(tenantId: string, actionId: string, number: number): Promise<void>;
}

export type ModuleDraftChanges = Partial<Pick<ModuleRecord, 'code' | 'dependencies' | 'secrets'>>;

export interface ModuleStore {
  /** Claims the name and writes the module; ConflictError if the name is taken. */
  create(module: ModuleRecord): Promise<void>;
  get(tenantId: string, moduleId: string): Promise<ModuleRecord | undefined>;
  list(tenantId: string): Promise<ModuleRecord[]>;
  /** Applies a draft change if the draft is still at `expectedRevision`, bumping it. */
  updateDraft(
    tenantId: string,
    moduleId: string,
    expectedRevision: number,
    changes: ModuleDraftChanges,
  ): Promise<ModuleRecord>;
  /** Atomically hands out the next version number. */
  nextVersionNumber(tenantId: string, moduleId: string): Promise<number>;
  /** Records a published version as the latest, unless a newer one already is. */
  recordPublished(
    tenantId: string,
    moduleId: string,
    latest: NonNullable<ModuleRecord['latest_version']>,
    sourceRevision: number,
  ): Promise<void>;
  delete(tenantId: string, module: ModuleRecord): Promise<void>;
}

export interface ModuleVersionStore {
  put(version: ModuleVersionRecord): Promise<void>;
  get(tenantId: string, moduleId: string, versionId: string): Promise<ModuleVersionRecord | undefined>;
  /** Newest first. */
  list(tenantId: string, moduleId: string): Promise<ModuleVersionRecord[]>;
  delete(tenantId: string, moduleId: string, number: number): Promise<void>;
}

/** The integration catalog: global, written by operators, read by every tenant. */
export interface IntegrationStore {
  /** Creates the catalog entry; ConflictError if one of that id exists. */
  create(integration: IntegrationRecord): Promise<void>;
  get(integrationId: string): Promise<IntegrationRecord | undefined>;
  list(): Promise<IntegrationRecord[]>;
  /** Atomically hands out the next release number. */
  nextReleaseNumber(integrationId: string): Promise<number>;
  /** Records a release as the latest (and refreshes the listing), unless a newer one already is. */
  recordRelease(
    integrationId: string,
    latest: NonNullable<IntegrationRecord['latest_release']>,
    listing: Pick<IntegrationRecord, 'display_name' | 'description' | 'short_description' | 'partner'>,
  ): Promise<void>;
  putRelease(release: IntegrationReleaseRecord): Promise<void>;
  getRelease(integrationId: string, version: number): Promise<IntegrationReleaseRecord | undefined>;
  /** Newest first. */
  listReleases(integrationId: string): Promise<IntegrationReleaseRecord[]>;
}

export interface FlowStore {
  get(tenantId: string, triggerId: TriggerId): Promise<FlowRecord>;
  list(tenantId: string): Promise<FlowRecord[]>;
  /** Replaces the chain if the flow is still at `expectedRevision` (0 for a flow never written). */
  replace(
    tenantId: string,
    triggerId: TriggerId,
    expectedRevision: number,
    bindings: BindingRecord[],
  ): Promise<FlowRecord>;
}

/** A delivery's lease on an async execution: who holds it, and until when (epoch ms). */
export interface ExecutionLease {
  holder: string;
  now: number;
  until: number;
}

/** What claiming an async execution found. */
export type ExecutionClaim =
  /** This delivery holds the lease (the delivery attempt is counted): run the chain. */
  | { outcome: 'claimed'; execution: ExecutionRecord }
  /** Another delivery holds a live lease until `until` (epoch ms): it is running the chain. */
  | { outcome: 'held'; until: number }
  /** Nothing to run: finished, missing, expired, or another tenant's. */
  | { outcome: 'done' };

export interface ExecutionStore {
  put(execution: ExecutionRecord): Promise<void>;
  /** Undefined when missing, expired, or another tenant's. */
  get(tenantId: string, executionId: string, nowSeconds: number): Promise<ExecutionRecord | undefined>;
  /**
   * Takes the lease on a pending execution with one conditional write, unless another delivery
   * holds a lease that has not expired: SQS delivers at least once, and only the holder runs.
   */
  claim(tenantId: string, executionId: string, lease: ExecutionLease): Promise<ExecutionClaim>;
  /** Gives a lease up early (the run will be retried); nothing if `holder` no longer holds it. */
  release(tenantId: string, executionId: string, holder: string): Promise<void>;
  /** Finishes an execution (and drops its lease) unless it already finished. */
  complete(
    tenantId: string,
    executionId: string,
    changes: Pick<ExecutionRecord, 'status' | 'results' | 'updated_at'>,
  ): Promise<boolean>;
}

export interface ContinueStateStore {
  put(state: ContinueStateRecord): Promise<void>;
  /** Reads and deletes in one conditional write: a state resumes a chain once. */
  take(hash: string, nowSeconds: number): Promise<ContinueStateRecord | undefined>;
}

export interface Store {
  tenants: TenantStore;
  tokens: TokenStore;
  actions: ActionStore;
  versions: VersionStore;
  flows: FlowStore;
  modules: ModuleStore;
  moduleVersions: ModuleVersionStore;
  integrations: IntegrationStore;
  executions: ExecutionStore;
  continueStates: ContinueStateStore;
}
