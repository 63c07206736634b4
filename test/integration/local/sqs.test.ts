import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_RESOURCES } from '../../../infra/shared/resources.ts';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const receive = (
  QueueUrl: string,
  options: { VisibilityTimeout?: number; MaxNumberOfMessages?: number } = {},
) =>
  stack.clients.sqs
    .send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: options.MaxNumberOfMessages ?? 10,
        VisibilityTimeout: options.VisibilityTimeout,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
      }),
    )
    .then((out) => out.Messages ?? []);

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
    // Made visible at once by the consumer (local-aws-sqs also counts this as a receive).
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
