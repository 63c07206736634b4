import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDb } from '../../../infra/local/dynamodb-server.ts';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import type { RunningServer } from '../../../infra/local/http.ts';
import { generateLocalCredentials } from '../../../infra/local/local-credentials.ts';
import { provisionTable } from '../../../infra/local/provision.ts';
import { LOCAL_ACCOUNT } from '../../../infra/local/resources.ts';
import { PLATFORM_RESOURCES } from '../../../infra/shared/resources.ts';

const WINDOW_MS = 1_000;
const TableName = PLATFORM_RESOURCES.table.name;
/** The stale-read window's clock: tests step it past the window instead of sleeping. */
let clock = 1_000_000;
let server: RunningServer;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  const credentials = generateLocalCredentials();
  server = await startDynamoDb({
    credentials,
    fidelity: awsFidelity({ dynamodb: { staleReadMs: WINDOW_MS } }),
    now: () => clock,
  });
  client = new DynamoDBClient({ endpoint: server.endpoint, region: LOCAL_ACCOUNT.region, credentials });
  db = DynamoDBDocumentClient.from(client);
  await provisionTable(client);
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

const passTheWindow = () => {
  clock += WINDOW_MS + 1;
};
const get = async (Key: Record<string, string>, ConsistentRead?: boolean) =>
  (await db.send(new GetCommand({ TableName, Key, ConsistentRead }))).Item;
const query = async (pk: string, ConsistentRead?: boolean) =>
  (
    (
      await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': 'ITEM#' },
          ConsistentRead,
        }),
      )
    ).Items ?? []
  ).map((item) => `${item.sk}=${item.value}`);

describe('DynamoDB in the AWS-faithful mode: eventually consistent reads', () => {
  it('GetItem: a consistent read sees the write; an eventual one sees the oldest image of the window, then the new one', async () => {
    const Key = { pk: 'T#get', sk: 'ITEM#1' };
    await db.send(new PutCommand({ TableName, Item: { ...Key, value: 'v1' } }));
    passTheWindow();
    await db.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: 'SET #v = :v',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':v': 'v2' },
      }),
    );
    await db.send(new PutCommand({ TableName, Item: { ...Key, value: 'v3' } }));

    expect((await get(Key, true))?.value).toBe('v3');
    expect((await get(Key))?.value).toBe('v1');
    passTheWindow();
    expect((await get(Key))?.value).toBe('v3');
  });

  it('GetItem: a just-created item is missing and a just-deleted one still there, for eventual reads only', async () => {
    const created = { pk: 'T#get', sk: 'ITEM#new' };
    const deleted = { pk: 'T#get', sk: 'ITEM#old' };
    await db.send(new PutCommand({ TableName, Item: { ...deleted, value: 'old' } }));
    passTheWindow();
    await db.send(new PutCommand({ TableName, Item: { ...created, value: 'new' } }));
    await db.send(new DeleteCommand({ TableName, Key: deleted }));

    expect(await get(created, true)).toBeDefined();
    expect(await get(deleted, true)).toBeUndefined();
    expect(await get(created)).toBeUndefined();
    expect((await get(deleted))?.value).toBe('old');
    passTheWindow();
    expect(await get(created)).toBeDefined();
    expect(await get(deleted)).toBeUndefined();
  });

  it('BatchGetItem without ConsistentRead answers the old images', async () => {
    const a = { pk: 'T#batch', sk: 'ITEM#a' };
    const b = { pk: 'T#batch', sk: 'ITEM#b' };
    await db.send(new PutCommand({ TableName, Item: { ...a, value: 'a1' } }));
    passTheWindow();
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [TableName]: [
            { PutRequest: { Item: { ...a, value: 'a2' } } },
            { PutRequest: { Item: { ...b, value: 'b1' } } },
          ],
        },
      }),
    );
    const batch = async (ConsistentRead?: boolean) =>
      (
        (
          await db.send(
            new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [a, b], ConsistentRead } } }),
          )
        ).Responses?.[TableName] ?? []
      )
        .map((item) => `${item.sk}=${item.value}`)
        .sort();

    expect(await batch(true)).toEqual(['ITEM#a=a2', 'ITEM#b=b1']);
    expect(await batch()).toEqual(['ITEM#a=a1']);
    passTheWindow();
    expect(await batch()).toEqual(['ITEM#a=a2', 'ITEM#b=b1']);
  });

  it('Query without ConsistentRead: old images, a deleted item reappears, a created one is missing, in key order', async () => {
    const pk = 'T#query';
    for (const [sk, value] of [
      ['ITEM#1', 'one'],
      ['ITEM#2', 'two'],
      ['ITEM#3', 'three'],
    ]) {
      await db.send(new PutCommand({ TableName, Item: { pk, sk, value } }));
    }
    passTheWindow();
    await db.send(new DeleteCommand({ TableName, Key: { pk, sk: 'ITEM#1' } }));
    await db.send(new PutCommand({ TableName, Item: { pk, sk: 'ITEM#2', value: 'TWO' } }));
    await db.send(new PutCommand({ TableName, Item: { pk, sk: 'ITEM#4', value: 'four' } }));

    expect(await query(pk, true)).toEqual(['ITEM#2=TWO', 'ITEM#3=three', 'ITEM#4=four']);
    expect(await query(pk)).toEqual(['ITEM#1=one', 'ITEM#2=two', 'ITEM#3=three']);
    passTheWindow();
    expect(await query(pk)).toEqual(['ITEM#2=TWO', 'ITEM#3=three', 'ITEM#4=four']);
  });

  it('a failed conditional write leaves what eventual reads see alone', async () => {
    const Key = { pk: 'T#cond', sk: 'ITEM#1' };
    await db.send(new PutCommand({ TableName, Item: { ...Key, value: 'kept' } }));
    passTheWindow();
    await expect(
      db.send(
        new PutCommand({
          TableName,
          Item: { ...Key, value: 'lost' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toThrow();
    expect((await get(Key))?.value).toBe('kept');
  });
});
