import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';

let stack: TestStack;
const group = '/hookchain/tenant/dev';
const t0 = Date.now() - 60_000;

beforeAll(async () => {
  stack = await startTestStack();
  const logs = stack.clients.logs;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const stream of ['exec/a', 'exec/b', 'other']) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  }
  const put = (stream: string, events: [number, string][]) =>
    logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: events.map(([offset, message]) => ({ timestamp: t0 + offset, message })),
      }),
    );
  await put('exec/a', [
    [0, JSON.stringify({ level: 'info', action: 'add-roles', ms: 12 })],
    [20, 'ERROR Task timed out after 3.00 seconds'],
    [40, JSON.stringify({ level: 'error', action: 'add-roles', ms: 250 })],
  ]);
  await put('exec/b', [
    [10, JSON.stringify({ level: 'error', action: 'deny-bots', ms: 5 })],
    [30, 'WARN slow dependency'],
  ]);
  await put('other', [[15, 'ERROR unrelated']]);
});
afterAll(async () => {
  await stack?.stop();
});

const filter = async (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>) =>
  (await stack.clients.logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }))).events ?? [];

describe('CloudWatch Logs server through @aws-sdk/client-cloudwatch-logs', () => {
  it('returns events of every stream sorted by timestamp, with ids and ingestion times', async () => {
    const events = await filter({});
    expect(events.map((e) => e.timestamp)).toEqual([0, 10, 15, 20, 30, 40].map((o) => t0 + o));
    for (const event of events) {
      expect(event.eventId).toMatch(/^\d+$/);
      expect(event.ingestionTime).toBeGreaterThanOrEqual(event.timestamp ?? 0);
      expect(event.logStreamName).toBeDefined();
    }
  });

  it('filters by stream prefix, time range and pattern', async () => {
    expect((await filter({ logStreamNamePrefix: 'exec/' })).length).toBe(5);
    expect((await filter({ startTime: t0 + 10, endTime: t0 + 30 })).map((e) => e.timestamp)).toEqual(
      [10, 15, 20, 30].map((o) => t0 + o),
    );
    expect((await filter({ filterPattern: 'ERROR' })).map((e) => e.logStreamName)).toEqual([
      'other',
      'exec/a',
    ]);
    expect((await filter({ filterPattern: '"Task timed out"' })).length).toBe(1);
    expect((await filter({ filterPattern: '?WARN ?unrelated' })).length).toBe(2);
    expect(
      (await filter({ filterPattern: '{ $.level = "error" }' })).map(
        (e) => JSON.parse(e.message ?? '').action,
      ),
    ).toEqual(['deny-bots', 'add-roles']);
    expect((await filter({ filterPattern: '{ $.level = "error" && $.ms > 100 }' })).length).toBe(1);
    expect((await filter({ filterPattern: '{ $.action = "add-*" }' })).length).toBe(2);
  });

  it('paginates with limit and nextToken', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await stack.clients.logs.send(
        new FilterLogEventsCommand({ logGroupName: group, limit: 2, nextToken }),
      );
      seen.push(...(out.events ?? []).map((e) => e.message ?? ''));
      nextToken = out.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual((await filter({})).map((e) => e.message));
  });

  it('reads one stream with GetLogEvents, forwards and backwards', async () => {
    const logs = stack.clients.logs;
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: 'exec/a',
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(head.events?.map((e) => e.timestamp)).toEqual([t0, t0 + 20]);
    const rest = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: 'exec/a',
        nextToken: head.nextForwardToken,
      }),
    );
    expect(rest.events?.map((e) => e.timestamp)).toEqual([t0 + 40]);
    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 'exec/a', limit: 1 }),
    );
    expect(tail.events?.map((e) => e.timestamp)).toEqual([t0 + 40]);
    const streams = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'exec' }),
    );
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['exec/a', 'exec/b']);
  });

  it('answers the API exceptions', async () => {
    const logs = stack.clients.logs;
    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: group }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
    await expect(logs.send(new FilterLogEventsCommand({ logGroupName: '/missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'other',
          logEvents: [
            { timestamp: t0 + 5, message: 'b' },
            { timestamp: t0, message: 'a' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
