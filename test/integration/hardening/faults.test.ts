/**
 * Faults on the local stack, one at a time (they share one stack, so they run in order): an
 * action's process killed mid-chain; the async worker killed mid-batch (a real process, SIGKILL);
 * DynamoDB stopped and started again; a throttled function; a build that crashes half-way, once
 * and on every delivery. Each ends in a clean answer — data in the result, a 503 the caller may
 * retry, a `failed` build — and the platform serves again afterwards; no accepted async execution
 * is lost: each ends `final`, `partial` or in the DLQ, and they are counted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DeleteFunctionConcurrencyCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsyncWorkerHandler } from '../../../functions/async-worker/handler.ts';
import type { ExecutionRecord } from '../../../shared/model/executions.ts';
import type { FunctionHost } from '../../../shared/ports/functions.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { type ActionBody, bind, createAction, deployedAction, waitForBuild } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;
let lambda: LambdaClient;
let sqs: SQSClient;

beforeAll(async () => {
  hc = await startTestHookchain();
  lambda = new LambdaClient(hc.stack.clientConfig('lambda'));
  sqs = new SQSClient(hc.stack.clientConfig('sqs'));
});
afterAll(async () => {
  lambda?.destroy();
  sqs?.destroy();
  await hc?.stop();
});

const A = '/api/v2/actions';
const TENANT = 'dev';

/** The live function of an action, from its stored pointer. */
async function liveFunction(actionId: string): Promise<string> {
  const action = await hc.stack.platform.store.actions.get(TENANT, actionId);
  if (!action?.deployed) throw new Error(`${actionId} is not deployed`);
  return action.deployed.function_name;
}

function execute(trigger: string, event: unknown) {
  return hc.api<{
    execution_id: string;
    status: string;
    result: { id_token_claims?: Record<string, unknown> };
    error?: { action_name?: string; name?: string; class?: string; message?: string };
  }>('POST', `${A}/triggers/${trigger}/execute`, { event });
}

async function execution(id: string): Promise<ExecutionRecord | undefined> {
  return hc.stack.platform.store.executions.get(TENANT, id, Math.floor(Date.now() / 1000));
}

/** User CPU time of a process, in clock ticks (/proc/<pid>/stat field 14). */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[11]);
  } catch {
    return 0;
  }
}

describe('an action’s process killed mid-chain', () => {
  it('fails that execution cleanly, as data naming the action; the next execution succeeds', async () => {
    await deployedAction(hc, {
      name: 'kill-first',
      code: `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://k.test/first', 1); };`,
    });
    const victim = await deployedAction(hc, {
      name: 'kill-victim',
      // Spins only when asked, so the test can catch it running; otherwise it is a plain action.
      code: `exports.onExecutePostLogin = async (event, api) => {
        if (event.request.query.mode === 'spin') { const end = Date.now() + 15000; while (Date.now() < end) {} }
        api.idToken.setCustomClaim('https://k.test/victim', 1);
      };`,
    });
    await deployedAction(hc, {
      name: 'kill-last',
      code: `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://k.test/last', 1); };`,
    });
    await bind(hc, 'post-login', ['kill-first', 'kill-victim', 'kill-last']);
    const fn = await liveFunction(victim.id);
    const before = new Map(hc.stack.functionWorkerPids(fn).map((pid) => [pid, cpuTicks(pid)]));

    const event = sampleEvent('post-login') as { request: { query: Record<string, string> } };
    const running = execute('post-login', {
      ...event,
      request: { ...event.request, query: { mode: 'spin' } },
    });
    // The victim is running once one of its workers burns CPU; then its processes are killed.
    const spinning = await hc.until('the victim to spin', async () => {
      const pids = hc.stack.functionWorkerPids(fn);
      return pids.find((pid) => cpuTicks(pid) - (before.get(pid) ?? 0) >= 10);
    });
    for (const pid of hc.stack.functionWorkerPids(fn)) process.kill(pid, 'SIGKILL');
    expect(spinning).toBeGreaterThan(0);

    const killed = await running;
    expect(killed.status).toBe(200);
    expect(killed.body.status).toBe('failed');
    expect(killed.body.error).toMatchObject({ action_name: 'kill-victim', name: 'RuntimeCrash' });
    // The chain stopped at the crash: the last action never ran.
    const record = await execution(killed.body.execution_id);
    expect(record?.results.map((r) => r.action_name)).toEqual(['kill-first', 'kill-victim']);

    const next = await execute('post-login', sampleEvent('post-login'));
    expect(next.body.status).toBe('final');
    expect(next.body.result.id_token_claims).toEqual({
      'https://k.test/first': 1,
      'https://k.test/victim': 1,
      'https://k.test/last': 1,
    });
    await bind(hc, 'post-login', []);
  });
});

describe('the async worker killed mid-batch', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  // A killed worker's claims hold until their lease ends (its time left + 10 s): patient.
  it('loses nothing: every accepted execution ends final, partial or in the DLQ', {
    timeout: 120_000,
  }, async () => {
    const { queues } = hc.stack.resources;
    await deployedAction(hc, {
      name: 'batch-worker',
      trigger: 'post-user-registration',
      code: `exports.onExecutePostUserRegistration = async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        if (event.user.email.startsWith('throw')) throw new Error('deterministic failure');
        if (event.user.email.startsWith('crash')) process.exit(3);
      };`,
    });
    await bind(hc, 'post-user-registration', ['batch-worker']);
    // The in-process worker steps aside for one in a child process this test can kill.
    await hc.stack.consumers.asyncWorker.stop();
    // A killed worker's messages come back after the visibility timeout: 2 s instead of 30 s.
    const { Attributes: usual } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.triggers.url, AttributeNames: ['VisibilityTimeout'] }),
    );
    const visibility = (seconds: string) =>
      sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queues.triggers.url,
          Attributes: { VisibilityTimeout: seconds },
        }),
      );
    await visibility('2');

    const base = sampleEvent('post-user-registration') as { user: Record<string, unknown> };
    const kinds = [
      ...Array.from({ length: 20 }, (_, i) => ['ok', `ok${i}@acme.test`] as const),
      ...Array.from({ length: 5 }, (_, i) => ['throw', `throw${i}@acme.test`] as const),
      ...Array.from({ length: 5 }, (_, i) => ['crash', `crash${i}@acme.test`] as const),
    ];
    const accepted = await Promise.all(
      kinds.map(async ([kind, email]) => {
        const reply = await execute('post-user-registration', { ...base, user: { ...base.user, email } });
        expect(reply.status).toBe(202);
        return { kind, id: reply.body.execution_id };
      }),
    );

    child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./support/async-worker-process.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          ...Object.fromEntries(
            Object.entries(hc.stack.endpoints).map(([service, url]) => [
              `AWS_ENDPOINT_URL_${service === 'logs' ? 'CLOUDWATCH_LOGS' : service.toUpperCase()}`,
              url,
            ]),
          ),
          AWS_ACCESS_KEY_ID: hc.stack.clientConfig('sqs').credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: hc.stack.clientConfig('sqs').credentials.secretAccessKey,
          // A short chain budget keeps the killed worker's leases short (the lease outlives the run).
          HOOKCHAIN_TEST_CONFIG: JSON.stringify({ ...hc.stack.platform.config, chainBudgetMs: 2_000 }),
          POWERTOOLS_LOG_LEVEL: 'SILENT',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    // Mid-batch: some execution has been picked up (its attempt counted) and is still running.
    await hc.until(
      'the child worker to be inside a batch',
      async () => {
        const records = await Promise.all(accepted.map((a) => execution(a.id)));
        return records.some((r) => r?.status === 'pending' && (r.attempts ?? 0) > 0) ? true : undefined;
      },
      30_000,
    );
    child.kill('SIGKILL');
    const settledBeforeKill = (await Promise.all(accepted.map((a) => execution(a.id)))).filter(
      (r) => r?.status !== 'pending',
    ).length;
    expect(settledBeforeKill).toBeLessThan(accepted.length);
    // The killed worker's receipts keep their 2 s; the replacement's get the queue's usual timeout,
    // longer than a run as on AWS, so a run slowed by a busy machine is not delivered again meanwhile.
    await visibility(usual?.VisibilityTimeout ?? '30');

    // A new worker takes over (the in-process one, as after Lambda replaces a dead sandbox).
    hc.stack.addQueueConsumer({
      queueUrl: queues.triggers.url,
      name: 'hookchain-async-worker (replacement)',
      handler: createAsyncWorkerHandler(() => hc.stack.platform),
      batchSize: 10,
      concurrency: 2,
      waitTimeSeconds: 1,
    });

    const dlq = new Set<string>();
    const outcome = await hc.until(
      'every execution to settle',
      async () => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queues.triggers.dlqUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            VisibilityTimeout: 300,
          }),
        );
        for (const m of Messages)
          dlq.add((JSON.parse(m.Body ?? '{}') as { execution_id: string }).execution_id);
        const records = await Promise.all(
          accepted.map(async (a) => ({ ...a, record: await execution(a.id) })),
        );
        const done = records.filter((r) => r.record?.status === 'final' || r.record?.status === 'partial');
        return done.length + dlq.size >= accepted.length ? records : undefined;
      },
      100_000,
    );

    const count = (status: string, kind: string) =>
      outcome.filter((o) => o.kind === kind && o.record?.status === status).length;
    expect({
      final: count('final', 'ok'),
      partial: count('partial', 'throw'),
      dlq: outcome.filter((o) => o.kind === 'crash' && o.record?.status === 'pending' && dlq.has(o.id))
        .length,
    }).toEqual({ final: 20, partial: 5, dlq: 5 });
    // Nothing else: every id is exactly one of the three, and the DLQ holds only the crashes.
    expect(dlq).toEqual(new Set(outcome.filter((o) => o.kind === 'crash').map((o) => o.id)));
    await bind(hc, 'post-user-registration', []);
  });
});

describe('DynamoDB stopped and started again', () => {
  it('answers 503 service_unavailable (retryable) while it is down, and serves again after', async () => {
    const probe = await deployedAction(hc, {
      name: 'outage-probe',
      code: `exports.onExecutePostLogin = async (event, api) => { api.accessToken.setCustomClaim('https://o.test/ok', true); };`,
    });
    await bind(hc, 'post-login', ['outage-probe']);
    const issued = await hc.api<{ token: string }>(
      'POST',
      '/api/v2/hookchain/tenants/dev/tokens',
      { name: 'fresh' },
      hc.operatorToken,
    );

    const startAgain = await hc.stack.faults.stopDynamoDb();
    try {
      const refusals = await Promise.all([
        hc.api('GET', `${A}/actions`),
        hc.api('GET', `${A}/actions/${probe.id}`),
        hc.api('POST', `${A}/actions`, {
          name: 'during-outage',
          supported_triggers: [{ id: 'post-login', version: 'v3' }],
        }),
        // A token never seen (not in the authorizer's cache): not a 401, the store is down.
        hc.api('GET', `${A}/actions`, undefined, issued.body.token),
        execute('post-login', sampleEvent('post-login')),
        execute('post-user-registration', sampleEvent('post-user-registration')),
      ]);
      for (const reply of refusals) {
        expect(reply.status, JSON.stringify(reply.body)).toBe(503);
        expect(reply.body).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'A platform service is temporarily unavailable; retry the request in a few seconds.',
          errorCode: 'service_unavailable',
        });
      }
      const raw = await fetch(`${hc.url}${A}/actions`, { headers: { authorization: `Bearer ${hc.token}` } });
      expect(raw.status).toBe(503);
      expect(raw.headers.get('retry-after')).toBe('1');
    } finally {
      await startAgain();
    }

    const back = await hc.until('the API to serve again', async () => {
      const reply = await hc.api<{ actions: Array<{ name: string }> }>('GET', `${A}/actions`);
      return reply.status === 200 ? reply.body : undefined;
    });
    // The data survived the restart, and nothing from the outage was half-written.
    expect(back.actions.map((a) => a.name)).toContain('outage-probe');
    expect(back.actions.map((a) => a.name)).not.toContain('during-outage');
    const run = await execute('post-login', sampleEvent('post-login'));
    expect(run.body.status).toBe('final');
    expect((await hc.api('GET', `${A}/actions`, undefined, issued.body.token)).status).toBe(200);
    await bind(hc, 'post-login', []);
  });
});

describe('a throttled function', () => {
  it('is rate_limited data in a sync execution, and an async one is retried until it runs', async () => {
    const sync = await deployedAction(hc, {
      name: 'throttled-sync',
      code: `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://t.test/ran', 1); };`,
    });
    const async_ = await deployedAction(hc, {
      name: 'throttled-async',
      trigger: 'post-change-password',
      code: 'exports.onExecutePostChangePassword = async () => {};',
    });
    await bind(hc, 'post-login', ['throttled-sync']);
    await bind(hc, 'post-change-password', ['throttled-async']);
    const fns = [await liveFunction(sync.id), await liveFunction(async_.id)];
    // Reserved concurrency 0: every invocation is throttled (Lambda's "Throttle" button).
    for (const FunctionName of fns)
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 0 }));

    const throttled = await execute('post-login', sampleEvent('post-login'));
    expect(throttled.status).toBe(200);
    expect(throttled.body.status).toBe('failed');
    expect(throttled.body.error).toMatchObject({
      action_name: 'throttled-sync',
      class: 'rate_limited',
      name: 'RateLimitedError',
    });
    const queued = await execute('post-change-password', sampleEvent('post-change-password'));
    expect(queued.status).toBe(202);
    await hc.until('a throttled async attempt', async () => {
      const record = await execution(queued.body.execution_id);
      return record?.status === 'pending' && (record.attempts ?? 0) >= 1 ? true : undefined;
    });

    for (const FunctionName of fns) await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName }));
    expect((await execute('post-login', sampleEvent('post-login'))).body.status).toBe('final');
    const done = await hc.until('the async execution to run', async () => {
      const record = await execution(queued.body.execution_id);
      return record?.status === 'pending' ? undefined : record;
    });
    expect(done.status).toBe('final');
    await bind(hc, 'post-login', []);
    await bind(hc, 'post-change-password', []);
  });
});

describe('a build that crashes half-way', () => {
  type Deploy = FunctionHost['deploy'];
  let realDeploy: Deploy;
  /** Action names whose next builds crash after creating the function, and how many times. */
  const crashes = new Map<string, number>();

  beforeAll(() => {
    const functions = hc.stack.platforms.builder.actions.functions;
    realDeploy = functions.deploy.bind(functions);
    // The builder's process "dies" between creating the function and recording the build.
    functions.deploy = async (spec, options) => {
      const outcome = await realDeploy(spec, options);
      const action = await hc.stack.platform.store.actions.get(TENANT, spec.tags['hookchain:action'] ?? '');
      const left = action ? (crashes.get(action.name) ?? 0) : 0;
      if (left > 0) {
        crashes.set(action?.name as string, left - 1);
        throw new Error('the builder crashed');
      }
      return outcome;
    };
  });
  afterAll(() => {
    hc.stack.platforms.builder.actions.functions.deploy = realDeploy;
  });

  it('once: the redelivered job builds it, and a deploy that crashes once still goes live', async () => {
    crashes.set('crash-once', 1);
    const created = await createAction(hc, {
      name: 'crash-once',
      code: 'exports.onExecutePostLogin = async () => {};',
    });
    const built = await waitForBuild(hc, created.id);
    expect(built.status).toBe('built');
    expect(crashes.get('crash-once')).toBe(0);

    crashes.set('crash-once', 1);
    const deployed = await hc.api<{ number: number }>('POST', `${A}/actions/${created.id}/deploy`);
    expect(deployed.status).toBe(200);
    const live = await hc.until('version 1 to go live', async () => {
      const { body } = await hc.api<ActionBody>('GET', `${A}/actions/${created.id}`);
      return (body.deployed_version as { number?: number } | undefined)?.number === 1 ? body : undefined;
    });
    expect(live.deployed_version).toMatchObject({ number: 1, status: 'built' });
  });

  // Five deliveries (1 + 2 + 4 + 8 s of backoff) before the last one records the failure: patient.
  it('on every delivery: the build ends failed with a clear error, never stuck building; an update rebuilds', {
    timeout: 90_000,
  }, async () => {
    crashes.set('crash-always', 100);
    const created = await createAction(hc, {
      name: 'crash-always',
      code: 'exports.onExecutePostLogin = async () => {};',
    });
    const failed = await waitForBuild(hc, created.id, undefined, 75_000);
    expect(failed.status).toBe('failed');
    expect(failed.errors).toEqual([
      {
        id: 'platform_error',
        msg: 'The build could not complete: the builder failed unexpectedly. Update the action (or deploy again) to retry.',
      },
    ]);

    crashes.delete('crash-always');
    const updated = await hc.api('PATCH', `${A}/actions/${created.id}`, {
      code: '// fixed\nexports.onExecutePostLogin = async () => {};',
    });
    expect(updated.status).toBe(200);
    expect((await waitForBuild(hc, created.id)).status).toBe('built');
  });
});
