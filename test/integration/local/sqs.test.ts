import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { type IMessageAttributes, md5OfMessageAttributes } from 'aws-md5-of-message-attributes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_RESOURCES } from '../../../infra/shared/resources.ts';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';
import { queueWithDlq } from '../../support/sqs-queues.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const receive = (
  QueueUrl: string,
  options: {
    VisibilityTimeout?: number;
    MaxNumberOfMessages?: number;
    WaitTimeSeconds?: number;
    MessageAttributeNames?: string[];
  } = {},
) =>
  stack.clients.sqs
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: options.MaxNumberOfMessages ?? 10,
        VisibilityTimeout: options.VisibilityTimeout,
        WaitTimeSeconds: options.WaitTimeSeconds ?? 0,
        AttributeNames: ['All'],
        MessageAttributeNames: options.MessageAttributeNames,
      }),
    )
    .then((out) => out.Messages ?? []);

/** Hands a received message back at once, as a consumer backing off does. */
const handBack = (QueueUrl: string, message: Message | undefined) =>
  stack.clients.sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl,
      ReceiptHandle: message?.ReceiptHandle,
      VisibilityTimeout: 0,
    }),
  );

let queues = 0;
/** A queue whose messages go to its own DLQ past `maxReceiveCount` receives. */
const redriveQueue = (maxReceiveCount: number) =>
  queueWithDlq(stack.clients.sqs, `redrive-${++queues}`, { maxReceiveCount });

describe('SQS (local-aws-sqs) with the platform queues', () => {
  it('creates the queues with their redrive policy', async () => {
    const { triggers } = stack.resources.queues;
    expect(triggers.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/123456789012\/hookchain-triggers$/);
    const { Attributes } = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: triggers.url,
        AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
      }),
    );
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:hookchain-triggers-dlq',
      maxReceiveCount: PLATFORM_RESOURCES.queues.triggers.maxReceiveCount,
    });
    expect(Attributes?.VisibilityTimeout).toBe('30');
  });

  it('sends, receives, hides in-flight messages until their visibility timeout, and deletes them', async () => {
    const sqs = stack.clients.sqs;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'visibility', Attributes: { VisibilityTimeout: '1' } }),
    );
    const url = QueueUrl as string;
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"build":1}' }));
    const [message] = await receive(url);
    expect(message?.Body).toBe('{"build":1}');
    expect(await receive(url)).toHaveLength(0);
    // Back after the visibility timeout, same message, one more receive.
    let again: Message | undefined;
    await expect
      .poll(
        async () => {
          [again] = await receive(url);
          return again?.MessageId;
        },
        { timeout: 10_000 },
      )
      .toBe(message?.MessageId);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
    // Made visible at once by the consumer.
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: again?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [third] = await receive(url);
    expect(third?.MessageId).toBe(message?.MessageId);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third?.ReceiptHandle }));
    await sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: third?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      )
      .catch(() => {});
    expect(await receive(url)).toHaveLength(0);
  });

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    const { url, dlqUrl } = stack.resources.queues.triggers;
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    // Each receive with VisibilityTimeout 0 is a failed processing attempt.
    for (let i = 0; i < PLATFORM_RESOURCES.queues.triggers.maxReceiveCount; i++) {
      expect(
        (await receive(url, { VisibilityTimeout: 0, MaxNumberOfMessages: 1 })).map((m) => m.Body),
      ).toEqual(['poison']);
    }
    await expect
      .poll(async () => (await receive(url, { VisibilityTimeout: 0 })).length, { timeout: 10_000 })
      .toBe(0);
    expect((await receive(dlqUrl)).map((m) => m.Body)).toEqual(['poison']);
  });

  it('answers a long poll with the messages available, once each', async () => {
    const sqs = stack.clients.sqs;
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'long-poll', Attributes: { VisibilityTimeout: '1' } }),
    );
    const polling = sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 3,
        AttributeNames: ['All'],
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'only-once' }));
    const { Messages } = await polling;
    expect(Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['only-once', '1'],
    ]);
  });
});

describe('receive counts and redrive, as SQS keeps them', () => {
  it('counts receives only: a visibility change is not one', async () => {
    const { url } = await redriveQueue(5);
    await stack.clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'counted' }));
    const counts: Array<string | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const [message] = await receive(url, { WaitTimeSeconds: 5 });
      counts.push(message?.Attributes?.ApproximateReceiveCount);
      await handBack(url, message);
      await handBack(url, message);
    }
    expect(counts).toEqual(['1', '2', '3']);
  });

  it('moves a message to the DLQ on the receive after maxReceiveCount, however often it was handed back', async () => {
    const { url, dlqUrl, arn } = await redriveQueue(2);
    const { MessageId } = await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'poison',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    for (const count of ['1', '2']) {
      const [message] = await receive(url, { WaitTimeSeconds: 5 });
      expect(message?.Attributes?.ApproximateReceiveCount).toBe(count);
      await handBack(url, message);
      await handBack(url, message);
    }
    // The third receive finds it past maxReceiveCount: moved, not delivered.
    expect(await receive(url, { WaitTimeSeconds: 1 })).toEqual([]);
    const [dead] = await receive(dlqUrl, { MessageAttributeNames: ['All'] });
    expect(dead).toMatchObject({
      MessageId,
      Body: 'poison',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'test' } },
      Attributes: { ApproximateReceiveCount: '1', DeadLetterQueueSourceArn: arn },
    });
  });

  it("answers the queue's own RedrivePolicy, and refuses to create it again with another", async () => {
    const { url, dlqUrl } = await redriveQueue(3);
    const policy = async () => {
      const { Attributes } = await stack.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }),
      );
      return JSON.parse(Attributes?.RedrivePolicy ?? '{}') as { maxReceiveCount?: number };
    };
    expect((await policy()).maxReceiveCount).toBe(3);
    const { Attributes: dlq } = await stack.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const create = (maxReceiveCount: number) =>
      stack.clients.sqs.send(
        new CreateQueueCommand({
          QueueName: url.split('/').at(-1),
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq?.QueueArn, maxReceiveCount }),
          },
        }),
      );
    expect((await create(3)).QueueUrl).toBe(url);
    await expect(create(4)).rejects.toThrow(/RedrivePolicy/);
    await stack.clients.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq?.QueueArn, maxReceiveCount: 1 }),
        },
      }),
    );
    expect((await policy()).maxReceiveCount).toBe(1);
  });

  it('answers the message attributes a receive names, with their digest', async () => {
    const { url } = await redriveQueue(5);
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'attributes',
        MessageAttributes: {
          tenant: { DataType: 'String', StringValue: 'acme' },
          traceId: { DataType: 'String', StringValue: 't-1' },
          kind: { DataType: 'String', StringValue: 'job' },
        },
      }),
    );
    const [message] = await receive(url, { MessageAttributeNames: ['t.*'] });
    expect(Object.keys(message?.MessageAttributes ?? {}).sort()).toEqual(['tenant', 'traceId']);
    // The digest of those two, as SQS computes it (the SDK does not check it on a receive).
    expect(message?.MD5OfMessageAttributes).toBe(
      md5OfMessageAttributes(message?.MessageAttributes as IMessageAttributes),
    );
    await handBack(url, message);
    const [bare] = await receive(url, { WaitTimeSeconds: 5 });
    expect(bare?.MessageAttributes).toBeUndefined();
  });
});
