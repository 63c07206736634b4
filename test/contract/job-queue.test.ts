/**
 * The job queue port's contract (shared/ports/job-queue.ts), held against both adapters: SQS
 * (`sqsJobQueue`) against the local SQS server, and the in-memory queue the logic's unit tests use.
 * Each test sends to a queue of its own.
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalCredentials } from '../../infra/local/local-credentials.ts';
import { LOCAL_ACCOUNT } from '../../infra/local/resources.ts';
import { startSqs } from '../../infra/local/sqs-server.ts';
import { sqsJobQueue } from '../../shared/aws/sqs-job-queue.ts';
import { memoryJobQueue } from '../../shared/memory/job-queue.ts';
import type { JobQueue } from '../../shared/ports/job-queue.ts';
import { uniqueId } from '../support/store-records.ts';

type Job = Record<string, unknown>;

interface QueueUnderTest {
  queue: JobQueue<Job>;
  /** Takes the jobs delivered now (none are waiting to be delivered). */
  receive(): Promise<Job[]>;
  /** Takes the jobs delivered once `seconds` have passed: a moved clock, or a long poll. */
  receiveAfter(seconds: number): Promise<Job[]>;
}

interface Adapter {
  name: string;
  start(): Promise<{ newQueue(): Promise<QueueUnderTest>; stop(): Promise<void> }>;
}

async function startLocalSqs() {
  const credentials = generateLocalCredentials();
  const server = await startSqs({ credentials });
  const client = new SQSClient({ endpoint: server.endpoint, region: LOCAL_ACCOUNT.region, credentials });
  return {
    client,
    server,
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}

const ADAPTERS: Adapter[] = [
  {
    name: 'SQS (local server)',
    async start() {
      const { client, stop } = await startLocalSqs();
      const take = async (url: string, waitSeconds: number): Promise<Job[]> => {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }),
        );
        if (Messages.length > 0) {
          await client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: url,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
            }),
          );
        }
        return Messages.map((m) => JSON.parse(m.Body as string) as Job);
      };
      return {
        async newQueue() {
          const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: uniqueId('jobs') }));
          const url = QueueUrl as string;
          return {
            queue: sqsJobQueue<Job>(url, client),
            receive: () => take(url, 0),
            // The long poll answers as soon as the job is delivered; the margin is for a busy machine.
            receiveAfter: (seconds) => take(url, seconds + 5),
          };
        },
        stop,
      };
    },
  },
  {
    name: 'in memory',
    async start() {
      return {
        async newQueue() {
          let now = 1_700_000_000_000;
          const queue = memoryJobQueue<Job>({ now: () => now });
          return {
            queue,
            receive: async () => queue.drain(),
            async receiveAfter(seconds) {
              now += seconds * 1000;
              return queue.drain();
            },
          };
        },
        stop: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('the job queue port: $name', (adapter) => {
  let newQueue: () => Promise<QueueUnderTest>;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ newQueue, stop } = await adapter.start());
  });
  afterAll(() => stop());

  it('delivers a sent job once, with the body it was sent with', async () => {
    const { queue, receive } = await newQueue();
    await queue.send({ kind: 'draft', tenant_id: 'acme', action_id: 'a1', revision: 3 });
    expect(await receive()).toEqual([{ kind: 'draft', tenant_id: 'acme', action_id: 'a1', revision: 3 }]);
    expect(await receive()).toEqual([]);
  });

  it('delivers every job sent, in no promised order', async () => {
    const { queue, receive } = await newQueue();
    for (const n of [1, 2, 3]) await queue.send({ n });
    const delivered = await receive();
    expect(delivered.map((job) => job.n).sort()).toEqual([1, 2, 3]);
  });

  it('carries a job as JSON: undefined fields are dropped, dates become ISO strings, later mutation is not seen', async () => {
    const { queue, receive } = await newQueue();
    const job: Job = { id: 'j1', missing: undefined, at: new Date(0), nested: { list: [1] } };
    await queue.send(job);
    (job.nested as { list: number[] }).list.push(2);
    expect(await receive()).toEqual([{ id: 'j1', at: '1970-01-01T00:00:00.000Z', nested: { list: [1] } }]);
  });

  it('holds a delayed job back while undelayed ones are delivered', async () => {
    const { queue, receive } = await newQueue();
    await queue.send({ id: 'later' }, { delaySeconds: 900 });
    await queue.send({ id: 'now' }, { delaySeconds: 0 });
    expect(await receive()).toEqual([{ id: 'now' }]);
    expect(await receive()).toEqual([]);
  });

  it('delivers a delayed job once its delay has passed', async () => {
    const { queue, receiveAfter } = await newQueue();
    await queue.send({ id: 'delayed' }, { delaySeconds: 1 });
    expect(await receiveAfter(1)).toEqual([{ id: 'delayed' }]);
  });

  it('refuses a delay outside SQS’s 0–900 seconds', async () => {
    const { queue, receive } = await newQueue();
    await expect(queue.send({ id: 'too late' }, { delaySeconds: 901 })).rejects.toThrow(/DelaySeconds/);
    await expect(queue.send({ id: 'too early' }, { delaySeconds: -1 })).rejects.toThrow(/DelaySeconds/);
    expect(await receive()).toEqual([]);
  });
});

describe('the SQS job queue', () => {
  let sqs: Awaited<ReturnType<typeof startLocalSqs>>;
  beforeAll(async () => {
    sqs = await startLocalSqs();
  });
  afterAll(() => sqs.stop());

  it('fails clearly when no queue URL is configured', async () => {
    await expect(sqsJobQueue<Job>('', sqs.client).send({ id: 'j' })).rejects.toThrow(
      'No queue URL is configured for this job queue.',
    );
  });

  it('fails with QueueDoesNotExist when the queue is missing', async () => {
    const url = `${sqs.server.endpoint}/${LOCAL_ACCOUNT.accountId}/${uniqueId('missing')}`;
    await expect(sqsJobQueue<Job>(url, sqs.client).send({ id: 'j' })).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });
});

describe('the in-memory job queue', () => {
  it('keeps every job sent with its delay for a test to inspect, and drain takes each due job once', async () => {
    let now = 0;
    const queue = memoryJobQueue<Job>({ now: () => now });
    await queue.send({ id: 'a' });
    await queue.send({ id: 'b' }, { delaySeconds: 60 });
    expect(queue.sent).toEqual([
      { job: { id: 'a' }, delaySeconds: 0, deliverableAt: 0 },
      { job: { id: 'b' }, delaySeconds: 60, deliverableAt: 60_000 },
    ]);
    expect(queue.drain()).toEqual([{ id: 'a' }]);
    expect(queue.waiting).toBe(1);
    now = 59_999;
    expect(queue.drain()).toEqual([]);
    now = 60_000;
    expect(queue.drain()).toEqual([{ id: 'b' }]);
    expect(queue.waiting).toBe(0);
    expect(queue.sent).toHaveLength(2);
  });
});
