/** Creates the platform's table and queues, idempotently, through the same SDK calls CDK's resources imply. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PLATFORM_RESOURCES, type PlatformQueue } from '../shared/resources.ts';

export type QueueUrls = Record<PlatformQueue, { url: string; dlqUrl: string }>;

export async function provisionTable(client: DynamoDBClient): Promise<void> {
  const table = PLATFORM_RESOURCES.table;
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
  } catch (error) {
    // Already there from an earlier start: the state on disk is what we keep.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await client.send(new DescribeTableCommand({ TableName: table.name }));
}

export async function provisionQueues(client: SQSClient): Promise<QueueUrls> {
  const entries = await Promise.all(
    (Object.keys(PLATFORM_RESOURCES.queues) as PlatformQueue[]).map(async (key) => {
      const queue = PLATFORM_RESOURCES.queues[key];
      const dlq = await client.send(new CreateQueueCommand({ QueueName: queue.dlqName }));
      const dlqUrl = dlq.QueueUrl as string;
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
      );
      const main = await client.send(
        new CreateQueueCommand({
          QueueName: queue.name,
          Attributes: {
            VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: Attributes?.QueueArn,
              maxReceiveCount: queue.maxReceiveCount,
            }),
          },
        }),
      );
      return [key, { url: main.QueueUrl as string, dlqUrl }] as const;
    }),
  );
  return Object.fromEntries(entries) as QueueUrls;
}
