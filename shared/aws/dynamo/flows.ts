/** Flows: one item per tenant and trigger holding the ordered chain and a revision. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FlowRecord } from '../../model/actions.ts';
import type { FlowStore } from '../../ports/store.ts';
import { conditional, keys, queryAll, type Table, toRecord } from './table.ts';

export function dynamoFlows(table: Table): FlowStore {
  return {
    async get(tenantId, triggerId) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.flow(tenantId, triggerId) }),
      );
      return (
        toRecord<FlowRecord>(Item) ?? {
          tenant_id: tenantId,
          trigger_id: triggerId,
          bindings: [],
          revision: 0,
          updated_at: '',
        }
      );
    },
    list: (tenantId) =>
      queryAll<FlowRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'FLOW#' },
            ExclusiveStartKey,
          }),
        ),
      ),
    async replace(tenantId, triggerId, expectedRevision, bindings) {
      const flow: FlowRecord = {
        tenant_id: tenantId,
        trigger_id: triggerId,
        bindings,
        revision: expectedRevision + 1,
        updated_at: new Date().toISOString(),
      };
      await conditional(() =>
        table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...keys.flow(tenantId, triggerId), ...flow },
            ConditionExpression:
              expectedRevision === 0
                ? 'attribute_not_exists(pk) OR revision = :expected'
                : 'revision = :expected',
            ExpressionAttributeValues: { ':expected': expectedRevision },
          }),
        ),
      );
      return flow;
    },
  };
}
