/**
 * The async worker (shared/dispatch/async-worker.ts) over the in-memory adapters: a queued
 * execution runs under a lease, once however often its job is delivered; what is retried and what
 * is not. Deliveries are the test's: it hands the queued job to runAsyncJob as SQS would.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExecutionBusyError,
  RetryableExecutionError,
  runAsyncJob,
} from '../../../shared/dispatch/async-worker.ts';
import { type AsyncJob, executeTrigger, getExecution } from '../../../shared/dispatch/dispatcher.ts';
import { EXECUTION_TTL_SECONDS } from '../../../shared/model/executions.ts';
import type { TenantLogSink } from '../../../shared/ports/tenant-logs.ts';
import { samplePostUserRegistrationEvent } from '../../../shared/triggers/samples.ts';
import { handlerZip, TEST_ROLE } from '../../support/lambda-zip.ts';
import {
  createMemoryDispatch,
  type MemoryDispatch,
  removeActionBundles,
} from '../../support/memory-dispatch.ts';

const LEASE_MS = 60_000;
const registration = (body: string) =>
  `exports.onExecutePostUserRegistration = async (event, api) => {\n${body}\n};`;

let hc: MemoryDispatch;

beforeEach(async () => {
  hc = await createMemoryDispatch();
});

afterEach(() => hc.restoreConsole());
afterAll(removeActionBundles);

/** Binds actions with these bodies, registers a user, and answers the job the dispatcher queued. */
async function queued(...bodies: string[]): Promise<AsyncJob> {
  const actions = [];
  for (const [index, body] of bodies.entries()) {
    actions.push(
      await hc.deployAction({
        name: `action-${index + 1}`,
        trigger: 'post-user-registration',
        code: registration(body),
      }),
    );
  }
  await hc.bind('post-user-registration', actions);
  await executeTrigger(hc.ctx, hc.tenantId, 'post-user-registration', {
    event: samplePostUserRegistrationEvent,
  });
  const [job, ...more] = hc.asyncJobs.drain();
  if (!job || more.length > 0)
    throw new Error(`expected one queued job, found ${more.length + (job ? 1 : 0)}`);
  return job;
}

const deliver = (job: AsyncJob, options: { onLogsLost?: (error: unknown) => void } = {}) =>
  runAsyncJob(hc.ctx, job, { leaseMs: LEASE_MS, ...options });

const runsLogged = async (job: AsyncJob) =>
  (await hc.logs.query(hc.tenantId, { execution: job.execution_id })).logs.map((l) => l.action_name);

describe('an async execution delivered to the worker', () => {
  it('runs its chain and completes the execution final, its results recorded and its event dropped', async () => {
    const job = await queued(`console.log('welcome', event.user.email);`);

    expect(await deliver(job)).toBe('completed');

    const record = await getExecution(hc.ctx, hc.tenantId, job.execution_id);
    expect(record).toMatchObject({ status: 'final', attempts: 1 });
    expect(record?.results.map((r) => [r.action_name, r.error])).toEqual([['action-1', null]]);
    expect(record?.event).toBeUndefined();
    expect(record?.lease_holder).toBeUndefined();
    expect(await runsLogged(job)).toEqual(['action-1']);
    expect(hc.ctx.metrics.counts().get('ActionExecutions')).toBe(1);
  });

  it('runs the chain once when the same job is delivered twice, one after the other: the second is skipped', async () => {
    const job = await queued(`console.log('welcome');`);

    expect(await deliver(job)).toBe('completed');
    expect(await deliver(job)).toBe('skipped');

    expect(await runsLogged(job)).toEqual(['action-1']);
    expect(hc.ctx.metrics.counts().get('ActionExecutions')).toBe(1);
  });

  it('hands a delivery back while another holds the lease (ExecutionBusyError until the lease ends), so two deliveries at once run the chain once', async () => {
    const job = await queued(`console.log('welcome');`);

    const [first, second] = await Promise.allSettled([deliver(job), deliver(job)]);

    expect(first).toEqual({ status: 'fulfilled', value: 'completed' });
    expect(second.status).toBe('rejected');
    const busy = (second as PromiseRejectedResult).reason;
    expect(busy).toBeInstanceOf(ExecutionBusyError);
    expect((busy as ExecutionBusyError).until).toBe(hc.clock() + LEASE_MS);
    expect(await runsLogged(job)).toEqual(['action-1']);
    // Handed back and delivered again after the lease: the execution is finished by then.
    hc.clock.advance(LEASE_MS);
    expect(await deliver(job)).toBe('skipped');
  });

  it('takes over an execution whose lease holder died, once its lease has ended', async () => {
    const job = await queued(`console.log('welcome');`);
    const now = hc.clock();
    // A delivery that claimed the execution and crashed before finishing it.
    await hc.store.executions.claim(job.tenant_id, job.execution_id, {
      holder: 'crashed',
      now,
      until: now + 1_000,
    });

    await expect(deliver(job)).rejects.toBeInstanceOf(ExecutionBusyError);
    hc.clock.advance(1_000);

    expect(await deliver(job)).toBe('completed');
    expect(await getExecution(hc.ctx, hc.tenantId, job.execution_id)).toMatchObject({
      status: 'final',
      attempts: 2,
    });
  });

  it('records an action’s throw as the action’s own outcome: the rest of the chain runs, the execution is partial, and nothing is retried', async () => {
    const job = await queued(`throw new Error('mailer refused');`, `console.log('still runs');`);

    expect(await deliver(job)).toBe('completed');

    const record = await getExecution(hc.ctx, hc.tenantId, job.execution_id);
    expect(record?.status).toBe('partial');
    expect(record?.results.map((r) => [r.action_name, r.error?.class ?? null])).toEqual([
      ['action-1', 'action_error'],
      ['action-2', null],
    ]);
    expect(await deliver(job)).toBe('skipped');
  });

  it('gives the lease up and asks for a retry when an action could not be run (a platform error); the attempt is counted and the execution stays pending', async () => {
    const job = await queued(`console.log('welcome');`);
    const action = await hc.store.actions.get(hc.tenantId, 'act-action-1');
    await hc.functions.delete(action?.deployed?.function_name as string);

    await expect(deliver(job)).rejects.toBeInstanceOf(RetryableExecutionError);

    const record = await getExecution(hc.ctx, hc.tenantId, job.execution_id);
    expect(record).toMatchObject({ status: 'pending', attempts: 1 });
    expect(record?.lease_holder).toBeUndefined();
    // No lease stands in the way of the redelivery: it is tried again at once.
    await expect(deliver(job)).rejects.toBeInstanceOf(RetryableExecutionError);
    expect(await getExecution(hc.ctx, hc.tenantId, job.execution_id)).toMatchObject({ attempts: 2 });
  });

  it('retries an execution whose action’s sandbox crashed, or was throttled: either may pass', async () => {
    const job = await queued(`console.log('welcome');`);
    const action = await hc.store.actions.get(hc.tenantId, 'act-action-1');
    const functionName = action?.deployed?.function_name as string;
    await hc.functions.deploy({
      name: functionName,
      zip: handlerZip(`throw new Error('Runtime exited with error: signal: killed');`),
      roleArn: TEST_ROLE,
      architecture: 'arm64',
      memoryMb: 128,
      timeoutSeconds: 10,
      tags: {},
    });

    await expect(deliver(job)).rejects.toThrow(/will be retried: action-1: The action's process crashed/);

    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    hc.ctx.functions = { ...hc.functions, invoke: () => Promise.reject(throttled) };
    await expect(deliver(job)).rejects.toBeInstanceOf(RetryableExecutionError);

    expect(await getExecution(hc.ctx, hc.tenantId, job.execution_id)).toMatchObject({
      status: 'pending',
      attempts: 2,
    });
    expect(hc.ctx.metrics.counts().get('ActionErrors')).toBe(2);
  });

  it('does not run the chain again when its logs cannot be written: the execution completes and onLogsLost is told', async () => {
    const job = await queued(`console.log('welcome');`);
    const lost = new Error('ThrottlingException');
    const failingLogs: TenantLogSink = {
      ...hc.logs,
      write: async () => {
        throw lost;
      },
    };
    hc.ctx.logs = failingLogs;
    const told: unknown[] = [];

    expect(await deliver(job, { onLogsLost: (error) => told.push(error) })).toBe('completed');

    expect(told).toEqual([lost]);
    expect(await getExecution(hc.ctx, hc.tenantId, job.execution_id)).toMatchObject({ status: 'final' });
    expect(await deliver(job)).toBe('skipped');
  });

  it('counts a lost log write as TenantLogWriteFailed, as a sync trigger’s is (docs/deploy.md: every failed tenant log write is counted)', async () => {
    const job = await queued(`console.log('welcome');`);
    hc.ctx.logs = {
      ...hc.logs,
      write: async () => {
        throw new Error('ThrottlingException');
      },
    };

    await deliver(job, { onLogsLost: () => undefined });

    expect(hc.ctx.metrics.counts().get('TenantLogWriteFailed')).toBe(1);
  });

  it('runs the chain as it is bound when the job runs, not as it was when the job was queued', async () => {
    const job = await queued(`console.log('bound when queued');`);
    const later = await hc.deployAction({
      name: 'bound-later',
      trigger: 'post-user-registration',
      code: registration(`console.log('bound later');`),
    });
    await hc.bind('post-user-registration', [later]);
    hc.ctx.chains.invalidate();

    await deliver(job);

    expect(await runsLogged(job)).toEqual(['bound-later']);
  });

  it('skips a job whose execution has outlived its ten days', async () => {
    const job = await queued(`console.log('welcome');`);
    hc.clock.advance(EXECUTION_TTL_SECONDS * 1000);

    expect(await deliver(job)).toBe('skipped');
    expect(await runsLogged(job)).toEqual([]);
  });

  it('completes an execution final when nothing is bound by the time it runs', async () => {
    const job = await queued(`console.log('welcome');`);
    await hc.bind('post-user-registration', []);
    hc.ctx.chains.invalidate();

    expect(await deliver(job)).toBe('completed');
    expect(await getExecution(hc.ctx, hc.tenantId, job.execution_id)).toMatchObject({
      status: 'final',
      results: [],
    });
  });

  it('skips a job whose execution does not exist or belongs to another tenant', async () => {
    const job = await queued(`console.log('welcome');`);

    expect(await deliver({ ...job, execution_id: 'no-such-execution' })).toBe('skipped');
    expect(await deliver({ ...job, tenant_id: 'tenant-b' })).toBe('skipped');
    expect(await runsLogged(job)).toEqual([]);
  });
});
