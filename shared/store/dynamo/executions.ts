/** Execution records (10-day TTL) and single-use continue states (1-hour TTL). */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContinueStateRecord, ExecutionRecord } from '../../dispatch/model.ts';
import type { ContinueStateStore, ExecutionStore } from '../types.ts';
import { isConditionFailure, keys, type Table, toRecord } from './table.ts';

export function dynamoExecutions(table: Table): ExecutionStore {
  return {
    async put(execution) {
      await table.doc.send(
        new PutCommand({ TableName: table.name, Item: { ...keys.execution(execution.id), ...execution } }),
      );
    },
    async get(tenantId, executionId, nowSeconds) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.name, Key: keys.execution(executionId) }),
      );
      const record = toRecord<ExecutionRecord>(Item);
      if (!record || record.tenant_id !== tenantId || record.expires_at <= nowSeconds) return undefined;
      return record;
    },
    async complete(tenantId, executionId, changes) {
      try {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.execution(executionId),
            UpdateExpression: 'SET #status = :status, results = :results, updated_at = :updated REMOVE event',
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
    async markAttempt(tenantId, executionId) {
      try {
        const { Attributes } = await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.execution(executionId),
            UpdateExpression: 'ADD attempts :one',
            ConditionExpression: 'tenant_id = :tenant AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':tenant': tenantId, ':pending': 'pending' },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Attributes?.attempts as number;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
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
