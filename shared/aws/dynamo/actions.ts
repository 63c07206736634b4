/**
 * Actions: one item per action (the draft plus a pointer to its live version) and one name-claim
 * item per action name, so names stay unique per tenant without transactions. A claim whose
 * action no longer exists (a crash between the two writes) is stale and may be taken over.
 */
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { ActionRecord } from '../../model/actions.ts';
import type { ActionStore, DraftChanges } from '../../ports/store.ts';
import { nameClaims } from './name-claims.ts';
import {
  assignFields,
  isConditionFailure,
  keys,
  nextCounterValue,
  queryAll,
  type Table,
  toRecord,
} from './table.ts';
import { advancePointer, updateDraftItem } from './versioned.ts';

const actionMissing = () => new NotFoundError('That action does not exist.');

export function dynamoActions(table: Table): ActionStore {
  const getAction = async (tenantId: string, actionId: string) => {
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.action(tenantId, actionId) }),
    );
    return toRecord<ActionRecord>(Item);
  };

  const claims = nameClaims(table, {
    key: keys.actionName,
    ownerAttribute: 'action_id',
    ownerName: async (tenantId, actionId) => (await getAction(tenantId, actionId))?.name,
    taken: (name) => new ConflictError(`An action named '${name}' already exists.`, 'action_name_conflict'),
  });

  return {
    create: (action) =>
      claims.createNamed(
        action,
        keys.action(action.tenant_id, action.id),
        () => new ConflictError(`An action with id '${action.id}' already exists.`),
      ),

    get: getAction,

    async findByName(tenantId, name) {
      const { Item } = await table.doc.send(
        new GetCommand({ TableName: table.name, ConsistentRead: true, Key: keys.actionName(tenantId, name) }),
      );
      return Item ? getAction(tenantId, Item.action_id as string) : undefined;
    },

    async getMany(tenantId, actionIds) {
      const found = new Map<string, ActionRecord>();
      // At most 20 bound actions per trigger: one request (BatchGetItem takes 100 keys), plus
      // follow-ups only if DynamoDB hands back unprocessed keys under load.
      let pending: Record<string, unknown>[] = [...new Set(actionIds)].map((id) => keys.action(tenantId, id));
      while (pending.length > 0) {
        const { Responses, UnprocessedKeys } = await table.doc.send(
          new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[table.name] ?? []) {
          const record = toRecord<ActionRecord>(item) as ActionRecord;
          found.set(record.id, record);
        }
        pending = (UnprocessedKeys?.[table.name]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
      return found;
    },

    list: (tenantId) =>
      queryAll<ActionRecord>((ExclusiveStartKey) =>
        table.doc.send(
          new QueryCommand({
            TableName: table.name,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':prefix': 'ACTION#' },
            ExclusiveStartKey,
          }),
        ),
      ),

    async updateDraft(tenantId, actionId, expectedRevision, changes: DraftChanges) {
      const current = await getAction(tenantId, actionId);
      if (!current) throw actionMissing();
      const renaming = changes.name !== undefined && changes.name !== current.name;
      if (renaming) await claims.claim(tenantId, changes.name as string, actionId);
      try {
        // Every draft change makes the draft unbuilt until its build reports.
        const updated = await updateDraftItem<ActionRecord>(
          table,
          keys.action(tenantId, actionId),
          expectedRevision,
          changes,
          { status: 'pending', errors: [] },
        );
        if (renaming) await claims.release(tenantId, current.name, actionId);
        return updated;
      } catch (error) {
        if (renaming) await claims.release(tenantId, changes.name as string, actionId);
        throw error;
      }
    },

    async recordBuild(tenantId, actionId, revision, outcome) {
      const names: Record<string, string> = { '#rev': 'draft_revision' };
      const values: Record<string, unknown> = { ':rev': revision };
      const sets: string[] = [];
      assignFields(outcome, { sets, names, values });
      try {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.name,
            Key: keys.action(tenantId, actionId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND #rev = :rev',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async nextVersionNumber(tenantId, actionId) {
      return nextCounterValue(table, keys.action(tenantId, actionId), 'version_counter', actionMissing);
    },

    // A slower, older deploy must never replace a newer live version.
    cutOver: (tenantId, actionId, pointer, sourceRevision) =>
      advancePointer(table, keys.action(tenantId, actionId), {
        attribute: 'deployed',
        numberField: 'number',
        value: { ...pointer },
        with: { deployed_revision: sourceRevision },
      }),

    async delete(tenantId, action) {
      await table.doc.send(
        new DeleteCommand({ TableName: table.name, Key: keys.action(tenantId, action.id) }),
      );
      await claims.release(tenantId, action.name, action.id);
    },
  };
}
