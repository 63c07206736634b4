import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type JobDelivery, sqsJobHandler } from '../../../functions/queue/sqs-jobs.ts';

const jobSchema = z.object({ id: z.string(), fail: z.boolean().default(false) });
type Job = z.infer<typeof jobSchema>;

const record = (messageId: string, body: unknown, receives = 1): SQSRecord =>
  ({
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receives) },
  }) as unknown as SQSRecord;

const batch = (...records: SQSRecord[]) => ({ Records: records }) as SQSEvent;
const context = { functionName: 'worker', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

function worker(inParallel = true) {
  const ran: string[] = [];
  const failures: Array<{ job: Job; error: unknown; receives: number }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const handler = sqsJobHandler({
    logger: new Logger({ logLevel: 'SILENT' }),
    schema: jobSchema,
    inParallel,
    async run(job: Job, delivery: JobDelivery) {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      ran.push(job.id);
      expect(delivery.invocation).toBeInstanceOf(AbortSignal);
      if (job.fail) throw new Error(`job ${job.id} failed`);
    },
    async onFailure(job, error, { receives }) {
      failures.push({ job, error, receives });
    },
  });
  return { handler, ran, failures, mostAtOnce: () => mostAtOnce };
}

describe('the SQS job handler', () => {
  it('reports only the jobs that threw, after telling onFailure with the delivery count', async () => {
    const { handler, ran, failures } = worker();
    const result = await handler(
      batch(record('m1', { id: 'a' }), record('m2', { id: 'b', fail: true }, 3), record('m3', { id: 'c' })),
      context,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(ran.sort()).toEqual(['a', 'b', 'c']);
    expect(failures).toEqual([{ job: { id: 'b', fail: true }, error: expect.any(Error), receives: 3 }]);
  });

  it('never runs a body that is not a job of its queue, and leaves it to the DLQ', async () => {
    const { handler, ran, failures } = worker();
    const result = await handler(
      batch(record('m1', 'not json'), record('m2', { name: 'no id' }), record('m3', { id: 'ok' })),
      context,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(ran).toEqual(['ok']);
    expect(failures).toEqual([]);
  });

  it('answers a batch that failed whole with its failures instead of throwing', async () => {
    const { handler } = worker();
    const result = await handler(batch(record('m1', { id: 'a', fail: true })), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });

  it('runs one job after another when asked to', async () => {
    const sequential = worker(false);
    await sequential.handler(batch(record('m1', { id: 'a' }), record('m2', { id: 'b' })), context);
    expect(sequential.ran).toEqual(['a', 'b']);
    expect(sequential.mostAtOnce()).toBe(1);

    const parallel = worker(true);
    await parallel.handler(batch(record('m1', { id: 'a' }), record('m2', { id: 'b' })), context);
    expect(parallel.mostAtOnce()).toBe(2);
  });
});
