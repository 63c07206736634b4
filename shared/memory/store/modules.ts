/** Actions Modules and their immutable versions, in memory (DynamoDB: shared/aws/dynamo/modules.ts). */
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ModuleRecord, ModuleVersionRecord } from '../../model/modules.ts';
import type { ModuleStore, ModuleVersionStore } from '../../ports/store.ts';
import { nameClaims } from './name-claims.ts';
import { byString, keyOf, RecordTable } from './records.ts';
import { advancedPointer, bumpedCounter, changedDraft, numberedVersionStore } from './versioned.ts';

const moduleMissing = () => new NotFoundError('That module does not exist.');

export function memoryModules(): ModuleStore {
  const modules = new RecordTable<ModuleRecord>();
  const get = (tenantId: string, moduleId: string) => modules.get(keyOf(tenantId, moduleId));
  const claims = nameClaims({
    ownerExists: (tenantId, moduleId) => get(tenantId, moduleId) !== undefined,
    taken: (name) => new ConflictError(`A module named '${name}' already exists.`, 'module_name_conflict'),
  });

  return {
    async create(module) {
      if (get(module.tenant_id, module.id))
        throw new ConflictError(`A module with id '${module.id}' already exists.`);
      claims.claim(module.tenant_id, module.name, module.id);
      modules.put(keyOf(module.tenant_id, module.id), module);
    },

    get: async (tenantId, moduleId) => get(tenantId, moduleId),

    list: async (tenantId) =>
      modules.select(
        (module) => module.tenant_id === tenantId,
        byString((module) => module.id),
      ),

    async updateDraft(tenantId, moduleId, expectedRevision, changes) {
      const updated = changedDraft(get(tenantId, moduleId), expectedRevision, changes);
      modules.put(keyOf(tenantId, moduleId), updated);
      return get(tenantId, moduleId) as ModuleRecord;
    },

    async nextVersionNumber(tenantId, moduleId) {
      const current = get(tenantId, moduleId);
      if (!current) throw moduleMissing();
      const [updated, number] = bumpedCounter(current, 'version_counter');
      modules.put(keyOf(tenantId, moduleId), updated);
      return number;
    },

    async recordPublished(tenantId, moduleId, latest, sourceRevision) {
      const updated = advancedPointer(
        get(tenantId, moduleId),
        'latest_version',
        (pointer) => pointer.version_number,
        latest,
        { published_revision: sourceRevision },
      );
      if (updated) modules.put(keyOf(tenantId, moduleId), updated);
    },

    async delete(tenantId, module) {
      modules.delete(keyOf(tenantId, module.id));
      claims.release(tenantId, module.name, module.id);
    },
  };
}

export function memoryModuleVersions(): ModuleVersionStore {
  return numberedVersionStore<ModuleVersionRecord>((v) => [v.tenant_id, v.module_id, v.version_number]);
}
