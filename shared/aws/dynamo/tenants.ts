import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors.ts';
import type { TenantRecord, TokenRecord } from '../../model/tenants.ts';
import type { TenantStore, TokenStore } from '../../ports/store.ts';
import { conditional, keys, queryAll, type Table, toRecord } from './table.ts';

export function dynamoTenants(table: Table): TenantStore {
  return {
    async create(tenant) {
      await conditional(
        () =>
          table.doc.send(
            new PutCommand({
              TableName: table.name,
              Item: { ...keys.tenant(tenant.id), gsi1pk: 'TENANTS', gsi1sk: tenant.id, ...tenant },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        () => new ConflictError(`Tenant '${tenant.id}' already exists.`),
      );
    },
    async get(id) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.tenant(id) }),
      );
      return toRecord<TenantRecord>(Item);
    },
    list: () =>
      queryAll<TenantRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': 'TENANTS' },
            ExclusiveStartKey,
          }),
        ),
      ),
  };
}

export function dynamoTokens(table: Table): TokenStore {
  return {
    async put(token) {
      await table.doc.send(
        new PutCommand({
          TableName: table.name,
          Item: {
            ...keys.token(token.hash),
            gsi1pk: `TENANT#${token.tenant_id}#TOKENS`,
            gsi1sk: token.created_at,
            ...token,
          },
        }),
      );
    },
    async find(hash) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.token(hash) }),
      );
      return toRecord<TokenRecord>(Item);
    },
    listForTenant: (tenantId) =>
      queryAll<TokenRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}#TOKENS` },
            ExclusiveStartKey,
          }),
        ),
      ),
    async delete(hash) {
      await table.doc.send(new DeleteCommand({ TableName: table.name, Key: keys.token(hash) }));
    },
  };
}
