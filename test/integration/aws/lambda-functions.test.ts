/**
 * Action functions on a Lambda that behaves as AWS's does (issue 14: B8, B9, B10, B11): a reused
 * function is only changed once it is settled and gets the platform's settings back; each
 * function's log group is created with retention before it and deleted with it; a full code
 * storage is a clear build error; a deleted action's functions outlive the dispatchers' chain cache.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsFidelityOverrides, awsFidelity, LOCAL_FIDELITY } from '../../../infra/local/fidelity.ts';
import { type ActionBody, createAction, waitForBuild } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';
import { handlerZip } from '../../support/lambda-zip.ts';

let hc: TestHookchain | undefined;
let lambda: LambdaClient | undefined;
let logs: CloudWatchLogsClient | undefined;
afterEach(async () => {
  lambda?.destroy();
  logs?.destroy();
  await hc?.stop();
  hc = lambda = logs = undefined;
});

async function start(fidelity: AwsFidelityOverrides['lambda'], config: Record<string, string> = {}) {
  hc = await startTestHookchain({ fidelity: awsFidelity({ lambda: fidelity }), config });
  lambda = new LambdaClient(hc.stack.clientConfig('lambda'));
  logs = new CloudWatchLogsClient(hc.stack.clientConfig('logs'));
  return { hc, lambda, logs };
}

const CODE = 'exports.onExecutePostLogin = async () => {};';

async function draftFunction(stack: TestHookchain, id: string): Promise<string> {
  const action = await stack.stack.platform.store.actions.get(stack.stack.bootstrap.tenant, id);
  if (!action?.draft_function) throw new Error(`${id} has no draft function`);
  return action.draft_function;
}

async function logGroup(client: CloudWatchLogsClient, functionName: string) {
  const name = `/aws/lambda/${functionName}`;
  const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return logGroups?.find((g) => g.logGroupName === name);
}

async function functionGone(client: LambdaClient, name: string): Promise<boolean> {
  try {
    await client.send(new GetFunctionCommand({ FunctionName: name }));
    return false;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return true;
    throw error;
  }
}

describe('a draft rebuilt into its existing function', () => {
  it('waits for the function to settle, then restores its memory, timeout and role before the code', async () => {
    // Long enough that the rebuild surely meets the configuration change still InProgress.
    const { hc, lambda } = await start({ pendingMs: 2_000 });
    const created = await createAction(hc, { name: 'reused', code: CODE });
    expect((await waitForBuild(hc, created.id)).status).toBe('built');
    const name = await draftFunction(hc, created.id);
    const platform = hc.stack.platform.config;

    // Someone changed the function (or the platform's settings changed since it was created).
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 1024, Timeout: 3 }),
    );
    const patched = await hc.api<ActionBody>('PATCH', `/api/v2/actions/actions/${created.id}`, {
      code: `${CODE}\n// changed`,
    });
    expect(patched.status).toBe(200);
    const rebuilt = await hc.until('the rebuild', async () => {
      const { body } = await hc.api<ActionBody>('GET', `/api/v2/actions/actions/${created.id}`);
      const settled = body.status === 'built' || body.status === 'failed';
      return settled && String(body.code).endsWith('// changed') ? body : undefined;
    });
    expect(rebuilt.status).toBe('built');
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(config).toMatchObject({
      MemorySize: platform.actionMemoryMb,
      Timeout: platform.actionTimeoutSeconds,
      Role: platform.actionRoleArn,
    });
  });
});

describe('a build that loses the race for a shared function', () => {
  it('leaves the code another build put there between its check and its update', async () => {
    // No Pending window: only the RevisionId tells that the function changed in between.
    const { hc, lambda } = await start({ pendingMs: 0 });
    const { functions, config } = hc.stack.platform;
    const spec = (body: string) => ({
      name: `${config.functionPrefix}-race-draft`,
      zip: handlerZip(body),
      roleArn: config.actionRoleArn,
      architecture: config.actionArchitecture,
      memoryMb: config.actionMemoryMb,
      timeoutSeconds: config.actionTimeoutSeconds,
      tags: { 'hookchain:stage': config.stage },
    });
    expect(await functions.deploy(spec('return "older";'))).toBe('deployed');

    // A newer build changes the code just after this one was told it is still wanted.
    const newer = handlerZip('return "newer";');
    const answers: boolean[] = [];
    const outcome = await functions.deploy(spec('return "slower";'), {
      stillWanted: async () => {
        const first = answers.length === 0;
        if (first) {
          await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: spec('').name, ZipFile: newer }));
        }
        answers.push(first); // asked again after the lost race, it is no longer wanted
        return first;
      },
    });

    expect(answers).toEqual([true, false]);
    expect(outcome).toBe('superseded');
    const served = await hc.until('the newer code to serve', async () => {
      const run = await lambda.send(new InvokeCommand({ FunctionName: spec('').name }));
      const payload = Buffer.from(run.Payload ?? []).toString();
      return run.FunctionError ? undefined : payload;
    });
    expect(served).toBe('"newer"');
  });
});

describe('an action function’s log group', () => {
  it('exists with retention once built, and goes with the function after the action is deleted', async () => {
    // A 1 s chain budget keeps the wait for the deleted action's functions short.
    const { hc, lambda, logs } = await start(
      {},
      { HOOKCHAIN_ACTION_LOG_RETENTION_DAYS: '7', HOOKCHAIN_CHAIN_BUDGET_MS: '1000' },
    );
    const created = await createAction(hc, { name: 'logged', code: CODE });
    expect((await waitForBuild(hc, created.id)).status).toBe('built');
    const name = await draftFunction(hc, created.id);
    expect(await logGroup(logs, name)).toMatchObject({ retentionInDays: 7 });

    expect((await hc.api('DELETE', `/api/v2/actions/actions/${created.id}`)).status).toBe(204);
    // A dispatcher in another container may still route to it for its chain cache's lifetime.
    const invoked = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ warmup: true }) }),
    );
    expect(invoked.StatusCode).toBe(200);
    expect(await logGroup(logs, name)).toBeDefined();

    await hc.until('the deleted action’s function to go', async () =>
      (await functionGone(lambda, name)) ? true : undefined,
    );
    await hc.until('its log group to go', async () =>
      (await logGroup(logs, name)) === undefined ? true : undefined,
    );
  });
});

describe('a build when the account’s code storage is full', () => {
  it('fails at once with code_storage_exceeded and says what to do', async () => {
    const { hc } = await start({ codeStorageBytes: 1_000 });
    const created = await createAction(hc, { name: 'no-room', code: CODE });
    const failed = await waitForBuild(hc, created.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors).toEqual([
      {
        id: 'code_storage_exceeded',
        msg: expect.stringMatching(/code storage is full.*Delete unused actions/),
      },
    ]);
  });
});

describe('the account’s code storage after a build', () => {
  it('is published as Hookchain/LambdaCodeStorageUsedPercent, which the stack alarms on', async () => {
    // The local mode shares one platform between the builder and the test, so its metrics are visible here.
    hc = await startTestHookchain({ fidelity: LOCAL_FIDELITY });
    const created = await createAction(hc, { name: 'weighed', code: CODE });
    expect((await waitForBuild(hc, created.id)).status).toBe('built');
    const { metrics } = hc.stack.platform;
    const percent = await hc.until('the code storage reading', async () =>
      metrics.readings().get('LambdaCodeStorageUsedPercent'),
    );
    // One small function in 75 GB: above nothing, far below the alarm.
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThan(1);
  });
});
