/**
 * Actions Modules: one item per module (its draft and a pointer to its latest version), one
 * name-claim item per module name, and immutable versions under the module's own partition.
 * Names never change, so a claim is written once at create and released at delete; a claim whose
 * module no longer exists (a crash between the two writes) is stale and may be taken over.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ModuleRecord, ModuleVersionRecord } from '../../modules/model.ts';
import type { ModuleStore, ModuleVersionStore } from '../types.ts';
import { nameClaims } from './name-claims.ts';
import {
  assignFields,
  conditional,
  isConditionFailure,
  keys,
  nextCounterValue,
  queryAll,
  queryPartitionNewestFirst,
  type Table,
  toRecord,
} from './table.ts';

const moduleMissing = () => new NotFoundError('That module does not exist.');
const nameTaken = (name: string) =>
  new ConflictError(`A module named '${name}' already exists.`, 'module_name_conflict');

export function dynamoModules(table: Table): ModuleStore {
  const getModule = async (tenantId: string, moduleId: string) => {
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.module(tenantId, moduleId) }),
    );
    return toRecord<ModuleRecord>(Item);
  };

  const claims = nameClaims(table, {
    key: keys.moduleName,
    ownerAttribute: 'module_id',
    ownerExists: async (tenantId, moduleId) => (await getModule(tenantId, moduleId)) !== undefined,
    taken: nameTaken,
  });

  return {
    async create(module) {
      await claims.claim(module.tenant_id, module.name, module.id);
      await table.doc.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...keys.module(module.tenant_id, module.id), ...module },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    get: getModule,

    list: (tenantId) =>
      queryAll<ModuleRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'MODULE#' },
            ExclusiveStartKey,
          }),
        ),
      ),

    async updateDraft(tenantId, moduleId, expectedRevision, changes) {
      const names: Record<string, string> = { '#rev': 'draft_revision' };
      const values: Record<string, unknown> = {
        ':expected': expectedRevision,
        ':next': expectedRevision + 1,
        ':now': new Date().toISOString(),
      };
      const sets = ['#rev = :next', 'updated_at = :now'];
      assignFields(changes, { sets, names, values });
      const { Attributes } = await conditional(() =>
        table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.module(tenantId, moduleId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND #rev = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toRecord<ModuleRecord>(Attributes) as ModuleRecord;
    },

    async nextVersionNumber(tenantId, moduleId) {
      return nextCounterValue(table, keys.module(tenantId, moduleId), 'version_counter', moduleMissing);
    },

    async recordPublished(tenantId, moduleId, latest, sourceRevision) {
      try {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.module(tenantId, moduleId),
            UpdateExpression: 'SET latest_version = :latest, published_revision = :rev, updated_at = :now',
            // Two publishes racing: the higher number wins whatever order they land in.
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(latest_version) OR latest_version.version_number < :number)',
            ExpressionAttributeValues: {
              ':latest': latest,
              ':rev': sourceRevision,
              ':number': latest.version_number,
              ':now': new Date().toISOString(),
            },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async delete(tenantId, module) {
      await table.doc.send(
        new DeleteCommand({ TableName: table.name, Key: keys.module(tenantId, module.id) }),
      );
      await claims.release(tenantId, module.name, module.id);
    },
  };
}

/** Immutable module versions, one item each under the module's partition, sorted by number. */
export function dynamoModuleVersions(table: Table): ModuleVersionStore {
  const list = (tenantId: string, moduleId: string) =>
    queryPartitionNewestFirst<ModuleVersionRecord>(table, keys.moduleVersions(tenantId, moduleId));

  return {
    async put(version) {
      await conditional(() =>
        table.doc.send(
          new PutCommand({
            TableName: table.name,
            Item: {
              ...keys.moduleVersion(version.tenant_id, version.module_id, version.version_number),
              ...version,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
    // At most 50 versions per module: reading the partition is cheaper than a second index.
    get: async (tenantId, moduleId, versionId) =>
      (await list(tenantId, moduleId)).find((v) => v.id === versionId),
    list,
    async delete(tenantId, moduleId, number) {
      await table.doc.send(
        new DeleteCommand({ TableName: table.name, Key: keys.moduleVersion(tenantId, moduleId, number) }),
      );
    },
  };
}
