/**
 * Runs an action by invoking its version's function: the platform's ActionRunner. Sandbox crashes
 * (timeout kill, out of memory, process exit, an oversized result) come back as Lambda function
 * errors and become the same error shape as a throw. A throttle is `rate_limited`; anything else
 * the host raises is a platform error (the flow reports it; it never retries a sync action that
 * may have run).
 */
import type { FunctionHost } from '../ports/functions.ts';
import type { ActionError, ActionInvocationResult } from '../runtime/protocol.ts';
import type { ActionRunner } from './types.ts';

/** Time allowed past an action's own deadline for the host to answer before giving up waiting. */
const HOST_GRACE_MS = 1_500;

export function functionRunner(
  host: FunctionHost,
  functionNameOf: (actionId: string) => string,
): ActionRunner {
  return async (action, invocation) => {
    const name = functionNameOf(action.id);
    const started = performance.now();
    // Past the deadline the request itself is aborted, not just no longer awaited. Not
    // AbortSignal.timeout: its timer cannot be cleared, so every answered invoke would leave one
    // (with its closure) in the heap for the rest of the chain's budget.
    const abort = new AbortController();
    const deadline = abort.signal;
    const timer = setTimeout(
      () => abort.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      invocation.deadline_ms + HOST_GRACE_MS,
    );
    try {
      const outcome = await host.invoke(name, invocation, { signal: deadline });
      if (outcome.functionError) return fromFunctionError(outcome.payload, started);
      return outcome.payload as ActionInvocationResult;
    } catch (error) {
      const errorName = (error as { name?: string })?.name;
      if (errorName === 'TooManyRequestsException' || errorName === 'TooManyRequests') {
        return crashed(
          'rate_limited',
          'RateLimitedError',
          'The action could not run: its concurrency limit was reached.',
          started,
        );
      }
      if (deadline.aborted) {
        return crashed(
          'action_timeout',
          'TimeoutError',
          `Action did not complete within its time limit of ${invocation.deadline_ms} ms.`,
          started,
        );
      }
      // The request failed after it was sent (a reset, a 5xx): the action may have run, so it is
      // not tried again; the flow reports a platform error.
      throw new Error(
        `its function's answer was lost (${(error as Error)?.message ?? String(error)}); the action may have run, so it was not retried`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The wrapper never throws across the boundary (DESIGN §4.4), so a function error means the
 * action's own code broke its sandbox: it ran out of time or memory, exited, crashed the process
 * from a timer or a rejected promise, or returned more than Lambda carries. All are the action's.
 */
function fromFunctionError(payload: unknown, started: number): ActionInvocationResult {
  const { errorType, errorMessage } = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
  const message = typeof errorMessage === 'string' ? errorMessage : 'The action runtime failed.';
  const type = typeof errorType === 'string' ? errorType : 'Runtime.Unknown';
  if (/Task timed out/.test(message) || type === 'Sandbox.Timedout') {
    return crashed('action_timeout', 'TimeoutError', `The action was stopped: ${message}`, started);
  }
  if (type === 'Function.ResponseSizeTooLarge') {
    return crashed(
      'action_error',
      'ResultTooLarge',
      `The action's result is too large to return: ${message} Set fewer or smaller claims, metadata or cache values.`,
      started,
    );
  }
  return crashed(
    'action_error',
    'RuntimeCrash',
    `The action's process crashed (${type}): ${message}`,
    started,
  );
}

function crashed(
  errorClass: ActionError['class'],
  name: string,
  message: string,
  started: number,
): ActionInvocationResult {
  return {
    commands: [],
    cache_ops: [],
    logs: [],
    error: { class: errorClass, name, message },
    stats: { boot_ms: 0, duration_ms: Math.round(performance.now() - started) },
  };
}
