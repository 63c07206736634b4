/**
 * Tenant logs are the tenant's record of what ran, never a reason a login fails: CloudWatch may
 * abort CreateLogGroup (OperationAbortedException) or throttle it, so each tenant's group is
 * created with its retention when the tenant is, and on the hot path a log write is best effort.
 */
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { bind, deployedAction } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

const GREETER = `exports.onExecutePostLogin = async (event, api) => {
  console.log('hello', event.user.user_id);
  api.idToken.setCustomClaim('greeted', true);
};`;

const execute = (hc: TestHookchain) =>
  hc.api<{ status: string; execution_id: string }>('POST', '/api/v2/actions/triggers/post-login/execute', {
    event: sampleEvent('post-login'),
  });

const groupOf = (hc: TestHookchain, tenant: string) =>
  `${hc.stack.platform.config.logGroupPrefix}/${hc.stack.platform.config.stage}/${tenant}`;

/** Tenant log writes the dispatchers sent after answering, settled (written, or counted as lost). */
async function logWritesSettled(hc: TestHookchain) {
  await Promise.all(hc.stack.platforms.dispatchers.flatMap((p) => [...p.dispatch.pendingLogs]));
}

function logsClient(hc: TestHookchain) {
  return new CloudWatchLogsClient(hc.stack.clientConfig('logs'));
}

async function describeGroup(hc: TestHookchain, name: string) {
  const client = logsClient(hc);
  try {
    const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    return logGroups?.find((g) => g.logGroupName === name);
  } finally {
    client.destroy();
  }
}

describe('when CloudWatch aborts CreateLogGroup on the login path', () => {
  let hc: TestHookchain;
  beforeAll(async () => {
    // Every second CreateLogGroup aborts: the tenant's group (bootstrap) and each function's
    // (builder) retry through it, then the tenant's group goes missing, so the login path itself
    // must create it, and its first try is aborted.
    hc = await startTestHookchain({ fidelity: awsFidelity({ logs: { abortCreateLogGroupEvery: 2 } }) });
    await deployedAction(hc, { name: 'greeter', code: GREETER });
    await bind(hc, 'post-login', ['greeter']);
    const client = logsClient(hc);
    await client.send(new DeleteLogGroupCommand({ logGroupName: groupOf(hc, 'dev') }));
    client.destroy();
  });
  afterAll(() => hc?.stop());

  it('a login still answers its outcome; the log is written on a retry or its loss is counted, never thrown', async () => {
    const { status, body } = await execute(hc);
    expect(status).toBe(200);
    expect(body.status).toBe('final');
    // The caller waits for the execution record only; the log write may still be in flight.
    await logWritesSettled(hc);
    const lost = hc.stack.platforms.dispatchers.reduce(
      (sum, p) => sum + (p.metrics.counts().get('TenantLogWriteFailed') ?? 0),
      0,
    );
    const logs = await hc.api<{ logs: unknown[] }>(
      'GET',
      `/api/v2/actions/logs?execution=${body.execution_id}`,
    );
    expect(lost + logs.body.logs.length).toBe(1);
  });
});

describe('tenant log groups', () => {
  let hc: TestHookchain;
  beforeAll(async () => {
    // AWS-faithful defaults: every third CreateLogGroup is aborted.
    hc = await startTestHookchain({ fidelity: awsFidelity() });
  });
  afterAll(() => hc?.stop());

  it('exist with their retention as soon as the tenant does, though CloudWatch aborts some creates', async () => {
    for (const id of ['acme', 'globex', 'initech']) {
      const created = await hc.api('POST', '/api/v2/hookchain/tenants', { id }, hc.operatorToken);
      expect(created.status).toBe(201);
      expect(await describeGroup(hc, groupOf(hc, id))).toMatchObject({
        retentionInDays: hc.stack.platform.config.tenantLogRetentionDays,
      });
    }
  });

  it('the bootstrapped tenant has its group too', async () => {
    expect(await describeGroup(hc, groupOf(hc, 'dev'))).toMatchObject({
      retentionInDays: hc.stack.platform.config.tenantLogRetentionDays,
    });
  });

  it('a tenant whose group is missing (created before groups were) gets it on its first run', async () => {
    const client = logsClient(hc);
    await client.send(new DeleteLogGroupCommand({ logGroupName: groupOf(hc, 'dev') }));
    client.destroy();
    await deployedAction(hc, { name: 'greeter', code: GREETER });
    await bind(hc, 'post-login', ['greeter']);

    const { body } = await execute(hc);
    expect(body.status).toBe('final');
    await logWritesSettled(hc);
    const logs = await hc.api<{ logs: Array<{ execution_id: string }> }>(
      'GET',
      `/api/v2/actions/logs?execution=${body.execution_id}`,
    );
    expect(logs.body.logs.map((l) => l.execution_id)).toEqual([body.execution_id]);
    expect(await describeGroup(hc, groupOf(hc, 'dev'))).toMatchObject({
      retentionInDays: hc.stack.platform.config.tenantLogRetentionDays,
    });
  });
});
