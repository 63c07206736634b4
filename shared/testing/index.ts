/**
 * `hookchain/testing`: run actions on your machine through the very runtime, reducers and chain
 * rules the platform uses. No mocks to wire: you get the combined outcome, per-action commands,
 * console output and errors, in the shapes of the trigger API.
 *
 *   import { runChain, sampleEvent } from 'hookchain/testing';
 *   const { status, result } = await runChain({
 *     trigger: 'post-login',
 *     actions: [{ name: 'add-claims', code: fs.readFileSync('add-claims.js', 'utf8'), secrets: { NS: 'https://acme.test' } }],
 *     event: sampleEvent('post-login'),
 *   });
 *
 * Actions Modules and integration configuration work as on the platform: pass the modules once
 * (`modules: [{ name: 'crm', code, secrets }]`), and `require('actions:crm')` resolves inside the
 * actions that use them, with `actions.secrets` holding the module's own secrets; an action's
 * `configuration` becomes its `event.configuration`.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InvalidContinueStateError } from '../errors.ts';
import { withContinueState } from '../flow/continue-state.ts';
import { continueChain as continueFlow, executeChain } from '../flow/execute-chain.ts';
import type { ActionRunner, ChainAction, ChainOutcome, ChainStatus, Suspension } from '../flow/types.ts';
import { checkValues } from '../integrations/declaration.ts';
import { readIntegrationDir } from '../integrations/read-integration-dir.ts';
import { type ActionModule, type ActionRequire, moduleFromSource } from '../runtime/action-module.ts';
import { executeAction } from '../runtime/execute-action.ts';
import { moduleActions } from '../runtime/module-context.ts';
import type { ActionError, LogEntry } from '../runtime/protocol.ts';
import type { CacheSnapshot } from '../triggers/cache.ts';
import type { Command, JsonObject, TriggerDefinition } from '../triggers/framework.ts';
import type { TriggerId } from '../triggers/ids.ts';
import { getTrigger } from '../triggers/registry.ts';

export type { CacheSnapshot } from '../triggers/cache.ts';
export type { TriggerId } from '../triggers/ids.ts';

export interface TestAction {
  name: string;
  /** CommonJS source, exactly as you would paste it into Auth0. */
  code: string;
  secrets?: Record<string, string>;
  configuration?: Record<string, string>;
  timeout_ms?: number;
  /** Where `require()` resolves from and what stack traces show; defaults to `<cwd>/<name>.js`. */
  filename?: string;
  /**
   * Names of the modules the action pins (it may `require('actions:<name>')` only those, as on
   * the platform); every module of the run when omitted.
   */
  modules?: string[];
}

/** An Actions Module: CommonJS code with its own secrets (`actions.secrets` inside it). */
export interface TestModule {
  name: string;
  code: string;
  secrets?: Record<string, string>;
  /** Where its `require()` resolves from and what stack traces show; defaults to `<cwd>/<name>.js`. */
  filename?: string;
}

export interface RunChainOptions {
  trigger: TriggerId;
  actions: TestAction[];
  /** Actions Modules the actions may require. */
  modules?: TestModule[];
  /** Defaults to the trigger's sample event. */
  event?: JsonObject;
  /** The trigger's `api.cache` contents before the run. */
  cache?: CacheSnapshot;
  /** Whole-chain time budget (20 s, as in Auth0). */
  budget_ms?: number;
  /** Overrides how the actions' `require()` calls resolve. */
  require?: ActionRequire;
}

export interface ContinueChainOptions extends Omit<RunChainOptions, 'cache'> {
  /** The `state` a suspended run returned. */
  state: string;
}

export interface TestExecution {
  action_name: string;
  entrypoint: string;
  commands: Command[];
  logs: LogEntry[];
  error: ActionError | null;
  duration_ms: number;
}

export interface ChainRun {
  status: ChainStatus;
  result: JsonObject;
  error?: ChainOutcome['error'];
  /** Present when `status` is `suspended`: pass it to `continueChain`. */
  state?: string;
  executions: TestExecution[];
  cache: CacheSnapshot;
}

export interface IntegrationValues {
  secrets?: Record<string, string>;
  configuration?: Record<string, string>;
}

/**
 * An integration's directory (integration.action.js + configuration.json, see
 * `readIntegrationDir`) as an action to run, installed with `values`: checked against the
 * declaration exactly as the platform checks an install (defaults applied, options enforced, a
 * 400-style error naming each wrong field), then given as `event.secrets` / `event.configuration`.
 */
export async function integrationAction(
  dir: string,
  values: IntegrationValues = {},
): Promise<TestAction & { trigger: TriggerId }> {
  const { body, files } = await readIntegrationDir(dir);
  const checked = checkValues(body, values);
  return {
    name: body.name,
    code: body.code,
    filename: files.code,
    secrets: checked.secrets,
    configuration: checked.configuration,
    trigger: body.supported_triggers[0]?.id as TriggerId,
  };
}

/** A fresh copy of the trigger's realistic sample event. */
export function sampleEvent(trigger: TriggerId): JsonObject {
  return getTrigger(trigger).sampleEvent();
}

export async function runChain(options: RunChainOptions): Promise<ChainRun> {
  const trigger = getTrigger(options.trigger);
  const { chain, runner } = prepare(trigger, options);
  const outcome = await executeChain({
    trigger,
    actions: chain,
    event: trigger.parseEvent(options.event ?? trigger.sampleEvent()),
    runner,
    execution_id: randomUUID(),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.budget_ms ? { budget_ms: options.budget_ms } : {}),
  });
  return present(outcome);
}

export async function continueChain(options: ContinueChainOptions): Promise<ChainRun> {
  const trigger = getTrigger(options.trigger);
  const suspension = decodeState(options.state, trigger.id);
  const { chain, runner } = prepare(trigger, options);
  const outcome = await continueFlow({
    trigger,
    actions: chain,
    event: trigger.parseEvent(options.event ?? trigger.sampleEvent()),
    runner,
    execution_id: suspension.execution_id,
    suspension,
    state: options.state,
    ...(options.budget_ms ? { budget_ms: options.budget_ms } : {}),
  });
  return present(outcome);
}

function prepare(
  trigger: TriggerDefinition,
  options: Pick<RunChainOptions, 'actions' | 'require' | 'modules'>,
) {
  const modules = new Map<string, ActionModule>();
  const available = new Map((options.modules ?? []).map((m) => [m.name, m]));
  const chain: ChainAction[] = options.actions.map((action, index) => {
    const id = `${index}:${action.name}`;
    const pinned = pinnedModules(action, available);
    const filename = action.filename ?? path.join(process.cwd(), `${action.name}.js`);
    const base = options.require ?? createRequire(path.resolve(filename));
    modules.set(
      id,
      moduleFromSource({
        code: action.code,
        filename,
        require: moduleRequire(pinned, base, options.require),
      }),
    );
    const withSecrets = [...pinned.values()].filter((m) => m.secrets);
    return {
      id,
      name: action.name,
      ...(action.secrets ? { secrets: action.secrets } : {}),
      ...(action.configuration ? { configuration: action.configuration } : {}),
      ...(action.timeout_ms ? { timeout_ms: action.timeout_ms } : {}),
      ...(withSecrets.length > 0
        ? { module_secrets: Object.fromEntries(withSecrets.map((m) => [m.name, { ...m.secrets }])) }
        : {}),
    };
  });
  const runner: ActionRunner = (action, invocation) =>
    executeAction({ trigger, module: modules.get(action.id) as ActionModule, invocation });
  return { chain, runner };
}

function pinnedModules(action: TestAction, available: Map<string, TestModule>): Map<string, TestModule> {
  if (!action.modules) return available;
  return new Map(
    action.modules.map((name) => {
      const module = available.get(name);
      if (!module) {
        throw new TypeError(
          `Action '${action.name}' uses module '${name}', which is not in this run's modules.`,
        );
      }
      return [name, module];
    }),
  );
}

/**
 * The action's `require`: `actions:<name>` loads a pinned module (compiled once per action, as each
 * version bundles its own copy), anything else goes to Node's resolution from the action's file.
 */
function moduleRequire(
  pinned: Map<string, TestModule>,
  base: ActionRequire,
  override: ActionRequire | undefined,
): ActionRequire {
  const loaded = new Map<string, ActionModule>();
  return (id) => {
    if (!id.startsWith('actions:')) return base(id);
    const name = id.slice('actions:'.length);
    const source = pinned.get(name);
    if (!source) throw notFound(id, `the Actions Module '${name}' is not added to this action`);
    let module = loaded.get(name);
    if (!module) {
      const filename = source.filename ?? path.join(process.cwd(), `${name}.js`);
      const own = override ?? createRequire(path.resolve(filename));
      module = moduleFromSource({
        code: source.code,
        filename,
        require: (inner) => {
          if (inner.startsWith('actions:'))
            throw notFound(inner, 'Actions Modules cannot require other modules');
          return own(inner);
        },
        globals: { actions: moduleActions(name) },
      });
      loaded.set(name, module);
    }
    return module.load();
  };
}

function notFound(id: string, why: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}': ${why}.`), { code: 'MODULE_NOT_FOUND' });
}

function present(outcome: ChainOutcome): ChainRun {
  const state = outcome.suspension ? encodeState(outcome.suspension) : undefined;
  return {
    status: outcome.status,
    result: state ? withContinueState(outcome.result, state) : outcome.result,
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(state ? { state } : {}),
    executions: outcome.executions.map((e) => ({
      action_name: e.action_name,
      entrypoint: e.entrypoint,
      commands: e.commands,
      logs: e.logs,
      error: e.error,
      duration_ms: e.duration_ms,
    })),
    cache: outcome.cache,
  };
}

// The kit runs in your own process, so its state is plain encoded JSON; the platform stores
// suspensions server-side behind a random, single-use state instead.
function encodeState(suspension: Suspension): string {
  return Buffer.from(JSON.stringify(suspension)).toString('base64url');
}

function decodeState(state: string, trigger: TriggerId): Suspension {
  try {
    const suspension = JSON.parse(Buffer.from(state, 'base64url').toString('utf8')) as Suspension;
    if (suspension.trigger !== trigger) throw new Error('trigger mismatch');
    return suspension;
  } catch {
    throw new InvalidContinueStateError(`That state does not belong to a suspended ${trigger} chain.`);
  }
}
