import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';
import { queueWithDlq } from '../../support/sqs-queues.ts';

const POLL = { timeout: 10_000 };
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** A queue whose failed messages come back after 1 s and reach the DLQ on their 2nd receive. */
const queuePair = (name: string) =>
  queueWithDlq(stack.clients.sqs, name, { maxReceiveCount: 2, visibilityTimeout: 1 });

async function send(url: string, ...bodies: string[]): Promise<void> {
  for (const body of bodies) {
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
  }
}

/** Waits until the DLQ holds `count` messages, then reads them (once: a long visibility timeout hides them). */
async function dlqBodies(dlqUrl: string, count: number): Promise<string[]> {
  await expect
    .poll(async () => {
      const { Attributes } = await stack.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return Number(Attributes?.ApproximateNumberOfMessages);
    }, POLL)
    .toBe(count);
  const out = await stack.clients.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: dlqUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 30,
    }),
  );
  return (out.Messages ?? []).map((m) => m.Body ?? '');
}

describe('SQS event-source poller', () => {
  it('delivers Lambda-shaped batches and redrives only the reported failures', async () => {
    const { url, dlqUrl } = await queuePair('partial');
    await send(url, 'ok-1', 'poison', 'ok-2', 'ok-3');
    const batches: SQSRecord[][] = [];
    stack.addQueueConsumer({
      queueUrl: url,
      batchSize: 10,
      handler: async (event: SQSEvent) => {
        batches.push(event.Records);
        return {
          batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
    });
    expect(await dlqBodies(dlqUrl, 1)).toEqual(['poison']);
    const seen = batches.flat().map((r) => r.body);
    // Each good message was handled once and deleted; the poison one came back once, then went to the DLQ.
    expect(seen.filter((b) => b.startsWith('ok-')).sort()).toEqual(['ok-1', 'ok-2', 'ok-3']);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(2);
    const record = batches[0]?.[0] as SQSRecord;
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:partial',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: { kind: { dataType: 'String', stringValue: 'test' } },
    });
    expect(record.receiptHandle).toBeTruthy();
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });

  it('retries the whole batch when the handler throws', async () => {
    const { url } = await queuePair('throwing');
    await send(url, 'a', 'b');
    const calls: string[][] = [];
    stack.addQueueConsumer({
      queueUrl: url,
      handler: async (event) => {
        calls.push(event.Records.map((r) => r.body).sort());
        if (calls.length === 1) throw new Error('transient');
        return undefined;
      },
    });
    await expect.poll(() => calls.flat().length, POLL).toBe(4);
    expect(calls).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('treats an unknown item identifier as a failure of the whole batch', async () => {
    const { url, dlqUrl } = await queuePair('invalid-response');
    await send(url, 'x');
    let calls = 0;
    stack.addQueueConsumer({
      queueUrl: url,
      handler: async () => {
        calls++;
        return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      },
    });
    expect(await dlqBodies(dlqUrl, 1)).toEqual(['x']);
    expect(calls).toBe(2);
  });
});
