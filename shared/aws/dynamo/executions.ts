/** Execution records (10-day TTL) and single-use continue states (1-hour TTL). */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContinueStateRecord, ExecutionRecord } from '../../model/executions.ts';
import type { ContinueStateStore, ExecutionStore } from '../../ports/store.ts';
import { isConditionFailure, keys, type Table, toRecord } from './table.ts';

export function dynamoExecutions(table: Table): ExecutionStore {
  const get: ExecutionStore['get'] = async (tenantId, executionId, nowSeconds) => {
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.execution(executionId) }),
    );
    const record = toRecord<ExecutionRecord>(Item);
    if (!record || record.tenant_id !== tenantId || record.expires_at <= nowSeconds) return undefined;
    return record;
  };

  return {
    // The hot path's one awaited write: without the SDK's middleware (Table.putItem).
    put: (execution) => table.putItem({ ...keys.execution(execution.id), ...execution }),
    get,
    async claim(tenantId, executionId, lease) {
      try {
        const { Attributes } = await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.execution(executionId),
            UpdateExpression: 'SET lease_holder = :holder, lease_until = :until ADD attempts :one',
            ConditionExpression:
              'tenant_id = :tenant AND #status = :pending AND expires_at > :nowSeconds AND ' +
              '(attribute_not_exists(lease_until) OR lease_until <= :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':holder': lease.holder,
              ':until': lease.until,
              ':one': 1,
              ':tenant': tenantId,
              ':pending': 'pending',
              ':now': lease.now,
              ':nowSeconds': Math.floor(lease.now / 1000),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { outcome: 'claimed', execution: toRecord<ExecutionRecord>(Attributes) as ExecutionRecord };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // Why not: a live lease, or nothing left to run.
      const current = await get(tenantId, executionId, Math.floor(lease.now / 1000));
      if (current?.status !== 'pending') return { outcome: 'done' };
      return { outcome: 'held', until: Math.max(current.lease_until ?? lease.now, lease.now) };
    },
    async release(tenantId, executionId, holder) {
      try {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.execution(executionId),
            UpdateExpression: 'REMOVE lease_holder, lease_until',
            ConditionExpression: 'tenant_id = :tenant AND lease_holder = :holder',
            ExpressionAttributeValues: { ':tenant': tenantId, ':holder': holder },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
    async complete(tenantId, executionId, changes) {
      try {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.execution(executionId),
            UpdateExpression:
              'SET #status = :status, results = :results, updated_at = :updated REMOVE event, lease_holder, lease_until',
            ConditionExpression: 'tenant_id = :tenant AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': changes.status,
              ':results': changes.results,
              ':updated': changes.updated_at,
              ':tenant': tenantId,
              ':pending': 'pending',
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

export function dynamoContinueStates(table: Table): ContinueStateStore {
  return {
    async put(state) {
      await table.doc.send(
        new PutCommand({ TableName: table.name, Item: { ...keys.continueState(state.hash), ...state } }),
      );
    },
    async take(hash, nowSeconds) {
      try {
        const { Attributes } = await table.doc.send(
          new DeleteCommand({
            TableName: table.name,
            Key: keys.continueState(hash),
            ConditionExpression: 'attribute_exists(pk)',
            ReturnValues: 'ALL_OLD',
          }),
        );
        const record = toRecord<ContinueStateRecord>(Attributes);
        return record && record.expires_at > nowSeconds ? record : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },
  };
}
