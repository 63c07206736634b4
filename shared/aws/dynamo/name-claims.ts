/**
 * Unique names without transactions: before an entity is written, a claim item keyed by its name
 * is written with a condition. A claim whose owner no longer exists (a crash between the two
 * writes) is stale and is taken over; releasing is conditional on still owning the claim.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditional, isConditionFailure, type Table } from './table.ts';

export interface NameClaimsOptions {
  key: (tenantId: string, name: string) => Record<string, string>;
  /** The attribute naming the owner, e.g. `action_id`. */
  ownerAttribute: string;
  ownerExists: (tenantId: string, ownerId: string) => Promise<boolean>;
  taken: (name: string) => Error;
}

export function nameClaims(table: Table, options: NameClaimsOptions) {
  const { key, ownerAttribute, ownerExists, taken } = options;
  const put = (
    tenantId: string,
    name: string,
    ownerId: string,
    condition: string,
    values?: Record<string, unknown>,
  ) =>
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...key(tenantId, name), [ownerAttribute]: ownerId },
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#owner': ownerAttribute },
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );

  return {
    async claim(tenantId: string, name: string, ownerId: string): Promise<void> {
      try {
        await put(tenantId, name, ownerId, 'attribute_not_exists(pk) OR #owner = :me', { ':me': ownerId });
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const { Item } = await table.doc.send(
          new GetCommand({ TableName: table.name, ConsistentRead: true, Key: key(tenantId, name) }),
        );
        const holder = Item?.[ownerAttribute] as string | undefined;
        if (holder && (await ownerExists(tenantId, holder))) throw taken(name);
        await conditional(
          () => put(tenantId, name, ownerId, '#owner = :holder', { ':holder': holder }),
          () => taken(name),
        );
      }
    },

    async release(tenantId: string, name: string, ownerId: string): Promise<void> {
      try {
        await table.doc.send(
          new DeleteCommand({
            TableName: table.name,
            Key: key(tenantId, name),
            ConditionExpression: '#owner = :me',
            ExpressionAttributeNames: { '#owner': ownerAttribute },
            ExpressionAttributeValues: { ':me': ownerId },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
