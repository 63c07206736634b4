/**
 * The chain executor: runs bound actions in order under one time budget, applies what each asked
 * for, and decides the outcome. Pure orchestration: how an action runs is the runner's business.
 *
 * Rules (Auth0's): a deny lets the current action finish, then nothing later runs; writes to
 * `event` never leak (each action gets a copy of the chain's event); metadata set earlier is
 * visible later; a redirect or prompt suspends the chain; sync triggers fail closed on an action
 * error, async triggers record it and go on. An action's commands apply all-or-nothing.
 */

import type { ActionError, ActionInvocationResult } from '../runtime/protocol.ts';
import { invocationResultSchema } from '../runtime/protocol.ts';
import { applyCacheOps, type CacheSnapshot } from '../triggers/cache.ts';
import type { ChainState, CommandEffect, JsonObject, TriggerDefinition } from '../triggers/framework.ts';
import { changeMetadata } from '../triggers/namespaces/lifecycle.ts';
import { isPlainObject, objectAt } from '../triggers/values.ts';
import { boundedResult } from './bounds.ts';
import type { ActionExecution, ActionRunner, ChainAction, ChainOutcome, Suspension } from './types.ts';

/** Auth0's whole-chain budget for one trigger execution. */
export const DEFAULT_BUDGET_MS = 20_000;

export interface ChainInput {
  trigger: TriggerDefinition;
  actions: readonly ChainAction[];
  /** A validated event (see `trigger.parseEvent`). */
  event: JsonObject;
  runner: ActionRunner;
  execution_id: string;
  cache?: CacheSnapshot;
  budget_ms?: number;
  now?: () => number;
}

export interface ContinueInput extends Omit<ChainInput, 'cache'> {
  suspension: Suspension;
  /**
   * `api.cache` as the resuming container holds it now. Its entries win over the suspension's
   * snapshot, which fills in what this container never saw: in the container that suspended, they
   * hold the snapshot's writes and any made since; in another, which is newer cannot be known
   * (best effort, as Auth0 promises no more).
   */
  cache?: CacheSnapshot;
  /** The opaque state the caller returned; handed to the action for `api.redirect.validateToken`. */
  state: string;
}

export function executeChain(input: ChainInput): Promise<ChainOutcome> {
  const state: ChainState<JsonObject> = {
    event: withoutInjected(input.event),
    result: input.trigger.initialResult(),
  };
  return run(input, state, 0, input.trigger.entrypoints.execute, input.cache ?? {});
}

export function continueChain(input: ContinueInput): Promise<ChainOutcome> {
  const { trigger, suspension } = input;
  if (!trigger.entrypoints.continue) throw new Error(`Trigger ${trigger.id} cannot be resumed.`);
  const result = structuredClone(suspension.result);
  clearSuspensions(result);
  const state: ChainState<JsonObject> = { event: withoutInjected(input.event), result };
  overlayPendingChanges(state);
  return run(
    input,
    state,
    suspension.action_index,
    trigger.entrypoints.continue,
    { ...suspension.cache, ...input.cache },
    input.state,
  );
}

/** The result sections that suspend the chain (a redirect, a rendered prompt). */
const SUSPENSION_SECTIONS = ['redirect', 'prompt'];

function clearSuspensions(result: JsonObject): void {
  for (const key of SUSPENSION_SECTIONS) if (key in result) result[key] = null;
}

function withoutInjected(event: JsonObject): JsonObject {
  const { secrets: _secrets, configuration: _configuration, ...rest } = structuredClone(event);
  return rest;
}

/**
 * After a redirect the caller sends a fresh event. Changes made before the redirect stay part of
 * the outcome, so later actions must see them whether or not the caller already wrote them.
 */
function overlayPendingChanges(state: ChainState<JsonObject>): void {
  const { result, event } = state;
  const user = result.user as { app_metadata?: JsonObject; user_metadata?: JsonObject } | undefined;
  for (const kind of ['app_metadata', 'user_metadata'] as const) {
    for (const [key, value] of Object.entries(user?.[kind] ?? {})) {
      const target = objectAt(objectAt(event, 'user'), kind);
      if (value === null) delete target[key];
      else target[key] = value;
    }
  }
  const metadata = result.transaction_metadata as JsonObject | undefined;
  if (metadata) Object.assign(objectAt(objectAt(event, 'transaction'), 'metadata'), metadata);
  // Session and refresh-token metadata: evicted first, then the changes made after the eviction.
  for (const target of ['session', 'refresh_token'] as const) {
    const changes = result[target];
    if (!isPlainObject(changes)) continue;
    if (changes.metadata_evicted === true) changeMetadata(event, target, null, null);
    for (const [key, value] of Object.entries(isPlainObject(changes.metadata) ? changes.metadata : {})) {
      changeMetadata(event, target, key, typeof value === 'string' ? value : null);
    }
  }
}

async function run(
  input: ChainInput,
  state: ChainState<JsonObject>,
  startIndex: number,
  firstEntrypoint: string,
  initialCache: CacheSnapshot,
  continueState?: string,
): Promise<ChainOutcome> {
  const { trigger, actions, runner, execution_id } = input;
  const now = input.now ?? Date.now;
  const deadline = now() + (input.budget_ms ?? DEFAULT_BUDGET_MS);
  const executions: ActionExecution[] = [];
  let cache = initialCache;
  let failed = false;

  const outcome = (status: ChainOutcome['status'], extra: Partial<ChainOutcome> = {}): ChainOutcome => ({
    execution_id,
    status,
    result: state.result,
    executions,
    cache,
    ...extra,
  });

  for (let index = startIndex; index < actions.length; index++) {
    const action = actions[index] as ChainAction;
    const entrypoint = index === startIndex ? firstEntrypoint : trigger.entrypoints.execute;
    const started = now();
    const remaining = deadline - started;
    const response =
      remaining <= 0
        ? budgetExhausted(action)
        : await invoke(runner, action, {
            trigger: trigger.id,
            entrypoint,
            event: state.event,
            secrets: action.secrets ?? {},
            configuration: action.configuration ?? {},
            ...(action.module_secrets ? { module_secrets: action.module_secrets } : {}),
            cache,
            deadline_ms: Math.min(action.timeout_ms ?? remaining, remaining),
            execution_id,
            ...(index === startIndex && continueState !== undefined ? { continue_state: continueState } : {}),
          });

    const { error, effect } = response.error
      ? { error: response.error, effect: undefined }
      : applyAll(trigger, state, response);
    const ended = now();
    executions.push({
      action_id: action.id,
      action_name: action.name,
      ...(action.version_id === undefined ? {} : { version_id: action.version_id }),
      entrypoint,
      started_at: started,
      ended_at: ended,
      duration_ms: ended - started,
      commands: response.commands,
      logs: response.logs,
      error: error ?? null,
      stats: response.stats,
    });

    if (error) {
      if (trigger.failurePolicy === 'fail-closed') {
        return outcome('failed', {
          error: {
            class: error.class,
            action_id: action.id,
            action_name: action.name,
            name: error.name,
            message: error.message,
          },
        });
      }
      failed = true;
      continue;
    }
    cache = applyCacheOps(cache, response.cache_ops, now());
    if (effect === 'stop') return outcome('denied');
    if (effect === 'suspend') {
      const suspension: Suspension = {
        trigger: trigger.id,
        execution_id,
        action_index: index,
        chain: actions.map(({ id, name, version_id }) => ({
          id,
          name,
          ...(version_id === undefined ? {} : { version_id }),
        })),
        result: structuredClone(state.result),
        cache,
      };
      return outcome('suspended', { suspension });
    }
  }
  return outcome(failed ? 'partial' : 'final');
}

async function invoke(
  runner: ActionRunner,
  action: ChainAction,
  invocation: Parameters<ActionRunner>[1],
): Promise<ActionInvocationResult> {
  let raw: unknown;
  try {
    raw = await runner(action, invocation);
  } catch (thrown) {
    return failure(
      'platform_error',
      'PlatformError',
      `Could not run action '${action.name}': ${(thrown as Error)?.message ?? String(thrown)}`,
    );
  }
  const parsed = invocationResultSchema.safeParse(raw);
  if (!parsed.success) {
    return failure(
      'platform_error',
      'PlatformError',
      `Action '${action.name}' returned a malformed response from its runtime.`,
    );
  }
  return boundedResult(parsed.data);
}

function budgetExhausted(action: ChainAction): ActionInvocationResult {
  return failure(
    'action_timeout',
    'TimeoutError',
    `The execution's time budget ran out before action '${action.name}' could start.`,
  );
}

function failure(errorClass: ActionError['class'], name: string, message: string): ActionInvocationResult {
  return {
    commands: [],
    cache_ops: [],
    logs: [],
    error: { class: errorClass, name, message },
    stats: { boot_ms: 0, duration_ms: 0 },
  };
}

/** Applies an action's commands to a copy of the state and commits only if every one is valid. */
function applyAll(
  trigger: TriggerDefinition,
  state: ChainState<JsonObject>,
  response: ActionInvocationResult,
): { error?: ActionError; effect?: CommandEffect } {
  // Nothing to apply, nothing to roll back: skip the copy below (~25 µs for a post-login state).
  if (response.commands.length === 0) return {};
  const draft: ChainState<JsonObject> = structuredClone(state);
  let effect: CommandEffect | undefined;
  try {
    for (const command of response.commands) {
      const next = trigger.applyCommand(draft, command);
      // A stop outranks a suspension recorded by the same action.
      if (next === 'stop' || (next === 'suspend' && effect === undefined)) effect = next;
    }
  } catch (thrown) {
    return {
      error: { class: 'action_error', name: 'InvalidCommandError', message: (thrown as Error).message },
    };
  }
  // A denied transaction goes nowhere: drop a redirect or prompt the same action asked for.
  if (effect === 'stop') clearSuspensions(draft.result);
  state.event = draft.event;
  state.result = draft.result;
  return effect === undefined ? {} : { effect };
}
