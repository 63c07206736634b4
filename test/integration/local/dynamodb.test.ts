import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_RESOURCES } from '../../../infra/shared/resources.ts';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';

let stack: TestStack;
let db: DynamoDBDocumentClient;
const TableName = PLATFORM_RESOURCES.table.name;

beforeAll(async () => {
  stack = await startTestStack();
  db = DynamoDBDocumentClient.from(stack.clients.dynamodb);
});
afterAll(async () => {
  await stack?.stop();
});

describe('DynamoDB (dynalite) with the platform table', () => {
  it('refuses a duplicate with a conditional put', async () => {
    const item = { pk: 'TENANT#dev', sk: 'ACTION#a1', name: 'add-roles' };
    await db.send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    await expect(
      db.send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('lets exactly one of two racing versioned updates win', async () => {
    const Key = { pk: 'TENANT#dev', sk: 'FLOW#post-login' };
    await db.send(new PutCommand({ TableName, Item: { ...Key, revision: 1, actions: [] } }));
    const bump = (actions: string[]) =>
      db.send(
        new UpdateCommand({
          TableName,
          Key,
          UpdateExpression: 'SET actions = :actions, revision = revision + :one',
          ConditionExpression: 'revision = :expected',
          ExpressionAttributeValues: { ':actions': actions, ':one': 1, ':expected': 1 },
        }),
      );
    const results = await Promise.allSettled([bump(['a']), bump(['b'])]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('queries by key prefix and through gsi1', async () => {
    for (const n of [1, 2, 3]) {
      await db.send(
        new PutCommand({
          TableName,
          Item: {
            pk: 'ACTION#a9',
            sk: `VERSION#${String(n).padStart(4, '0')}`,
            gsi1pk: 'FN#hc-dev',
            gsi1sk: `v${n}`,
          },
        }),
      );
    }
    const versions = await db.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'ACTION#a9', ':prefix': 'VERSION#' },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    expect(versions.Items?.map((i) => i.sk)).toEqual(['VERSION#0003', 'VERSION#0002']);
    expect(versions.LastEvaluatedKey).toBeDefined();
    const byIndex = await db.send(
      new QueryCommand({
        TableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': 'FN#hc-dev' },
      }),
    );
    expect(byIndex.Items?.map((i) => i.gsi1sk)).toEqual(['v1', 'v2', 'v3']);
  });
});
