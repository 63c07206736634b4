/** Actions and their immutable versions, in memory (DynamoDB: shared/aws/dynamo/actions.ts, versions.ts). */

import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ActionRecord, VersionRecord } from '../../model/actions.ts';
import type { ActionStore, VersionStore } from '../../ports/store.ts';
import { nameClaims } from './name-claims.ts';
import { byString, definedFields, keyOf, RecordTable } from './records.ts';
import { advancedPointer, bumpedCounter, changedDraft, numberedVersionStore } from './versioned.ts';

const actionMissing = () => new NotFoundError('That action does not exist.');

export function memoryActions(): ActionStore {
  const actions = new RecordTable<ActionRecord>();
  const get = (tenantId: string, actionId: string) => actions.get(keyOf(tenantId, actionId));
  const claims = nameClaims({
    ownerExists: (tenantId, actionId) => get(tenantId, actionId) !== undefined,
    taken: (name) => new ConflictError(`An action named '${name}' already exists.`, 'action_name_conflict'),
  });

  return {
    async create(action) {
      if (get(action.tenant_id, action.id)) {
        throw new ConflictError(`An action with id '${action.id}' already exists.`);
      }
      claims.claim(action.tenant_id, action.name, action.id);
      actions.put(keyOf(action.tenant_id, action.id), action);
    },

    get: async (tenantId, actionId) => get(tenantId, actionId),

    async findByName(tenantId, name) {
      const owner = claims.owner(tenantId, name);
      return owner === undefined ? undefined : get(tenantId, owner);
    },

    async getMany(tenantId, actionIds) {
      const found = new Map<string, ActionRecord>();
      for (const id of actionIds) {
        const action = get(tenantId, id);
        if (action) found.set(id, action);
      }
      return found;
    },

    list: async (tenantId) =>
      actions.select(
        (action) => action.tenant_id === tenantId,
        byString((action) => action.id),
      ),

    async updateDraft(tenantId, actionId, expectedRevision, changes) {
      const current = get(tenantId, actionId);
      if (!current) throw actionMissing();
      const renaming = changes.name !== undefined && changes.name !== current.name;
      // The name is checked before the revision, in the order the DynamoDB adapter writes them.
      if (renaming) claims.claim(tenantId, changes.name as string, actionId);
      try {
        // Every draft change makes the draft unbuilt until its build reports.
        const updated = changedDraft(current, expectedRevision, changes, { status: 'pending', errors: [] });
        actions.put(keyOf(tenantId, actionId), updated);
        if (renaming) claims.release(tenantId, current.name, actionId);
        return get(tenantId, actionId) as ActionRecord;
      } catch (error) {
        if (renaming) claims.release(tenantId, changes.name as string, actionId);
        throw error;
      }
    },

    async recordBuild(tenantId, actionId, revision, outcome) {
      const current = get(tenantId, actionId);
      if (current?.draft_revision !== revision) return false;
      actions.put(keyOf(tenantId, actionId), { ...current, ...definedFields(outcome) });
      return true;
    },

    async nextVersionNumber(tenantId, actionId) {
      const current = get(tenantId, actionId);
      if (!current) throw actionMissing();
      const [updated, number] = bumpedCounter(current, 'version_counter');
      actions.put(keyOf(tenantId, actionId), updated);
      return number;
    },

    async cutOver(tenantId, actionId, pointer, sourceRevision) {
      const updated = advancedPointer(get(tenantId, actionId), 'deployed', (p) => p.number, pointer, {
        deployed_revision: sourceRevision,
      });
      if (!updated) return false;
      actions.put(keyOf(tenantId, actionId), updated);
      return true;
    },

    async delete(tenantId, action) {
      actions.delete(keyOf(tenantId, action.id));
      claims.release(tenantId, action.name, action.id);
    },
  };
}

export function memoryVersions(): VersionStore {
  return numberedVersionStore<VersionRecord>((v) => [v.tenant_id, v.action_id, v.number]);
}
