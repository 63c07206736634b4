/**
 * Execution records and single-use continue states, in memory (DynamoDB:
 * shared/aws/dynamo/executions.ts). Records past `expires_at` stay until overwritten, as DynamoDB's
 * TTL deletes lazily, but every read here ignores them, as the DynamoDB adapter's reads do.
 */
import type { ContinueStateRecord, ExecutionRecord } from '../../model/executions.ts';
import type { ContinueStateStore, ExecutionStore } from '../../ports/store.ts';
import { RecordTable } from './records.ts';

const toSeconds = (epochMs: number) => Math.floor(epochMs / 1000);

export function memoryExecutions(): ExecutionStore {
  const executions = new RecordTable<ExecutionRecord>();
  /** The record if it is this tenant's, whatever its expiry. */
  const ownRecord = (tenantId: string, executionId: string) => {
    const record = executions.get(executionId);
    return record?.tenant_id === tenantId ? record : undefined;
  };
  const get: ExecutionStore['get'] = async (tenantId, executionId, nowSeconds) => {
    const record = ownRecord(tenantId, executionId);
    return record && record.expires_at > nowSeconds ? record : undefined;
  };

  return {
    put: async (execution) => executions.put(execution.id, execution),
    get,
    async claim(tenantId, executionId, lease) {
      const current = ownRecord(tenantId, executionId);
      const runnable = current?.status === 'pending' && current.expires_at > toSeconds(lease.now);
      if (!current || !runnable) return { outcome: 'done' };
      if (current.lease_until !== undefined && current.lease_until > lease.now) {
        return { outcome: 'held', until: current.lease_until };
      }
      const claimed: ExecutionRecord = {
        ...current,
        lease_holder: lease.holder,
        lease_until: lease.until,
        attempts: (current.attempts ?? 0) + 1,
      };
      executions.put(executionId, claimed);
      return { outcome: 'claimed', execution: executions.get(executionId) as ExecutionRecord };
    },
    async release(tenantId, executionId, holder) {
      const current = ownRecord(tenantId, executionId);
      if (current?.lease_holder !== holder) return;
      const { lease_holder: _holder, lease_until: _until, ...released } = current;
      executions.put(executionId, released);
    },
    async complete(tenantId, executionId, changes) {
      const current = ownRecord(tenantId, executionId);
      if (current?.status !== 'pending') return false;
      // The event is only kept for a redelivery to run; a finished execution needs neither it nor a lease.
      const { event: _event, lease_holder: _holder, lease_until: _until, ...rest } = current;
      executions.put(executionId, {
        ...rest,
        status: changes.status,
        results: changes.results,
        updated_at: changes.updated_at,
      });
      return true;
    },
  };
}

export function memoryContinueStates(): ContinueStateStore {
  const states = new RecordTable<ContinueStateRecord>();
  return {
    put: async (state) => states.put(state.hash, state),
    // Taken once, even when expired: an expired state is gone for good.
    async take(hash, nowSeconds) {
      const state = states.delete(hash);
      return state && state.expires_at > nowSeconds ? state : undefined;
    },
  };
}
