/** Immutable action versions, one item each under the action's partition, sorted by number. */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { VersionRecord } from '../../actions/model.ts';
import type { VersionStore } from '../types.ts';
import { assignFields, conditional, keys, queryPartitionNewestFirst, type Table } from './table.ts';

export function dynamoVersions(table: Table): VersionStore {
  const list = (tenantId: string, actionId: string) =>
    queryPartitionNewestFirst<VersionRecord>(table, keys.versions(tenantId, actionId));

  return {
    async put(version) {
      await conditional(() =>
        table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: { ...keys.version(version.tenant_id, version.action_id, version.number), ...version },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
    // At most 50 versions per action: reading the partition is cheaper than a second index.
    get: async (tenantId, actionId, versionId) =>
      (await list(tenantId, actionId)).find((v) => v.id === versionId),
    list,
    async update(tenantId, actionId, number, changes) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':now': new Date().toISOString() };
      const sets = ['updated_at = :now'];
      assignFields(changes, { sets, names, values });
      await conditional(() =>
        table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.version(tenantId, actionId, number),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
          }),
        ),
      );
    },
    async delete(tenantId, actionId, number) {
      await table.doc.send(
        new DeleteCommand({ TableName: table.name, Key: keys.version(tenantId, actionId, number) }),
      );
    },
  };
}
