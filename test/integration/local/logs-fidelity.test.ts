/**
 * The CloudWatch Logs server in the AWS-faithful mode refuses what AWS refuses: FilterLogEvents past
 * the account's rate and, now and then, CreateLogGroup. The rate is metered by a clock the test
 * holds still, so the burst and its refill are exact.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  OperationAbortedException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { awsFidelity, type Fidelity, LOCAL_FIDELITY } from '../../../infra/local/fidelity.ts';
import { generateLocalCredentials } from '../../../infra/local/local-credentials.ts';
import { createLogger } from '../../../infra/local/logger.ts';
import { startLogsServer } from '../../../infra/local/logs-server/server.ts';
import { LogStore } from '../../../infra/local/logs-server/store.ts';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

let clock = 1_000_000;

async function logsClient(fidelity: Fidelity): Promise<CloudWatchLogsClient> {
  const credentials = generateLocalCredentials();
  const server = await startLogsServer({
    store: await LogStore.open(),
    logger: createLogger({ level: 'silent' }),
    credentials,
    fidelity,
    now: () => clock,
  });
  stops.push(server.stop);
  // One attempt: the test sees each refusal itself, not the SDK's retry of it.
  const client = new CloudWatchLogsClient({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    credentials,
    maxAttempts: 1,
  });
  stops.push(async () => client.destroy());
  await client.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
  return client;
}

const filter = (client: CloudWatchLogsClient) =>
  client.send(new FilterLogEventsCommand({ logGroupName: 'g' })).then(
    () => 'ok',
    (error: unknown) => (error instanceof ThrottlingException ? `throttled: ${error.message}` : error),
  );

describe('CloudWatch Logs in the AWS-faithful mode', () => {
  it('serves FilterLogEvents at the account rate: a burst of N, then N per second, ThrottlingException past it', async () => {
    const client = await logsClient(awsFidelity({ logs: { filterLogEventsPerSecond: 5 } }));
    const burst = [];
    for (let i = 0; i < 7; i++) burst.push(await filter(client));
    expect(burst).toEqual([...Array(5).fill('ok'), 'throttled: Rate exceeded', 'throttled: Rate exceeded']);

    clock += 400; // two requests' worth of refill
    const after = [await filter(client), await filter(client), await filter(client)];
    expect(after).toEqual(['ok', 'ok', 'throttled: Rate exceeded']);
  });

  it('aborts every Nth CreateLogGroup with OperationAbortedException, creating nothing', async () => {
    // The helper's own CreateLogGroup was the first.
    const client = await logsClient(awsFidelity({ logs: { abortCreateLogGroupEvery: 2 } }));
    const create = (name: string) =>
      client.send(new CreateLogGroupCommand({ logGroupName: name })).then(
        () => 'created',
        (error: unknown) => (error instanceof OperationAbortedException ? 'aborted' : error),
      );
    expect([await create('a'), await create('b'), await create('c'), await create('d')]).toEqual([
      'aborted',
      'created',
      'aborted',
      'created',
    ]);
    const groups = await client.send(new DescribeLogGroupsCommand({}));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(['b', 'd', 'g']);
  });

  it('refuses nothing in the local mode', async () => {
    const client = await logsClient(LOCAL_FIDELITY);
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await filter(client));
    expect(results.every((r) => r === 'ok')).toBe(true);
    await expect(client.send(new CreateLogGroupCommand({ logGroupName: 'x' }))).resolves.toBeDefined();
  });
});
