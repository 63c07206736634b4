/**
 * A DispatchContext over the in-memory adapters, for fast specifications of the dispatch logic.
 * One tenant is seeded; actions are real action bundles (the runtime wrapper around the test's
 * code, built as the builder builds them) deployed to memoryFunctionHost, made live and bound
 * through the store's own writes, as the management API would leave them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMetrics } from '../../shared/aws/emf-metrics.ts';
import { bundleAction } from '../../shared/build/bundle.ts';
import { prebundledRuntimeEntry } from '../../shared/build/runtime-entry.ts';
import { zipFiles } from '../../shared/build/zip.ts';
import { createChainResolver } from '../../shared/dispatch/chain-resolver.ts';
import type { AsyncJob, DispatchContext } from '../../shared/dispatch/dispatcher.ts';
import { memoryFunctionHost } from '../../shared/memory/function-host.ts';
import { type MemoryJobQueue, memoryJobQueue } from '../../shared/memory/job-queue.ts';
import { localKeyCipher } from '../../shared/memory/key-cipher.ts';
import { createMemoryStore } from '../../shared/memory/store.ts';
import { memoryTenantLogs } from '../../shared/memory/tenant-logs.ts';
import type { ActionRecord, DeployedPointer } from '../../shared/model/actions.ts';
import type { FunctionHost } from '../../shared/ports/functions.ts';
import type { SecretCipher } from '../../shared/ports/secrets.ts';
import type { Store } from '../../shared/ports/store.ts';
import type { TenantLogSink } from '../../shared/ports/tenant-logs.ts';
import type { TriggerId } from '../../shared/triggers/ids.ts';
import { TEST_ROLE } from './lambda-zip.ts';
import { type ManualClock, manualClock } from './manual-clock.ts';

export { type ManualClock, manualClock };

let bundleDir: Promise<string> | undefined;
const bundles = new Map<string, Promise<Uint8Array>>();

/**
 * The deployment zip the builder would make of this action code (no dependencies): the real
 * runtime wrapper bundled around it. Built once per distinct code in this process.
 */
export function actionZip(code: string): Promise<Uint8Array> {
  let zip = bundles.get(code);
  if (!zip) {
    zip = (async () => {
      bundleDir ??= mkdtemp(path.join(tmpdir(), 'hookchain-dispatch-'));
      const dir = await bundleDir;
      const bundle = await bundleAction({
        code,
        modules: [],
        installDir: dir,
        target: 'node22',
        entryPoint: await prebundledRuntimeEntry(dir),
      });
      return zipFiles({ 'index.js': bundle.js });
    })();
    bundles.set(code, zip);
  }
  return zip;
}

/** Removes the folder the bundles were made in (call once, after the file's tests). */
export async function removeActionBundles(): Promise<void> {
  const dir = await bundleDir;
  bundleDir = undefined;
  bundles.clear();
  if (dir) await rm(dir, { recursive: true, force: true });
}

export interface ActionSeed {
  name: string;
  code: string;
  trigger?: TriggerId;
  secrets?: Record<string, string>;
  /** Another tenant's action (created on first use); the seeded tenant's by default. */
  tenantId?: string;
}

export interface MemoryDispatch {
  ctx: DispatchContext;
  tenantId: string;
  store: Store;
  cipher: SecretCipher;
  functions: FunctionHost;
  logs: TenantLogSink;
  /** The trigger queue: a test takes what was queued (`drain`) and delivers it to the worker. */
  asyncJobs: MemoryJobQueue<AsyncJob>;
  clock: ManualClock;
  /** What the dispatcher warned about, in order. */
  warnings: Array<{ message: string; fields: Record<string, unknown> }>;
  /** Creates the action, deploys its first version and makes it live. */
  deployAction(seed: ActionSeed): Promise<ActionRecord>;
  /** Deploys the action's next version from new code and makes it live. */
  redeploy(action: ActionRecord, code: string): Promise<ActionRecord>;
  /** Replaces the trigger's chain with these actions, in this order. */
  bind(trigger: TriggerId, actions: readonly ActionRecord[], tenantId?: string): Promise<void>;
  /** The console as it was before action bundles wrapped it (each bundle installs its own). */
  restoreConsole(): void;
}

export interface MemoryDispatchOptions {
  tenantId?: string;
  /** The chain resolver's cache lifetime; its default (3 s) when unset. */
  chainCacheMs?: number;
  budgetMs?: number;
}

const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

export async function createMemoryDispatch(options: MemoryDispatchOptions = {}): Promise<MemoryDispatch> {
  const tenantId = options.tenantId ?? 'tenant-a';
  const store = createMemoryStore();
  const cipher = localKeyCipher(TEST_KEY);
  const functions = memoryFunctionHost();
  const logs = memoryTenantLogs();
  const clock = manualClock();
  const asyncJobs = memoryJobQueue<AsyncJob>({ now: clock });
  const warnings: MemoryDispatch['warnings'] = [];
  const originalConsole = globalThis.console;
  let executions = 0;

  const ctx: DispatchContext = {
    store,
    cipher,
    functions,
    chains: createChainResolver(store, {
      now: clock,
      ...(options.chainCacheMs === undefined ? {} : { cacheMs: options.chainCacheMs }),
    }),
    asyncJobs,
    logs,
    // No publisher: only this container's counts are kept, which is what the specs read.
    metrics: createMetrics({ serviceName: 'hookchain-test' }),
    logger: { warn: (message, fields) => warnings.push({ message, fields }) },
    newExecutionId: () => `exec-${++executions}`,
    now: clock,
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
    secrets: new Map(),
    triggerCaches: new Map(),
    pendingLogs: new Set(),
  };

  const iso = () => new Date(clock()).toISOString();
  await store.tenants.create({ id: tenantId, name: tenantId, created_at: iso() });

  async function deployVersion(action: ActionRecord, number: number, code: string): Promise<ActionRecord> {
    const functionName = `hc-${action.tenant_id}-${action.id}-${number}`;
    await functions.deploy({
      name: functionName,
      zip: await actionZip(code),
      roleArn: TEST_ROLE,
      architecture: 'arm64',
      memoryMb: 128,
      timeoutSeconds: 10,
      tags: {},
    });
    const pointer: DeployedPointer = {
      version_id: `${action.id}-v${number}`,
      number,
      function_name: functionName,
      deployed_at: iso(),
      secrets_ciphertext: action.secrets.ciphertext,
    };
    const switched = await store.actions.cutOver(action.tenant_id, action.id, pointer, action.draft_revision);
    if (!switched) throw new Error(`version ${number} of ${action.name} did not go live`);
    return (await store.actions.get(action.tenant_id, action.id)) as ActionRecord;
  }

  return {
    ctx,
    tenantId,
    store,
    cipher,
    functions,
    logs,
    asyncJobs,
    clock,
    warnings,

    async deployAction(seed) {
      const secrets = seed.secrets ?? {};
      const names = Object.keys(secrets).map((name) => ({ name, updated_at: iso() }));
      const owner = seed.tenantId ?? tenantId;
      if (!(await store.tenants.get(owner)))
        await store.tenants.create({ id: owner, name: owner, created_at: iso() });
      const action: ActionRecord = {
        tenant_id: owner,
        id: `act-${seed.name}`,
        name: seed.name,
        supported_triggers: [{ id: seed.trigger ?? 'post-login', version: 'v3' }],
        code: seed.code,
        runtime: 'node22',
        dependencies: [],
        secrets: {
          names,
          ciphertext: names.length > 0 ? await cipher.encrypt(JSON.stringify(secrets)) : null,
        },
        status: 'built',
        errors: [],
        draft_revision: 1,
        version_counter: 1,
        created_at: iso(),
        updated_at: iso(),
      };
      await store.actions.create(action);
      return deployVersion(action, 1, seed.code);
    },

    async redeploy(action, code) {
      const number = await store.actions.nextVersionNumber(action.tenant_id, action.id);
      return deployVersion(action, number, code);
    },

    async bind(trigger, actions, forTenant = tenantId) {
      const flow = await store.flows.get(forTenant, trigger);
      await store.flows.replace(
        forTenant,
        trigger,
        flow.revision,
        actions.map((action) => ({
          id: `binding-${action.id}`,
          action_id: action.id,
          display_name: action.name,
          created_at: iso(),
          updated_at: iso(),
        })),
      );
    },

    restoreConsole() {
      globalThis.console = originalConsole;
    },
  };
}
