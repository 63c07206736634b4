/** The single table: key layout, the document client, and mapping DynamoDB's errors to ours. */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentModificationError } from '../../errors.ts';
import { awsJsonCall } from '../json-call.ts';

export interface Table {
  name: string;
  doc: DynamoDBDocumentClient;
  /**
   * An unconditional PutItem without the SDK's per-call middleware (json-call.ts): for the one
   * write a trigger's caller waits for, the execution record. Everything else uses `doc`.
   */
  putItem(item: Record<string, unknown>): Promise<void>;
}

export function createTable(name: string, client: DynamoDBClient = new DynamoDBClient({})): Table {
  const call = awsJsonCall(client, {
    service: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    endpointCommand: PutItemCommand,
    endpointInput: { TableName: name },
    timeouts: { connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000 },
  });
  return {
    name,
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    async putItem(item) {
      await call('PutItem', { TableName: name, Item: marshall(item, { removeUndefinedValues: true }) });
    },
  };
}

/** Partition and sort keys of every item kind, in one place. */
export const keys = {
  tenant: (id: string) => ({ pk: `TENANT#${id}`, sk: '#TENANT' }),
  token: (hash: string) => ({ pk: `TOKEN#${hash}`, sk: '#TOKEN' }),
  action: (tenantId: string, actionId: string) => ({ pk: `TENANT#${tenantId}`, sk: `ACTION#${actionId}` }),
  actionName: (tenantId: string, name: string) => ({ pk: `TENANT#${tenantId}`, sk: `ACTIONNAME#${name}` }),
  versions: (tenantId: string, actionId: string) => `ACTION#${tenantId}#${actionId}`,
  version: (tenantId: string, actionId: string, number: number) => ({
    pk: `ACTION#${tenantId}#${actionId}`,
    // Zero-padded so versions sort by number.
    sk: `VERSION#${String(number).padStart(6, '0')}`,
  }),
  flow: (tenantId: string, triggerId: string) => ({ pk: `TENANT#${tenantId}`, sk: `FLOW#${triggerId}` }),
  module: (tenantId: string, moduleId: string) => ({ pk: `TENANT#${tenantId}`, sk: `MODULE#${moduleId}` }),
  moduleName: (tenantId: string, name: string) => ({ pk: `TENANT#${tenantId}`, sk: `MODULENAME#${name}` }),
  moduleVersions: (tenantId: string, moduleId: string) => `MODULE#${tenantId}#${moduleId}`,
  moduleVersion: (tenantId: string, moduleId: string, number: number) => ({
    pk: `MODULE#${tenantId}#${moduleId}`,
    sk: `MVERSION#${String(number).padStart(6, '0')}`,
  }),
  integration: (integrationId: string) => ({ pk: `INTEGRATION#${integrationId}`, sk: '#INTEGRATION' }),
  integrationRelease: (integrationId: string, version: number) => ({
    pk: `INTEGRATION#${integrationId}`,
    sk: `RELEASE#${String(version).padStart(6, '0')}`,
  }),
  execution: (executionId: string) => ({ pk: `EXECUTION#${executionId}`, sk: '#EXECUTION' }),
  continueState: (hash: string) => ({ pk: `STATE#${hash}`, sk: '#STATE' }),
};

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];

/** Strips storage keys from an item, leaving the record. */
export function toRecord<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const record = { ...item };
  for (const key of KEY_ATTRIBUTES) delete record[key];
  return record as T;
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Runs a conditional write, turning a lost race into ConcurrentModificationError. */
export async function conditional<T>(write: () => Promise<T>, onConflict?: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isConditionFailure(error)) throw onConflict ? onConflict() : new ConcurrentModificationError();
    throw error;
  }
}

/** Reads every page of a query. */
export async function queryAll<T>(
  page: (
    startKey: Record<string, unknown> | undefined,
  ) => Promise<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>,
): Promise<T[]> {
  const records: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await page(startKey);
    for (const item of result.Items ?? []) records.push(toRecord<T>(item) as T);
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return records;
}

export interface UpdateParts {
  sets: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** Adds a `SET #field = :field` clause for each defined field of `changes` to an update's parts. */
export function assignFields(changes: object, into: UpdateParts): UpdateParts {
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    into.names[`#${field}`] = field;
    into.values[`:${field}`] = value;
    into.sets.push(`#${field} = :${field}`);
  }
  return into;
}

/** Atomically adds one to a counter of an existing item and returns the new value. */
export async function nextCounterValue(
  table: Table,
  key: Record<string, string>,
  attribute: string,
  onMissing: () => Error,
): Promise<number> {
  const { Attributes } = await conditional(
    () =>
      table.doc.send(
        new UpdateCommand({
          TableName: table.name,
          Key: key,
          UpdateExpression: 'ADD #counter :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#counter': attribute },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    onMissing,
  );
  return Attributes?.[attribute] as number;
}
