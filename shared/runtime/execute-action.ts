/**
 * Runs one action once: the heart of every action-version Lambda and of the testing kit. Builds the
 * event and `api`, calls the entrypoint under a time limit, and returns what the action asked for.
 * Never throws: every failure of the tenant's code is data in `error`.
 */
import { createCache } from '../triggers/cache.ts';
import type { TriggerApi } from '../triggers/framework.ts';
import type { ActionModule } from './action-module.ts';
import { LogBuffer, withLogBuffer } from './console-capture.ts';
import { ActionTimeoutError, toActionError } from './errors.ts';
import { withModuleSecrets } from './module-context.ts';
import { monotonicMs } from './monotonic.ts';
import type { ActionError, ActionInvocation, ActionInvocationResult } from './protocol.ts';

export interface ExecuteActionOptions {
  /** Only the api side: an action's Lambda never sees event schemas or samples. */
  trigger: TriggerApi;
  module: ActionModule;
  invocation: ActionInvocation;
  /**
   * The invocation was parsed for this call alone (an action's Lambda): its event is the action's
   * to change, not copied first. A caller that keeps its event (the testing kit) leaves this unset.
   */
  ownsInvocation?: boolean;
  now?: () => number;
}

function runWithin<T>(promise: Promise<T>, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ActionTimeoutError(limitMs)), limitMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `instanceof` itself can throw when the action threw a proxy with a hostile prototype trap. */
function isTimeout(thrown: unknown): boolean {
  try {
    return thrown instanceof ActionTimeoutError;
  } catch {
    return false;
  }
}

export async function executeAction({
  trigger,
  module,
  invocation,
  ownsInvocation = false,
  now = Date.now,
}: ExecuteActionOptions): Promise<ActionInvocationResult> {
  const started = monotonicMs();
  const wasLoaded = module.loaded;
  const logs = new LogBuffer(now);
  const event = {
    ...(ownsInvocation ? invocation.event : structuredClone(invocation.event)),
    secrets: { ...invocation.secrets },
    configuration: { ...invocation.configuration },
  };
  const cache = createCache(invocation.cache, now);
  const phase = invocation.entrypoint === trigger.entrypoints.continue ? 'continue' : 'execute';
  const session = trigger.createApi({
    phase,
    event,
    cache: cache.api,
    ...(invocation.continue_state === undefined ? {} : { continueState: invocation.continue_state }),
    now,
  });

  let error: ActionError | undefined;
  try {
    await withLogBuffer(logs, () =>
      withModuleSecrets(invocation.module_secrets, () =>
        runWithin(
          (async () => {
            const exports: unknown = module.load();
            // `module.exports = null` or a primitive is the action's mistake, reported like a missing export.
            const handler =
              typeof exports === 'object' || typeof exports === 'function'
                ? (exports as Record<string, unknown> | null)?.[invocation.entrypoint]
                : undefined;
            if (typeof handler !== 'function') {
              throw new TypeError(`The action does not export a function named '${invocation.entrypoint}'.`);
            }
            // Auth0 ignores what a handler returns; so do we (garbage included).
            await handler(event, session.api);
          })(),
          invocation.deadline_ms,
        ),
      ),
    );
  } catch (thrown) {
    error = toActionError(thrown, isTimeout(thrown) ? 'action_timeout' : 'action_error');
  } finally {
    session.close();
  }

  return {
    commands: [...session.commands],
    cache_ops: [...cache.ops],
    logs: logs.drain(),
    ...(error ? { error } : {}),
    stats: {
      boot_ms: wasLoaded ? 0 : Math.round(module.bootMs * 1000) / 1000,
      duration_ms: Math.round((monotonicMs() - started) * 1000) / 1000,
    },
  };
}
