/**
 * The management logic's context (shared/actions/context.ts) on in-memory adapters: a memory store,
 * a memory build queue, a clock the test moves, sequential ids, a real cipher with a throwaway
 * key, and a function host that only remembers what it was asked. Fast enough for unit specs.
 */
import { randomBytes } from 'node:crypto';
import type { ActionsContext, BuildJob, FunctionSettings } from '../../shared/actions/context.ts';
import { type MemoryJobQueue, memoryJobQueue } from '../../shared/memory/job-queue.ts';
import { localKeyCipher } from '../../shared/memory/key-cipher.ts';
import { createMemoryStore } from '../../shared/memory/store.ts';
import type { VersionRecord } from '../../shared/model/actions.ts';
import type { FunctionHost, FunctionSpec } from '../../shared/ports/functions.ts';

export const TEST_FUNCTION_SETTINGS: FunctionSettings = {
  prefix: 'hookchain',
  stage: 'test',
  roleArn: 'arn:aws:iam::123456789012:role/hookchain-test-actions',
  architecture: 'arm64',
  memoryMb: 128,
  timeoutSeconds: 20,
};

/** A function host that keeps the specs it deployed and answers every invoke with `null`. */
export interface RecordingFunctionHost extends FunctionHost {
  readonly deployed: ReadonlyMap<string, FunctionSpec>;
  readonly deleted: readonly string[];
}

export function recordingFunctionHost(): RecordingFunctionHost {
  const deployed = new Map<string, FunctionSpec>();
  const deleted: string[] = [];
  return {
    deployed,
    deleted,
    async deploy(spec) {
      deployed.set(spec.name, spec);
      return 'deployed';
    },
    async invoke(name) {
      if (!deployed.has(name)) throw new Error(`Function not found: ${name}`);
      return { payload: null };
    },
    async delete(name) {
      deployed.delete(name);
      deleted.push(name);
    },
    async codeStorage() {
      const usedBytes = [...deployed.values()].reduce((sum, spec) => sum + spec.zip.byteLength, 0);
      return { usedBytes, limitBytes: 75 * 1024 ** 3 };
    },
  };
}

export interface MemoryContext {
  ctx: ActionsContext;
  builds: MemoryJobQueue<BuildJob>;
  functions: RecordingFunctionHost;
  /** Moves the context's clock forward. */
  advance(ms: number): void;
  /** Tenants whose chains the logic said changed, in order. */
  chainChanges: string[];
}

export const START_TIME = Date.parse('2026-01-01T00:00:00.000Z');

export function memoryContext(overrides: Partial<ActionsContext> = {}): MemoryContext {
  let now = START_TIME;
  let ids = 0;
  const clock = () => now;
  const builds = memoryJobQueue<BuildJob>({ now: clock });
  const functions = recordingFunctionHost();
  const chainChanges: string[] = [];
  const ctx: ActionsContext = {
    store: createMemoryStore(),
    cipher: localKeyCipher(randomBytes(32).toString('base64')),
    builds,
    functions,
    functionSettings: TEST_FUNCTION_SETTINGS,
    now: clock,
    newId: () => {
      ids += 1;
      return `id-${ids}`;
    },
    chainsChanged: (tenantId) => chainChanges.push(tenantId),
    ...overrides,
  };
  return {
    ctx,
    builds,
    functions,
    advance: (ms) => {
      now += ms;
    },
    chainChanges,
  };
}

/**
 * What the builder would record for a draft whose build succeeded, without building: the draft at
 * `revision` becomes `built`, so it can be deployed.
 */
export async function markDraftBuilt(ctx: ActionsContext, tenantId: string, actionId: string): Promise<void> {
  const action = await ctx.store.actions.get(tenantId, actionId);
  if (!action) throw new Error(`No action ${actionId}`);
  await ctx.store.actions.recordBuild(tenantId, actionId, action.draft_revision, {
    status: 'built',
    built_at: new Date(ctx.now()).toISOString(),
  });
}

/** What the builder records once a version's function is live: the version built, the action cut over. */
export async function markVersionLive(ctx: ActionsContext, version: VersionRecord): Promise<void> {
  await ctx.store.versions.update(version.tenant_id, version.action_id, version.number, { status: 'built' });
  await ctx.store.actions.cutOver(
    version.tenant_id,
    version.action_id,
    {
      version_id: version.id,
      number: version.number,
      function_name: version.function_name,
      deployed_at: new Date(ctx.now()).toISOString(),
      secrets_ciphertext: version.secrets.ciphertext,
    },
    version.source_revision,
  );
}
