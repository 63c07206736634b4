/**
 * The tenant logs port (shared/ports/tenant-logs.ts), one specification over both adapters: in
 * memory (shared/memory/tenant-logs.ts) and CloudWatch Logs (shared/aws/cloudwatch-tenant-logs.ts)
 * against the local CloudWatch Logs server. Each test logs for tenants of its own: the CloudWatch
 * adapter shares an identical query's answer for a moment, so a test never asks the same question
 * twice about a tenant whose log changed in between.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudWatchTenantLogs } from '../../shared/aws/cloudwatch-tenant-logs.ts';
import { memoryTenantLogs } from '../../shared/memory/tenant-logs.ts';
import type { ActionRunLog, LogQuery, TenantLogSink } from '../../shared/ports/tenant-logs.ts';
import { startTestStack } from '../support/local-stack.ts';

interface LogsAdapter {
  name: string;
  start(): Promise<{ sink: TenantLogSink; stop(): Promise<void> }>;
}

const adapters: LogsAdapter[] = [
  {
    name: 'memoryTenantLogs',
    start: async () => ({ sink: memoryTenantLogs(), stop: async () => {} }),
  },
  {
    name: 'cloudWatchTenantLogs (local CloudWatch Logs server)',
    start: async () => {
      const stack = await startTestStack({ exportEnv: false });
      const sink = cloudWatchTenantLogs(
        { groupPrefix: '/hookchain/contract', stage: 'test', retentionDays: 10 },
        stack.clients.logs,
      );
      return { sink, stop: () => stack.stop() };
    },
  },
];

const newTenant = () => `tenant-${randomUUID().slice(0, 8)}`;

/** A minute ago: recent enough for any log service to accept, with room for runs on either side. */
const T0 = Date.now() - 60_000;

function run(tenantId: string, overrides: Partial<ActionRunLog> = {}): ActionRunLog {
  return {
    tenant_id: tenantId,
    trigger_id: 'post-login',
    execution_id: `exec-${randomUUID()}`,
    action_id: 'act-1',
    action_name: 'greeter',
    version_id: 'ver-1',
    entrypoint: 'onExecutePostLogin',
    level: 'info',
    message: 'greeter ran in 3 ms',
    duration_ms: 3,
    logs: [{ level: 'log', message: 'hello ключ 🔑', at: new Date(T0).toISOString() }],
    timestamp: T0,
    ...overrides,
  };
}

/** Every page of a query, following next_token to the end. */
async function allPages(sink: TenantLogSink, tenantId: string, query: LogQuery) {
  const pages = [];
  let next: string | undefined;
  do {
    const page = await sink.query(tenantId, { ...query, ...(next ? { next_token: next } : {}) });
    pages.push(page);
    next = page.next_token;
  } while (next);
  return pages;
}

describe.each(adapters)('the tenant logs port: $name', (adapter) => {
  let sink: TenantLogSink;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ sink, stop } = await adapter.start());
  });
  afterAll(() => stop?.());

  it('answers the runs a tenant wrote, whole, oldest first, however they were sent', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    const second = run(tenant, { timestamp: T0 + 2_000, action_name: 'second' });
    const first = run(tenant, {
      timestamp: T0 + 1_000,
      action_name: 'first',
      level: 'error',
      error: { class: 'action_error', name: 'TypeError', message: 'x is undefined' },
    });
    const third = run(tenant, { timestamp: T0 + 3_000, action_name: 'third' });
    await sink.write(tenant, [second, first]);
    await sink.write(tenant, [third]);

    expect(await sink.query(tenant, {})).toEqual({ logs: [first, second, third] });
  });

  it('creating a tenant’s group is safe to repeat, and a new group holds no runs', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    await sink.createTenantGroup(tenant);
    expect(await sink.query(tenant, {})).toEqual({ logs: [] });
  });

  it('a tenant that never logged answers an empty page, not an error', async () => {
    expect(await sink.query(newTenant(), {})).toEqual({ logs: [] });
  });

  it('a write for a tenant whose group is missing makes the group and keeps the runs', async () => {
    const tenant = newTenant();
    const written = run(tenant);
    await sink.write(tenant, [written]);
    expect(await sink.query(tenant, {})).toEqual({ logs: [written] });
  });

  it('writing no runs does nothing', async () => {
    const tenant = newTenant();
    await sink.write(tenant, []);
    expect(await sink.query(tenant, {})).toEqual({ logs: [] });
  });

  it('one tenant never sees another’s runs', async () => {
    const [acme, globex] = [newTenant(), newTenant()];
    await sink.createTenantGroup(acme);
    await sink.createTenantGroup(globex);
    const acmeRun = run(acme);
    const globexRun = run(globex);
    await sink.write(acme, [acmeRun]);
    await sink.write(globex, [globexRun]);

    expect((await sink.query(acme, {})).logs).toEqual([acmeRun]);
    expect((await sink.query(globex, { execution: acmeRun.execution_id })).logs).toEqual([]);
  });

  it('filters by action name, trigger and execution, each matched exactly', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    const greeter = run(tenant, { action_name: 'greeter', timestamp: T0 + 1 });
    const greeterTwo = run(tenant, { action_name: 'greeter-2', timestamp: T0 + 2 });
    const registration = run(tenant, {
      action_name: 'greeter',
      trigger_id: 'post-user-registration',
      timestamp: T0 + 3,
    });
    await sink.write(tenant, [greeter, greeterTwo, registration]);

    expect((await sink.query(tenant, { action: 'greeter' })).logs).toEqual([greeter, registration]);
    expect((await sink.query(tenant, { trigger: 'post-user-registration' })).logs).toEqual([registration]);
    expect((await sink.query(tenant, { execution: greeterTwo.execution_id })).logs).toEqual([greeterTwo]);
    expect(
      (
        await sink.query(tenant, {
          action: 'greeter',
          trigger: 'post-login',
          execution: greeter.execution_id,
        })
      ).logs,
    ).toEqual([greeter]);
    expect((await sink.query(tenant, { action: 'greet' })).logs).toEqual([]);
  });

  it('leaves out runs that started before `since`, to the millisecond', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    const since = T0;
    const runs = [since - 120_000, since - 1, since, since + 1_000].map((timestamp) =>
      run(tenant, { timestamp }),
    );
    await sink.write(tenant, runs);

    expect((await sink.query(tenant, { since })).logs).toEqual(runs.slice(2));
  });

  it('pages by `limit`: next_token leads through every matching run once, in order, and the last page has none', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    const runs = [1, 2, 3, 4, 5].map((n) => run(tenant, { timestamp: T0 + n * 1_000 }));
    await sink.write(tenant, runs);

    const pages = await allPages(sink, tenant, { limit: 2 });
    expect(pages[0]?.logs).toEqual(runs.slice(0, 2));
    expect(pages[0]?.next_token).toEqual(expect.any(String));
    for (const page of pages) expect(page.logs.length).toBeLessThanOrEqual(2);
    expect(pages.flatMap((page) => page.logs)).toEqual(runs);
    expect(pages.at(-1)?.next_token).toBeUndefined();
  });

  it('pages through a filtered query without the runs the filter leaves out', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    const runs = [1, 2, 3, 4, 5, 6].map((n) =>
      run(tenant, { timestamp: T0 + n * 1_000, action_name: n % 2 === 0 ? 'even' : 'odd' }),
    );
    await sink.write(tenant, runs);

    const pages = await allPages(sink, tenant, { action: 'even', limit: 2 });
    expect(pages.flatMap((page) => page.logs)).toEqual(runs.filter((r) => r.action_name === 'even'));
  });

  it('keeps runs with the same start time, each once', async () => {
    const tenant = newTenant();
    await sink.createTenantGroup(tenant);
    const runs = ['a', 'b', 'c'].map((name) => run(tenant, { action_name: name, timestamp: T0 }));
    await sink.write(tenant, runs);

    const pages = await allPages(sink, tenant, { limit: 1 });
    const seen = pages.flatMap((page) => page.logs);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((r) => r.execution_id))).toEqual(new Set(runs.map((r) => r.execution_id)));
  });
});
