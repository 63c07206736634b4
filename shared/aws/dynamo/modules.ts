/**
 * Actions Modules: one item per module (its draft and a pointer to its latest version), one
 * name-claim item per module name, and immutable versions under the module's own partition.
 * Names never change, so a claim is written once at create and released at delete; a claim whose
 * module no longer exists (a crash between the two writes) is stale and may be taken over.
 */
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ModuleRecord, ModuleVersionRecord } from '../../model/modules.ts';
import type { ModuleStore, ModuleVersionStore } from '../../ports/store.ts';
import { nameClaims } from './name-claims.ts';
import { keys, nextCounterValue, queryAll, type Table, toRecord } from './table.ts';
import { advancePointer, numberedVersions, updateDraftItem } from './versioned.ts';

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
    ownerName: async (tenantId, moduleId) => (await getModule(tenantId, moduleId))?.name,
    taken: nameTaken,
  });

  return {
    create: (module) =>
      claims.createNamed(
        module,
        keys.module(module.tenant_id, module.id),
        () => new ConflictError(`A module with id '${module.id}' already exists.`),
      ),

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

    updateDraft: (tenantId, moduleId, expectedRevision, changes) =>
      updateDraftItem<ModuleRecord>(table, keys.module(tenantId, moduleId), expectedRevision, changes),

    async nextVersionNumber(tenantId, moduleId) {
      return nextCounterValue(table, keys.module(tenantId, moduleId), 'version_counter', moduleMissing);
    },

    async recordPublished(tenantId, moduleId, latest, sourceRevision) {
      await advancePointer(table, keys.module(tenantId, moduleId), {
        attribute: 'latest_version',
        numberField: 'version_number',
        value: latest,
        with: { published_revision: sourceRevision },
      });
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
  return numberedVersions<ModuleVersionRecord>(table, {
    partition: keys.moduleVersions,
    key: keys.moduleVersion,
    locate: (version) => [version.tenant_id, version.module_id, version.version_number],
    sortKeyPrefix: 'MVERSION#',
  });
}
