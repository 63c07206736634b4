import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';

/** Every message is delivered twice: the behaviour under test, forced. */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ fidelity: awsFidelity({ sqs: { duplicateEvery: 1 } }) });
});
afterAll(async () => {
  await stack?.stop();
});

let queues = 0;
async function queueWith(...bodies: string[]): Promise<string> {
  const { QueueUrl } = await stack.clients.sqs.send(
    new CreateQueueCommand({
      QueueName: `at-least-once-${++queues}`,
      Attributes: { VisibilityTimeout: '60' },
    }),
  );
  for (const MessageBody of bodies)
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody }));
  return QueueUrl as string;
}

const receive = (QueueUrl: string, WaitTimeSeconds = 0): Promise<Message[]> =>
  stack.clients.sqs
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds,
        AttributeNames: ['All'],
      }),
    )
    .then((out) => out.Messages ?? []);

async function messagesLeft(QueueUrl: string): Promise<number> {
  const { Attributes } = await stack.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

describe('SQS in the AWS-faithful mode: at-least-once delivery', () => {
  it('hands a received message again to the next receive, with its own receipt handle and receive count', async () => {
    const url = await queueWith('once');
    const [first] = await receive(url);
    const [again] = await receive(url);

    expect(again?.MessageId).toBe(first?.MessageId);
    expect(again?.Body).toBe('once');
    expect(again?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
    expect(first?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('delivers the duplicate to a long poll already waiting', async () => {
    const url = await queueWith('concurrent');
    // Two long polls wait together: whichever gets the message, the other gets its copy.
    const [one, other] = await Promise.all([receive(url, 10), receive(url, 10)]);
    const ids = [...one, ...other].map((m) => m.MessageId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it("deletes the message through the duplicate's receipt handle", async () => {
    const url = await queueWith('delete-me');
    const [first] = await receive(url);
    const [again] = await receive(url);
    await stack.clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again?.ReceiptHandle }),
    );

    expect(await messagesLeft(url)).toBe(0);
    // The original's handle deletes nothing more, and fails nothing either, as on AWS.
    const out = await stack.clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [{ Id: '1', ReceiptHandle: first?.ReceiptHandle }],
      }),
    );
    expect(out.Failed ?? []).toEqual([]);
  });

  it('changes the visibility through the duplicate receipt handle', async () => {
    const url = await queueWith('see-me-again');
    const [first] = await receive(url);
    const [again] = await receive(url);
    await stack.clients.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: again?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [back] = await receive(url);

    expect(back?.MessageId).toBe(first?.MessageId);
    // The original, its duplicate, and this receive; the visibility change is not one.
    expect(back?.Attributes?.ApproximateReceiveCount).toBe('3');
  });

  it('answers the messages of one receive out of order', async () => {
    const url = await queueWith('m1', 'm2', 'm3');
    const bodies = (await receive(url)).map((m) => m.Body);
    expect([...bodies].sort()).toEqual(['m1', 'm2', 'm3']);
    expect(bodies).not.toEqual(['m1', 'm2', 'm3']);
  });

  it('the local event-source poller runs a duplicate while its original still runs', async () => {
    const url = await queueWith('run-twice');
    let release: () => void = () => {};
    const bothRunning = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running = 0;
    const poller = stack.addQueueConsumer({
      queueUrl: url,
      batchSize: 1,
      concurrency: 2,
      waitTimeSeconds: 1,
      handler: async (event: SQSEvent) => {
        expect(event.Records[0]?.body).toBe('run-twice');
        if (++running === 2) release();
        // Each delivery waits for the other: only concurrent batches get past this.
        await bothRunning;
      },
    });
    await bothRunning;
    await poller.stop();
    expect(await messagesLeft(url)).toBe(0);
  });
});
