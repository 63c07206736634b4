/**
 * Hostile actions on the real local stack: each behaviour is a deployed action, bound in a
 * post-login chain after a well-behaved one, executed over HTTP. Each must be contained: the
 * execution fails naming the action with a clear error class and message, a bystander tenant
 * keeps being served (during and after), the tenant's well-behaved action runs unaffected next,
 * and the stack stays healthy. Async triggers follow the async failure policy.
 *
 * Everything is deployed up front (builds are the slow part); the cases then run one after
 * another, since two cores are shared with other suites. docs/security.md lists what each proves.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import type { TestHookchain } from '../../support/hookchain.ts';
import {
  BUDGET_MS,
  bystanderTenant,
  chain,
  execute,
  expectBystanderServes,
  expectHealthy,
  expectWellBehavedNext,
  FUNCTION_TIMEOUT_SECONDS,
  functionLog,
  GATEWAY_TIMEOUT_MS,
  GREETING,
  type HostileGroup,
  hostileGroup,
  type Outcome,
  startHostileStack,
  whileBystanderServes,
} from './support.ts';

const handler = (body: string) => `exports.onExecutePostLogin = async (event, api) => {\n${body}\n};`;

/** Actions that burn CPU or memory: run while the bystander is served. */
const BURNERS = {
  'infinite-loop': handler('for (;;) {}'),
  // Yields between slices, so the runtime's own timer fires; the loop then outlives the invocation.
  'busy-cpu': handler(`const crypto = require('node:crypto');
    for (;;) {
      const end = Date.now() + 20;
      while (Date.now() < end) crypto.createHash('sha256').update('spin').digest();
      await new Promise((resolve) => setImmediate(resolve));
    }`),
  'heap-bomb': handler('const hoard = []; for (;;) hoard.push(new Array(1e6).fill(Math.random()));'),
  // Big steps: on a starved CPU (the bystander's requests share it) it still passes the resident
  // limit well before its deadline, in a dozen steps.
  'buffer-bomb': handler(`const hoard = [];
    for (;;) { hoard.push(Buffer.alloc(32 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)); }`),
};

/** Actions that crash their process, or return or throw too much. */
const CRASHERS = {
  'process-exit': handler('process.exit(1);'),
  'self-kill': handler(`process.kill(process.pid, 'SIGKILL');`),
  'kill-host': handler(`process.kill(process.ppid, 'SIGKILL');`),
  'unhandled-rejection': handler(`Promise.reject(new Error('nobody listens'));
    await new Promise((resolve) => setTimeout(resolve, 200));`),
  'late-rejection': handler(`setTimeout(() => Promise.reject(new Error('after the fact')), 20);`),
  'timer-throw': handler(`setTimeout(() => { throw new Error('thrown in a timer'); }, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));`),
  'huge-result': handler(
    `api.idToken.setCustomClaim('https://hookchain.test/blob', 'x'.repeat(7 * 1024 * 1024));`,
  ),
  'huge-error': handler(`throw new Error('E'.repeat(1024 * 1024));`),
};

/** Bound together in one chain: each floods, and together they pass CloudWatch's 1 MB per call. */
const FLOODS = {
  'console-flood': handler(`const line = 'x'.repeat(1023);
    for (let i = 0; i < 10 * 1024; i++) console.log(line);
    for (let i = 0; i < 10 * 1024; i++) process.stdout.write(line + '\\n');
    api.idToken.setCustomClaim('https://hookchain.test/flooded', true);`),
  // Empty lines cost no bytes: only a line cap stops them (each is an object in memory).
  'blank-flood': handler(`for (let i = 0; i < 1e6; i++) console.log('');`),
  // Control characters grow six-fold in JSON: 256 KB of them would be a 1.5 MB log event.
  'escape-flood': handler(
    `const line = '\\u0001'.repeat(1023); for (let i = 0; i < 1024; i++) console.log(line);`,
  ),
  'plain-flood': handler(
    `const line = 'y'.repeat(1023); for (let i = 0; i < 10 * 1024; i++) console.log(line);`,
  ),
};

const ASYNC = {
  'async-exit': 'exports.onExecutePostUserRegistration = async () => { process.exit(7); };',
  'async-huge': `exports.onExecutePostUserRegistration = async () => { throw new Error('E'.repeat(1024 * 1024)); };`,
};

let hc: TestHookchain;
let bystander: HostileGroup;
let burners: HostileGroup;
let crashers: HostileGroup;
let floods: HostileGroup;
let async: HostileGroup;

beforeAll(async () => {
  hc = await startHostileStack();
  [bystander, burners, crashers, floods, async] = await Promise.all([
    bystanderTenant(hc),
    hostileGroup(hc, 'h-burners', BURNERS),
    hostileGroup(hc, 'h-crashers', CRASHERS),
    hostileGroup(hc, 'h-floods', FLOODS),
    hostileGroup(hc, 'h-async', ASYNC, 'post-user-registration'),
  ]);
}, 240_000);
afterAll(() => hc?.stop());

type Reply = { status: number; body: Outcome; elapsedMs: number };

/** The contract every sync case shares. */
function expectFailedNaming(
  reply: Reply,
  name: string,
  error: { class: string; name: string; message: RegExp },
): void {
  expect(reply.status).toBe(200);
  expect(reply.elapsedMs).toBeLessThan(GATEWAY_TIMEOUT_MS);
  expect(reply.body.status).toBe('failed');
  expect(reply.body.error).toMatchObject({ class: error.class, action_name: name, name: error.name });
  expect(reply.body.error?.message).toMatch(error.message);
}

/** Binds `greet` then the hostile action, and runs the chain. */
async function run(group: HostileGroup, name: string): Promise<Reply> {
  await chain(hc, group, name);
  return execute(hc, group);
}

async function afterwards(group: HostileGroup): Promise<void> {
  await expectWellBehavedNext(hc, group);
  await expectBystanderServes(hc, bystander);
  await expectHealthy(hc);
}

describe('hostile actions that burn CPU or memory, while another tenant is served', () => {
  it('an infinite loop: the dispatcher answers at the deadline, the process is killed at its Timeout', async () => {
    await chain(hc, burners, 'infinite-loop');
    const { outcome, served } = await whileBystanderServes(hc, bystander, execute(hc, burners));
    expect(served).toBeGreaterThan(0);
    expectFailedNaming(outcome, 'infinite-loop', {
      class: 'action_timeout',
      name: 'TimeoutError',
      message: /did not complete within its time limit of \d+ ms/,
    });
    // Answered at the chain's deadline plus the host's grace, before the function's own Timeout.
    expect(outcome.elapsedMs).toBeLessThan(FUNCTION_TIMEOUT_SECONDS * 1000);
    await expect
      .poll(() => functionLog(hc, burners.functionOf('infinite-loop'), '"Task timed out"'), {
        timeout: 15_000,
      })
      .toHaveLength(1);
    await afterwards(burners);
  });

  it('busy CPU past the budget: the runtime reports the timeout, and the escaped loop is stopped', async () => {
    await chain(hc, burners, 'busy-cpu');
    const { outcome } = await whileBystanderServes(hc, bystander, execute(hc, burners));
    expectFailedNaming(outcome, 'busy-cpu', {
      class: 'action_timeout',
      name: 'TimeoutError',
      message: /did not complete within its time limit of \d+ ms/,
    });
    expect(outcome.elapsedMs).toBeLessThan(BUDGET_MS + 2_000);
    // Its loop kept spinning after the invocation returned: the host stops such an instance.
    await expect
      .poll(
        () => functionLog(hc, burners.functionOf('busy-cpu'), '"kept running after its invocation ended"'),
        { timeout: 15_000 },
      )
      .toHaveLength(1);
    await afterwards(burners);
  });

  it('a memory bomb in the V8 heap dies at the heap cap and is reported as a crash', async () => {
    await chain(hc, burners, 'heap-bomb');
    const { outcome } = await whileBystanderServes(hc, bystander, execute(hc, burners));
    expectFailedNaming(outcome, 'heap-bomb', {
      class: 'action_error',
      name: 'RuntimeCrash',
      message: /Runtime\.OutOfMemory/,
    });
    await afterwards(burners);
  });

  it('a memory bomb outside the heap (Buffers) is killed at the resident limit, reported as a crash', async () => {
    await chain(hc, burners, 'buffer-bomb');
    const { outcome } = await whileBystanderServes(hc, bystander, execute(hc, burners));
    expectFailedNaming(outcome, 'buffer-bomb', {
      class: 'action_error',
      name: 'RuntimeCrash',
      message: /Runtime\.OutOfMemory.*signal: killed/,
    });
    await afterwards(burners);
  });
});

describe('hostile actions that crash their process, or return or throw too much', () => {
  it('process.exit(1) is a crash of that action', async () => {
    expectFailedNaming(await run(crashers, 'process-exit'), 'process-exit', {
      class: 'action_error',
      name: 'RuntimeCrash',
      message: /Runtime\.ExitError.*exit status 1/,
    });
    await afterwards(crashers);
  });

  it('process.kill(process.pid, SIGKILL) is a crash of that action', async () => {
    expectFailedNaming(await run(crashers, 'self-kill'), 'self-kill', {
      class: 'action_error',
      name: 'RuntimeCrash',
      message: /Runtime\.ExitError.*signal: killed/,
    });
    await afterwards(crashers);
  });

  it('process.kill(process.ppid, SIGKILL) is refused: the host lives on', async () => {
    expectFailedNaming(await run(crashers, 'kill-host'), 'kill-host', {
      class: 'action_error',
      name: 'Error',
      message: /^kill EPERM$/,
    });
    await afterwards(crashers);
  });

  it('an unhandled rejection during the execution fails that execution', async () => {
    expectFailedNaming(await run(crashers, 'unhandled-rejection'), 'unhandled-rejection', {
      class: 'action_error',
      name: 'RuntimeCrash',
      message: /Runtime\.UnhandledPromiseRejection.*nobody listens/,
    });
    await afterwards(crashers);
  });

  it('an unhandled rejection after the execution ended: that run succeeded, its process is replaced', async () => {
    const first = await run(crashers, 'late-rejection');
    expect(first.body.status).toBe('final');
    expect(first.body.result.id_token_claims).toEqual({ 'https://hookchain.test/greeting': GREETING });
    // The stray rejection ends the idle process; the host logs it in the function's own log.
    await expect
      .poll(
        () => functionLog(hc, crashers.functionOf('late-rejection'), '"Runtime.UnhandledPromiseRejection"'),
        { timeout: 10_000 },
      )
      .toHaveLength(1);
    const second = await execute(hc, crashers);
    expect(second.body.status).toBe('final');
    await afterwards(crashers);
  });

  it('a throw inside a timer is a crash of that action', async () => {
    expectFailedNaming(await run(crashers, 'timer-throw'), 'timer-throw', {
      class: 'action_error',
      name: 'RuntimeCrash',
      message: /thrown in a timer/,
    });
    await afterwards(crashers);
  });

  it('a result over Lambda’s 6 MB response limit is a clear error of that action', async () => {
    expectFailedNaming(await run(crashers, 'huge-result'), 'huge-result', {
      class: 'action_error',
      name: 'ResultTooLarge',
      message: /too large to return.*6291456 bytes/,
    });
    await afterwards(crashers);
  });

  it('a 1 MB error message is reported, cut to a readable size, and recorded', async () => {
    const reply = await run(crashers, 'huge-error');
    expectFailedNaming(reply, 'huge-error', {
      class: 'action_error',
      name: 'Error',
      message: /^E+… \[\d+ characters cut\]$/,
    });
    expect(reply.body.error?.message.length).toBeLessThan(10_000);
    const execution = await hc.api<{ status: string }>(
      'GET',
      `/api/v2/actions/executions/${reply.body.execution_id}`,
      undefined,
      crashers.token,
    );
    expect(execution.body.status).toBe('failed');
    await afterwards(crashers);
  });
});

describe('hostile actions that flood the logs', () => {
  type RunLog = { action_name: string; logs: Array<{ message: string }> };

  it('10 MB of console output (and more) is capped and counted, and the execution still succeeds', async () => {
    await chain(hc, floods, ...Object.keys(FLOODS));
    const reply = await execute(hc, floods);
    expect(reply.body.status).toBe('final');
    expect(reply.body.result.id_token_claims).toMatchObject({ 'https://hookchain.test/flooded': true });
    // Four flooders in one chain: their tenant log events are written whole, in as many calls as needed.
    const runs = await hc.until('the floods’ tenant logs', async () => {
      const page = await hc.api<{ logs: RunLog[] }>(
        'GET',
        `/api/v2/actions/logs?execution=${reply.body.execution_id}`,
        undefined,
        floods.token,
      );
      return page.body.logs.length === 5 ? new Map(page.body.logs.map((l) => [l.action_name, l])) : undefined;
    });
    const flood = runs.get('console-flood') as RunLog;
    const kept = flood.logs.reduce((sum, l) => sum + l.message.length, 0);
    expect(kept).toBeLessThanOrEqual(256 * 1024 + 1024);
    expect(flood.logs.at(-1)?.message).toMatch(/bytes of console output dropped/);
    expect(runs.get('blank-flood')?.logs).toHaveLength(10_001);
    expect(runs.get('blank-flood')?.logs.at(-1)?.message).toMatch(/console lines \(0 bytes\) dropped/);
    expect(runs.get('escape-flood')?.logs.at(-1)?.message).toMatch(/console lines omitted: too large/);
    expect(runs.get('plain-flood')?.logs.at(-1)?.message).toMatch(/bytes of console output dropped/);
    // Raw stdout is capped per invocation in the function's own log group too.
    const truncated = await functionLog(hc, floods.functionOf('console-flood'), '"log output truncated"');
    expect(truncated).toEqual([expect.stringMatching(/^\[hookchain\] log output truncated: \d+ bytes over/)]);
    await afterwards(floods);
  });
});

describe('hostile actions in an async trigger', () => {
  const settled = (id: string) =>
    hc.api<{ status: string; attempts?: number; results: Array<{ action_name: string; error: unknown }> }>(
      'GET',
      `/api/v2/actions/executions/${id}`,
      undefined,
      async.token,
    );

  it('a deterministic failure is recorded once: the execution ends partial, the rest of the chain ran', async () => {
    await chain(hc, async, 'async-huge');
    const event = sampleEvent('post-user-registration');
    const { status, body } = await execute(hc, async, 'post-user-registration', event);
    expect(status).toBe(202);
    const done = await hc.until('the async execution', async () => {
      const reply = await settled(body.execution_id);
      return reply.body.status === 'pending' ? undefined : reply.body;
    });
    expect(done.status).toBe('partial');
    expect(done.attempts).toBe(1);
    expect(done.results.map((r) => r.action_name)).toEqual(['greet', 'async-huge']);
    // Auth0's execution view: the error's class as `id`, its message (cut to a readable size) as `msg`.
    expect(done.results[1]?.error).toMatchObject({
      id: 'action_error',
      msg: expect.stringMatching(/^E+… \[\d+ characters cut\]$/),
    });
    await expectBystanderServes(hc, bystander);
  });

  // Five receives, handed back after 1, 2, 4, 8 and 16 s, before the receive that parks it: patient.
  it('a crash is retried, then parked in the DLQ; the execution stays pending, never lost', {
    timeout: 90_000,
  }, async () => {
    await chain(hc, async, 'async-exit');
    const event = sampleEvent('post-user-registration');
    const { status, body } = await execute(hc, async, 'post-user-registration', event);
    expect(status).toBe(202);
    const sqs = new SQSClient(hc.stack.clientConfig('sqs'));
    try {
      await hc.until(
        'the crashing execution in the DLQ',
        async () => {
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: hc.stack.resources.queues.triggers.dlqUrl,
              AttributeNames: ['ApproximateNumberOfMessages'],
            }),
          );
          return Number(Attributes?.ApproximateNumberOfMessages) > 0 ? true : undefined;
        },
        75_000,
      );
    } finally {
      sqs.destroy();
    }
    const parked = await settled(body.execution_id);
    expect(parked.body.status).toBe('pending');
    expect(parked.body.attempts).toBeGreaterThanOrEqual(2);
    await expectBystanderServes(hc, bystander);
    await expectHealthy(hc);
  });
});
