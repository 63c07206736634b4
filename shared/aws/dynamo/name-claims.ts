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
  /** The name of the item that owns a claim, or undefined when there is no such item. */
  ownerName: (tenantId: string, ownerId: string) => Promise<string | undefined>;
  taken: (name: string) => Error;
}

/** A named item of a tenant, as `createNamed` writes it. */
export interface NamedItem {
  tenant_id: string;
  id: string;
  name: string;
}

export function nameClaims(table: Table, options: NameClaimsOptions) {
  const { key, ownerAttribute, ownerName, taken } = options;
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

  const claims = {
    async claim(tenantId: string, name: string, ownerId: string): Promise<void> {
      try {
        await put(tenantId, name, ownerId, 'attribute_not_exists(pk) OR #owner = :me', { ':me': ownerId });
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const { Item } = await table.doc.send(
          new GetCommand({ TableName: table.name, ConsistentRead: true, Key: key(tenantId, name) }),
        );
        const holder = Item?.[ownerAttribute] as string | undefined;
        if (holder && (await ownerName(tenantId, holder)) !== undefined) throw taken(name);
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

    /**
     * Writes a new named item under `itemKey`: its name claimed first, then the item unless its id
     * is taken. Then the claim goes back (unless the item holding the id has that very name), and
     * `idTaken` is thrown: the name must not point at someone else's item.
     */
    async createNamed(item: NamedItem, itemKey: Record<string, string>, idTaken: () => Error): Promise<void> {
      await claims.claim(item.tenant_id, item.name, item.id);
      try {
        await table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...itemKey, ...item },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if ((await ownerName(item.tenant_id, item.id)) !== item.name)
          await claims.release(item.tenant_id, item.name, item.id);
        throw idTaken();
      }
    },
  };
  return claims;
}
