/**
 * The versioned-draft core of the store. Actions, modules and integrations are one concept: an
 * item (a named draft with a revision, or a catalog entry) with a version counter and a pointer to
 * the version that counts (live, latest), plus immutable numbered versions under the item's own
 * partition. These are its three writes; each store adds only what is its own.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { assignFields, conditional, isConditionFailure, queryAll, type Table, toRecord } from './table.ts';

type Key = Record<string, string>;

/**
 * Applies `changes` (and `reset`, what every draft change also sets) only if the draft is still at
 * `expectedRevision`, and bumps the revision: two editors never overwrite each other unseen
 * (ConcurrentModificationError), and a build or publish can tell the draft moved since.
 */
export async function updateDraftItem<R>(
  table: Table,
  key: Key,
  expectedRevision: number,
  changes: object,
  reset: object = {},
): Promise<R> {
  const parts = {
    sets: ['#rev = :next', 'updated_at = :now'],
    names: { '#rev': 'draft_revision' } as Record<string, string>,
    values: {
      ':expected': expectedRevision,
      ':next': expectedRevision + 1,
      ':now': new Date().toISOString(),
    } as Record<string, unknown>,
  };
  assignFields({ ...reset, ...changes }, parts);
  const { Attributes } = await conditional(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: key,
        UpdateExpression: `SET ${parts.sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #rev = :expected',
        ExpressionAttributeNames: parts.names,
        ExpressionAttributeValues: parts.values,
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  return toRecord<R>(Attributes) as R;
}

export interface ForwardPointer {
  /** The item's attribute holding the pointer: `deployed`, `latest_version`, `latest_release`. */
  attribute: string;
  /** The pointer's field with the version number it names. */
  numberField: string;
  value: Record<string, unknown>;
  /** Set with it in the same write (the source revision, a listing). */
  with?: object;
}

/**
 * Points the item at a version unless it already points at a newer one: two deploys or publishes
 * racing end on the higher number whatever order they land in. Returns whether it moved.
 */
export async function advancePointer(table: Table, key: Key, pointer: ForwardPointer): Promise<boolean> {
  const parts = {
    sets: ['#pointer = :pointer', 'updated_at = :now'],
    names: { '#pointer': pointer.attribute, '#number': pointer.numberField } as Record<string, string>,
    values: {
      ':pointer': pointer.value,
      ':number': pointer.value[pointer.numberField],
      ':now': new Date().toISOString(),
    } as Record<string, unknown>,
  };
  assignFields(pointer.with ?? {}, parts);
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: key,
        UpdateExpression: `SET ${parts.sets.join(', ')}`,
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(#pointer) OR #pointer.#number < :number)',
        ExpressionAttributeNames: parts.names,
        ExpressionAttributeValues: parts.values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export interface NumberedVersionsLayout<V> {
  /** The partition holding one item's versions (and nothing else of it but, perhaps, the item). */
  partition: (scope: string, parentId: string) => string;
  key: (scope: string, parentId: string, number: number) => Key;
  /** Where a version record keeps its scope, parent and number. */
  locate: (version: V) => [scope: string, parentId: string, number: number];
  /** Items of the partition that are versions (its sort-key prefix). */
  sortKeyPrefix: string;
}

/** Immutable numbered versions under one partition, read newest first. */
export function numberedVersions<V extends { id: string }>(table: Table, layout: NumberedVersionsLayout<V>) {
  const list = (scope: string, parentId: string): Promise<V[]> =>
    queryAll<V>((ExclusiveStartKey) =>
      table.doc.send(
        new QueryCommand({
          TableName: table.name,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': layout.partition(scope, parentId),
            ':prefix': layout.sortKeyPrefix,
          },
          ScanIndexForward: false,
          ExclusiveStartKey,
        }),
      ),
    );
  return {
    /** Writes a new version; ConcurrentModificationError if its number is taken. */
    async put(version: V): Promise<void> {
      await conditional(() =>
        table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...layout.key(...layout.locate(version)), ...version },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
    list,
    // At most 50 versions: reading the partition is cheaper than a second index.
    async get(scope: string, parentId: string, versionId: string): Promise<V | undefined> {
      return (await list(scope, parentId)).find((v) => v.id === versionId);
    },
    async getByNumber(scope: string, parentId: string, number: number): Promise<V | undefined> {
      const { Item } = await table.doc.send(
        new GetCommand({
          TableName: table.name,
          ConsistentRead: true,
          Key: layout.key(scope, parentId, number),
        }),
      );
      return toRecord<V>(Item);
    },
    /** Sets fields of an existing version (its build's outcome): never its code. */
    async update(scope: string, parentId: string, number: number, changes: object): Promise<void> {
      const parts = {
        sets: ['updated_at = :now'],
        names: {} as Record<string, string>,
        values: { ':now': new Date().toISOString() } as Record<string, unknown>,
      };
      assignFields(changes, parts);
      await conditional(() =>
        table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: layout.key(scope, parentId, number),
            UpdateExpression: `SET ${parts.sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ...(Object.keys(parts.names).length > 0 ? { ExpressionAttributeNames: parts.names } : {}),
            ExpressionAttributeValues: parts.values,
          }),
        ),
      );
    },
    async delete(scope: string, parentId: string, number: number): Promise<void> {
      await table.doc.send(
        new DeleteCommand({ TableName: table.name, Key: layout.key(scope, parentId, number) }),
      );
    },
  };
}
