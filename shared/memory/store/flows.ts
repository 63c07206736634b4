/** Flows (a tenant's chain per trigger), in memory (DynamoDB: shared/aws/dynamo/flows.ts). */

import { ConcurrentModificationError } from '../../errors.ts';
import type { FlowRecord } from '../../model/actions.ts';
import type { FlowStore } from '../../ports/store.ts';
import { byString, keyOf, RecordTable } from './records.ts';

export function memoryFlows(): FlowStore {
  const flows = new RecordTable<FlowRecord>();
  return {
    async get(tenantId, triggerId) {
      return (
        flows.get(keyOf(tenantId, triggerId)) ?? {
          tenant_id: tenantId,
          trigger_id: triggerId,
          bindings: [],
          revision: 0,
          updated_at: '',
        }
      );
    },
    list: async (tenantId) =>
      flows.select(
        (flow) => flow.tenant_id === tenantId,
        byString((flow) => flow.trigger_id),
      ),
    async replace(tenantId, triggerId, expectedRevision, bindings) {
      const currentRevision = flows.get(keyOf(tenantId, triggerId))?.revision ?? 0;
      if (currentRevision !== expectedRevision) throw new ConcurrentModificationError();
      const flow: FlowRecord = {
        tenant_id: tenantId,
        trigger_id: triggerId,
        bindings,
        revision: expectedRevision + 1,
        updated_at: new Date().toISOString(),
      };
      flows.put(keyOf(tenantId, triggerId), flow);
      return flows.get(keyOf(tenantId, triggerId)) as FlowRecord;
    },
  };
}
