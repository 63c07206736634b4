/**
 * The hot path: an identity service calls a trigger and gets the combined outcome of its chain.
 * Sync triggers run the chain now; async ones are recorded `pending`, queued, and answered 202.
 * Per request: the chain comes from the resolver's cache, secrets from a per-version cache, and
 * after the chain ran the execution record and the tenant log are sent together; the caller waits
 * for the record only (docs/decisions.md, "One write on the caller's wait").
 */
import { createHash, randomBytes } from 'node:crypto';
import { InvalidContinueStateError, ValidationError } from '../errors.ts';
import { withContinueState } from '../flow/continue-state.ts';
import { continueChain, executeChain } from '../flow/execute-chain.ts';
import { functionRunner } from '../flow/function-runner.ts';
import type { ChainAction, ChainOutcome } from '../flow/types.ts';
import {
  CONTINUE_STATE_TTL_SECONDS,
  EXECUTION_TTL_SECONDS,
  type ExecutionRecord,
  type ExecutionResult,
  type ExecutionStatus,
  type ResolvedAction,
} from '../model/executions.ts';
import type { Clock } from '../ports/clock.ts';
import type { FunctionHost } from '../ports/functions.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { PlatformMetrics } from '../ports/metrics.ts';
import type { SecretCipher } from '../ports/secrets.ts';
import type { Store } from '../ports/store.ts';
import type { TenantLogSink } from '../ports/tenant-logs.ts';
import type { CacheSnapshot } from '../triggers/cache.ts';
import type { JsonObject, TriggerDefinition } from '../triggers/framework.ts';
import { getTrigger } from '../triggers/registry.ts';
import { isPlainObject } from '../triggers/values.ts';
import { actionRunLogs } from './action-run-logs.ts';
import type { ChainResolver } from './chain-resolver.ts';
import { type VersionSecrets, versionSecrets } from './version-secrets.ts';

export interface AsyncJob {
  tenant_id: string;
  execution_id: string;
  trigger_id: string;
}

export interface DispatchContext {
  store: Store;
  cipher: SecretCipher;
  functions: FunctionHost;
  chains: ChainResolver;
  asyncJobs: JobQueue<AsyncJob>;
  logs: TenantLogSink;
  metrics: PlatformMetrics;
  /** Structured warnings (Powertools' Logger on Lambda). */
  logger: { warn(message: string, fields: Record<string, unknown>): void };
  newExecutionId: () => string;
  now: Clock;
  /** One sync execution's whole-chain budget; the flow's default (20 s) when unset. */
  budgetMs?: number;
  /** Decrypted secrets (the action's and its modules') per version id: versions are immutable. */
  secrets: Map<string, Promise<VersionSecrets>>;
  /** `api.cache` per tenant and trigger, kept in this container's memory (best effort, as Auth0's). */
  triggerCaches: Map<string, CacheSnapshot>;
  /** Tenant log writes sent and not yet answered (the caller does not wait for them). */
  pendingLogs: Set<Promise<void>>;
}

export interface TriggerResponse {
  status: 200 | 202;
  body: JsonObject;
}

function eventOf(body: unknown): unknown {
  if (!isPlainObject(body) || !isPlainObject(body.event)) {
    throw new ValidationError('The body must be { "event": { ... } }.', 'invalid_body');
  }
  const extra = Object.keys(body).filter((k) => k !== 'event' && k !== 'state');
  if (extra.length > 0) throw new ValidationError(`Additional properties not allowed: ${extra.join(', ')}`);
  return body.event;
}

async function chainActions(ctx: DispatchContext, chain: ResolvedAction[]): Promise<ChainAction[]> {
  return Promise.all(
    chain.map(async (a) => {
      const { secrets, modules } = await versionSecrets(ctx.cipher, ctx.secrets, a);
      return {
        id: a.action_id,
        name: a.action_name,
        version_id: a.version_id,
        version_number: a.version_number,
        secrets,
        ...(a.modules?.length ? { module_secrets: modules } : {}),
        ...(a.configuration ? { configuration: a.configuration } : {}),
      };
    }),
  );
}

function runnerFor(ctx: DispatchContext, chain: ResolvedAction[]) {
  const names = new Map(chain.map((a) => [a.action_id, a.function_name]));
  return functionRunner(ctx.functions, (actionId) => names.get(actionId) as string);
}

export function executionResults(outcome: ChainOutcome): ExecutionResult[] {
  return outcome.executions.map((run) => ({
    action_id: run.action_id,
    action_name: run.action_name,
    ...(run.version_id === undefined ? {} : { version_id: run.version_id }),
    entrypoint: run.entrypoint,
    error: run.error,
    started_at: new Date(run.started_at).toISOString(),
    ended_at: new Date(run.ended_at).toISOString(),
    duration_ms: run.duration_ms,
    stats: run.stats,
  }));
}

/**
 * Every chain run, sync or async, ends here: its metrics are emitted (executions, duration and
 * errors by class, per action) and its tenant log written. Tenant logs are best effort: CloudWatch can throttle or abort a write, and a login must not fail
 * (nor be retried by its caller, running the chain again) because its log could not be written.
 * A failure is counted (TenantLogWriteFailed) and warned about with the execution's ids.
 */
async function writeRunLogs(
  ctx: DispatchContext,
  tenantId: string,
  triggerId: TriggerDefinition['id'],
  executionId: string,
  outcome: ChainOutcome,
): Promise<void> {
  ctx.metrics.actionRuns(tenantId, triggerId, outcome.executions);
  try {
    await ctx.logs.write(tenantId, actionRunLogs(tenantId, triggerId, executionId, outcome.executions));
  } catch (error) {
    ctx.metrics.count('TenantLogWriteFailed');
    ctx.logger.warn('Tenant log write failed; the trigger answered anyway', {
      tenant_id: tenantId,
      trigger_id: triggerId,
      execution_id: executionId,
      events: outcome.executions.length,
      error,
    });
  }
}

/**
 * Writes the execution record, the one write the caller waits for, and sends the tenant log beside
 * it. The log write is best effort and is not waited for past the record: by the time the record
 * is written the log request has been on the wire for a DynamoDB round trip, so a Lambda container
 * frozen after the response still delivers it, and the answer to it is read (or counted as lost)
 * when the container thaws. `ctx.pendingLogs` holds the writes still in flight.
 */
async function record(
  ctx: DispatchContext,
  tenantId: string,
  trigger: TriggerDefinition,
  outcome: ChainOutcome,
  before?: ExecutionRecord,
) {
  const now = new Date(ctx.now()).toISOString();
  const execution: ExecutionRecord = {
    tenant_id: tenantId,
    id: outcome.execution_id,
    trigger_id: trigger.id,
    status: outcome.status as ExecutionStatus,
    // A resumed chain keeps what ran before the redirect.
    results: [...(before?.results ?? []), ...executionResults(outcome)],
    created_at: before?.created_at ?? now,
    updated_at: now,
    expires_at: Math.floor(ctx.now() / 1000) + EXECUTION_TTL_SECONDS,
  };
  const logged = writeRunLogs(ctx, tenantId, trigger.id, outcome.execution_id, outcome);
  ctx.pendingLogs.add(logged);
  void logged.finally(() => ctx.pendingLogs.delete(logged));
  await ctx.store.executions.put(execution);
}

async function respond(
  ctx: DispatchContext,
  tenantId: string,
  trigger: TriggerDefinition,
  chain: ResolvedAction[],
  outcome: ChainOutcome,
  before?: ExecutionRecord,
): Promise<TriggerResponse> {
  let result = outcome.result;
  const writes: Promise<unknown>[] = [record(ctx, tenantId, trigger, outcome, before)];
  if (outcome.suspension) {
    const state = randomBytes(32).toString('base64url');
    writes.push(
      ctx.store.continueStates.put({
        hash: hashState(state),
        tenant_id: tenantId,
        suspension: outcome.suspension,
        chain,
        expires_at: Math.floor(ctx.now() / 1000) + CONTINUE_STATE_TTL_SECONDS,
      }),
    );
    result = withContinueState(result, state);
  }
  await Promise.all(writes);
  return {
    status: 200,
    body: {
      execution_id: outcome.execution_id,
      status: outcome.status,
      result,
      ...(outcome.error ? { error: outcome.error } : {}),
    },
  };
}

const budgetOf = (ctx: DispatchContext) => (ctx.budgetMs === undefined ? {} : { budget_ms: ctx.budgetMs });

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export async function executeTrigger(
  ctx: DispatchContext,
  tenantId: string,
  triggerId: string,
  body: unknown,
): Promise<TriggerResponse> {
  const trigger = getTrigger(triggerId);
  const event = trigger.parseEvent(eventOf(body));
  const executionId = ctx.newExecutionId();

  if (trigger.mode === 'async') {
    const now = new Date(ctx.now()).toISOString();
    await ctx.store.executions.put({
      tenant_id: tenantId,
      id: executionId,
      trigger_id: trigger.id,
      status: 'pending',
      results: [],
      event,
      attempts: 0,
      created_at: now,
      updated_at: now,
      expires_at: Math.floor(ctx.now() / 1000) + EXECUTION_TTL_SECONDS,
    });
    await ctx.asyncJobs.send({ tenant_id: tenantId, execution_id: executionId, trigger_id: trigger.id });
    return { status: 202, body: { execution_id: executionId, status: 'pending' } };
  }

  const chain = await ctx.chains.resolve(tenantId, trigger.id);
  if (chain.actions.length === 0) {
    // Nothing bound: the neutral outcome, at once, with nothing to record.
    return {
      status: 200,
      body: { execution_id: executionId, status: 'final', result: trigger.initialResult() },
    };
  }
  const cacheKey = triggerCacheKey(tenantId, trigger.id);
  const outcome = await executeChain({
    trigger,
    actions: await chainActions(ctx, chain.actions),
    event,
    runner: runnerFor(ctx, chain.actions),
    execution_id: executionId,
    cache: ctx.triggerCaches.get(cacheKey) ?? {},
    ...budgetOf(ctx),
    now: ctx.now,
  });
  ctx.triggerCaches.set(cacheKey, outcome.cache);
  return respond(ctx, tenantId, trigger, chain.actions, outcome);
}

export async function continueTrigger(
  ctx: DispatchContext,
  tenantId: string,
  triggerId: string,
  body: unknown,
): Promise<TriggerResponse> {
  const trigger = getTrigger(triggerId);
  if (!trigger.entrypoints.continue)
    throw new ValidationError(`The ${trigger.id} trigger cannot be continued.`);
  const event = trigger.parseEvent(eventOf(body));
  const state = (body as { state?: unknown }).state;
  if (typeof state !== 'string' || state === '')
    throw new ValidationError('state is required: send the state the redirect carried.');
  const stored = await ctx.store.continueStates.take(hashState(state), Math.floor(ctx.now() / 1000));
  if (!stored || stored.tenant_id !== tenantId || stored.suspension.trigger !== trigger.id) {
    throw new InvalidContinueStateError('That state is invalid, expired, or was already used.');
  }
  const [before, actions] = await Promise.all([
    ctx.store.executions.get(tenantId, stored.suspension.execution_id, Math.floor(ctx.now() / 1000)),
    chainActions(ctx, stored.chain),
  ]);
  const cacheKey = triggerCacheKey(tenantId, trigger.id);
  const outcome = await continueChain({
    trigger,
    actions,
    event,
    runner: runnerFor(ctx, stored.chain),
    execution_id: stored.suspension.execution_id,
    suspension: stored.suspension,
    state,
    cache: ctx.triggerCaches.get(cacheKey) ?? {},
    ...budgetOf(ctx),
    now: ctx.now,
  });
  ctx.triggerCaches.set(cacheKey, outcome.cache);
  return respond(ctx, tenantId, trigger, stored.chain, outcome, before);
}

/** `api.cache` is kept per tenant and trigger. */
const triggerCacheKey = (tenantId: string, triggerId: string) => `${tenantId}\u0000${triggerId}`;

/** Runs an async execution's chain now (the worker's job); see async-worker.ts. */
export async function runRecordedChain(
  ctx: DispatchContext,
  execution: ExecutionRecord,
): Promise<ChainOutcome> {
  const trigger = getTrigger(execution.trigger_id);
  const chain = await ctx.chains.resolve(execution.tenant_id, trigger.id);
  const cacheKey = triggerCacheKey(execution.tenant_id, trigger.id);
  const outcome = await executeChain({
    trigger,
    actions: await chainActions(ctx, chain.actions),
    event: execution.event ?? {},
    runner: runnerFor(ctx, chain.actions),
    execution_id: execution.id,
    cache: ctx.triggerCaches.get(cacheKey) ?? {},
    ...budgetOf(ctx),
    now: ctx.now,
  });
  ctx.triggerCaches.set(cacheKey, outcome.cache);
  await writeRunLogs(ctx, execution.tenant_id, trigger.id, execution.id, outcome);
  return outcome;
}

export async function getExecution(ctx: DispatchContext, tenantId: string, executionId: string) {
  return ctx.store.executions.get(tenantId, executionId, Math.floor(ctx.now() / 1000));
}
