/**
 * The ActionRunner over a FunctionHost (shared/flow/function-runner.ts): the invoke's deadline,
 * on a fake clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { functionRunner } from '../../../shared/flow/function-runner.ts';
import type { FunctionHost, InvokeOptions } from '../../../shared/ports/functions.ts';
import type { ActionInvocation, ActionInvocationResult } from '../../../shared/runtime/protocol.ts';

const invocation: ActionInvocation = {
  trigger: 'post-login',
  entrypoint: 'onExecutePostLogin',
  event: {},
  secrets: {},
  configuration: {},
  cache: {},
  deadline_ms: 5_000,
  execution_id: 'exec-1',
};
const answer: ActionInvocationResult = {
  commands: [],
  cache_ops: [],
  logs: [],
  stats: { boot_ms: 0, duration_ms: 1 },
};

/** A host whose invoke is answered by `respond`, given the options the runner passed. */
const hostOf = (respond: (options: InvokeOptions | undefined) => Promise<unknown>) =>
  ({
    invoke: async (_name: string, _payload: unknown, options?: InvokeOptions) => ({
      payload: await respond(options),
    }),
  }) as unknown as FunctionHost;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('running an action through its function', () => {
  it('leaves nothing scheduled once the function answered', async () => {
    const run = functionRunner(
      hostOf(async () => answer),
      (id) => `fn-${id}`,
    );

    expect(await run({ id: 'act-1', name: 'gate' }, invocation)).toEqual(answer);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts the invoke past the deadline and its grace, as an action timeout', async () => {
    const run = functionRunner(
      hostOf(
        (options) =>
          new Promise((_, reject) =>
            options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
          ),
      ),
      (id) => `fn-${id}`,
    );

    const result = run({ id: 'act-1', name: 'gate' }, invocation);
    await vi.advanceTimersByTimeAsync(invocation.deadline_ms + 1_500);
    expect((await result).error).toMatchObject({ class: 'action_timeout', name: 'TimeoutError' });
  });
});
