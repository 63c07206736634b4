/** A queue with its own dead-letter queue, on a local (or any) SQS. */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueueWithDlq {
  url: string;
  dlqUrl: string;
  /** The queue's own ARN (what a moved message's DeadLetterQueueSourceArn names). */
  arn: string;
}

const arnOf = async (sqs: SQSClient, url: string | undefined) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn as string;
};

/** `name` and `<name>-dlq`; a message goes to the DLQ on the receive past `maxReceiveCount`. */
export async function queueWithDlq(
  sqs: SQSClient,
  name: string,
  { maxReceiveCount, visibilityTimeout }: { maxReceiveCount: number; visibilityTimeout?: number },
): Promise<QueueWithDlq> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: String(visibilityTimeout) }),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await arnOf(sqs, dlq.QueueUrl),
          maxReceiveCount,
        }),
      },
    }),
  );
  const url = main.QueueUrl as string;
  return { url, dlqUrl: dlq.QueueUrl as string, arn: await arnOf(sqs, url) };
}
