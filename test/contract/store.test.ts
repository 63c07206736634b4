/**
 * The Store port's contract (shared/ports/store.ts), one specification held against both adapters:
 * the DynamoDB adapter against a real DynamoDB-protocol server (dynalite), and the in-memory
 * adapter the logic's unit tests run on. Each test takes a tenant of its own, so listings hold
 * only what the test wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore } from '../../shared/aws/dynamo/store.ts';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../../shared/errors.ts';
import { createMemoryStore } from '../../shared/memory/store.ts';
import type { Store } from '../../shared/ports/store.ts';
import { startDynalite } from '../support/dynalite.ts';
import {
  actionRecord,
  continueStateRecord,
  deployedPointer,
  executionRecord,
  integrationRecord,
  moduleRecord,
  moduleVersionRecord,
  releaseRecord,
  uniqueId,
  versionRecord,
} from '../support/store-records.ts';

interface Adapter {
  name: string;
  start(): Promise<{ store: Store; stop(): Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'DynamoDB (dynalite)',
    async start() {
      const db = await startDynalite();
      return { store: createDynamoStore(db.tableName, db.client), stop: db.stop };
    },
  },
  { name: 'in memory', start: async () => ({ store: createMemoryStore(), stop: async () => {} }) },
];

const fulfilled = (attempts: PromiseSettledResult<unknown>[]) =>
  attempts.filter((attempt) => attempt.status === 'fulfilled');
const reasons = (attempts: PromiseSettledResult<unknown>[]) =>
  attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason] : []));

describe.each(ADAPTERS)('the store port: $name', (adapter) => {
  let store: Store;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ store, stop } = await adapter.start());
  });
  afterAll(() => stop());

  describe('tenants', () => {
    it('creates a tenant once: creating the same id again is a ConflictError', async () => {
      const tenant = { id: uniqueId('tenant'), name: 'Acme', created_at: 'now' };
      await store.tenants.create(tenant);
      await expect(store.tenants.create({ ...tenant, name: 'Impostor' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await store.tenants.get(tenant.id)).toEqual(tenant);
      expect(await store.tenants.list()).toContainEqual(tenant);
    });

    it('answers undefined for a tenant that does not exist', async () => {
      expect(await store.tenants.get(uniqueId('tenant'))).toBeUndefined();
    });
  });

  describe('tokens', () => {
    it('finds a token by its hash and lists a tenant’s tokens, oldest first, and no other tenant’s', async () => {
      const tenantId = uniqueId('tenant');
      const token = (hash: string, tenant: string, created_at: string) => ({
        hash,
        tenant_id: tenant,
        scopes: ['read:actions'],
        name: hash,
        created_at,
      });
      const newer = token(uniqueId('hash'), tenantId, '2026-01-02T00:00:00.000Z');
      const older = token(uniqueId('hash'), tenantId, '2026-01-01T00:00:00.000Z');
      const foreign = token(uniqueId('hash'), uniqueId('tenant'), '2026-01-01T00:00:00.000Z');
      for (const t of [newer, older, foreign]) await store.tokens.put(t);
      expect(await store.tokens.find(newer.hash)).toEqual(newer);
      expect(await store.tokens.listForTenant(tenantId)).toEqual([older, newer]);
    });

    it('keeps an expired token findable: whether it still works is the authorizer’s to judge', async () => {
      const token = {
        hash: uniqueId('hash'),
        tenant_id: uniqueId('tenant'),
        scopes: [],
        name: 'expired',
        created_at: 'now',
        expires_at: 1,
      };
      await store.tokens.put(token);
      expect(await store.tokens.find(token.hash)).toEqual(token);
    });

    it('deletes a token, and deleting it again does nothing', async () => {
      const token = {
        hash: uniqueId('hash'),
        tenant_id: uniqueId('tenant'),
        scopes: [],
        name: 't',
        created_at: 'now',
      };
      await store.tokens.put(token);
      await store.tokens.delete(token.hash);
      await store.tokens.delete(token.hash);
      expect(await store.tokens.find(token.hash)).toBeUndefined();
      expect(await store.tokens.listForTenant(token.tenant_id)).toEqual([]);
    });
  });

  describe('actions', () => {
    it('reads back what was created, for its own tenant only', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      expect(await store.actions.get(tenantId, created.id)).toEqual(created);
      expect(await store.actions.findByName(tenantId, created.name)).toEqual(created);
      expect(await store.actions.get(uniqueId('tenant'), created.id)).toBeUndefined();
      expect(await store.actions.findByName(uniqueId('tenant'), created.name)).toBeUndefined();
      expect(await store.actions.findByName(tenantId, 'no such name')).toBeUndefined();
    });

    it('keeps action names unique per tenant, even under concurrent creates', async () => {
      const tenantId = uniqueId('tenant');
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, () => store.actions.create(actionRecord(tenantId, { name: 'same-name' }))),
      );
      expect(fulfilled(attempts)).toHaveLength(1);
      for (const reason of reasons(attempts)) {
        expect(reason).toBeInstanceOf(ConflictError);
        expect(reason).toMatchObject({ code: 'action_name_conflict' });
      }
      expect(await store.actions.list(tenantId)).toHaveLength(1);
      const elsewhere = actionRecord(uniqueId('tenant'), { name: 'same-name' });
      await store.actions.create(elsewhere);
      expect((await store.actions.findByName(elsewhere.tenant_id, 'same-name'))?.id).toBe(elsewhere.id);
    });

    it('refuses an action whose id is taken (ConflictError): the existing one keeps its name, the new name stays free', async () => {
      const tenantId = uniqueId('tenant');
      const existing = actionRecord(tenantId);
      await store.actions.create(existing);
      for (const name of ['another name', existing.name]) {
        await expect(store.actions.create({ ...existing, name, code: '// impostor' })).rejects.toBeInstanceOf(
          ConflictError,
        );
      }
      expect(await store.actions.get(tenantId, existing.id)).toEqual(existing);
      expect((await store.actions.findByName(tenantId, existing.name))?.id).toBe(existing.id);
      expect(await store.actions.findByName(tenantId, 'another name')).toBeUndefined();
      await store.actions.create(actionRecord(tenantId, { name: 'another name' }));
    });

    it('reads several actions at once, skipping ids that are missing, repeated or another tenant’s', async () => {
      const tenantId = uniqueId('tenant');
      const [first, second] = [actionRecord(tenantId), actionRecord(tenantId)];
      const foreign = actionRecord(uniqueId('tenant'));
      for (const action of [first, second, foreign]) await store.actions.create(action);
      const found = await store.actions.getMany(tenantId, [
        first.id,
        'missing',
        second.id,
        first.id,
        foreign.id,
      ]);
      expect(found).toEqual(
        new Map([
          [first.id, first],
          [second.id, second],
        ]),
      );
      expect(await store.actions.getMany(tenantId, [])).toEqual(new Map());
    });

    it('lists every action of a tenant and none of another’s', async () => {
      const tenantId = uniqueId('tenant');
      const actions = [actionRecord(tenantId), actionRecord(tenantId), actionRecord(tenantId)];
      for (const action of actions) await store.actions.create(action);
      await store.actions.create(actionRecord(uniqueId('tenant')));
      const listed = await store.actions.list(tenantId);
      expect(listed.map((a) => a.id).sort()).toEqual(actions.map((a) => a.id).sort());
      expect(await store.actions.list(uniqueId('tenant'))).toEqual([]);
    });

    it('applies a draft change at the expected revision: bumps it and makes the draft unbuilt again', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId, {
        status: 'built',
        errors: [{ id: 'e', msg: 'old' }],
        draft_function: 'fn-draft',
      });
      await store.actions.create(created);
      const updated = await store.actions.updateDraft(tenantId, created.id, 1, {
        code: '// v2',
        name: undefined,
      });
      expect(updated).toMatchObject({
        draft_revision: 2,
        code: '// v2',
        name: created.name,
        status: 'pending',
        errors: [],
        draft_function: 'fn-draft',
      });
      expect(await store.actions.get(tenantId, created.id)).toEqual(updated);
    });

    it('refuses a draft change at a stale revision (ConcurrentModificationError), and one to a missing action (NotFoundError)', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      await store.actions.updateDraft(tenantId, created.id, 1, { code: '// first editor' });
      await expect(
        store.actions.updateDraft(tenantId, created.id, 1, { code: '// second editor' }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await store.actions.get(tenantId, created.id))?.code).toBe('// first editor');
      await expect(store.actions.updateDraft(tenantId, 'missing', 1, { code: '' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('renames by moving the name claim: the old name is free, the new one found', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      await store.actions.updateDraft(tenantId, created.id, 1, { name: 'renamed' });
      expect(await store.actions.findByName(tenantId, created.name)).toBeUndefined();
      expect((await store.actions.findByName(tenantId, 'renamed'))?.id).toBe(created.id);
      await store.actions.create(actionRecord(tenantId, { name: created.name }));
    });

    it('refuses a rename to a taken name (ConflictError) and leaves both actions their names', async () => {
      const tenantId = uniqueId('tenant');
      const [first, second] = [actionRecord(tenantId), actionRecord(tenantId)];
      await store.actions.create(first);
      await store.actions.create(second);
      await expect(
        store.actions.updateDraft(tenantId, second.id, 1, { name: first.name }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect((await store.actions.findByName(tenantId, first.name))?.id).toBe(first.id);
      expect((await store.actions.findByName(tenantId, second.name))?.id).toBe(second.id);
      expect((await store.actions.get(tenantId, second.id))?.draft_revision).toBe(1);
    });

    it('a rename at a stale revision takes no name: the new name stays free, the old one kept', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      await store.actions.updateDraft(tenantId, created.id, 1, { code: '// moved on' });
      await expect(
        store.actions.updateDraft(tenantId, created.id, 1, { name: 'wanted' }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await store.actions.findByName(tenantId, 'wanted')).toBeUndefined();
      expect((await store.actions.findByName(tenantId, created.name))?.id).toBe(created.id);
      await store.actions.create(actionRecord(tenantId, { name: 'wanted' }));
    });

    it('records a build only for the revision that was built, and never for a missing action', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      await store.actions.updateDraft(tenantId, created.id, 1, { code: '// newer' });
      expect(await store.actions.recordBuild(tenantId, created.id, 1, { status: 'built' })).toBe(false);
      expect((await store.actions.get(tenantId, created.id))?.status).toBe('pending');
      const outcome = {
        status: 'built' as const,
        built_at: 'now',
        draft_function: 'fn-draft',
        dependencies: [{ name: 'lodash', version: '4.17.21' }],
      };
      expect(await store.actions.recordBuild(tenantId, created.id, 2, outcome)).toBe(true);
      expect(await store.actions.get(tenantId, created.id)).toMatchObject({ ...outcome, draft_revision: 2 });
      expect(await store.actions.recordBuild(tenantId, 'missing', 1, outcome)).toBe(false);
    });

    it('hands out consecutive unique version numbers to concurrent deploys', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      const numbers = await Promise.all(
        Array.from({ length: 20 }, () => store.actions.nextVersionNumber(tenantId, created.id)),
      );
      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.actions.get(tenantId, created.id))?.version_counter).toBe(20);
      await expect(store.actions.nextVersionNumber(tenantId, 'missing')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('cuts over forward only: an older version never replaces a newer live one', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      expect(await store.actions.cutOver(tenantId, created.id, deployedPointer(2), 5)).toBe(true);
      expect(await store.actions.cutOver(tenantId, created.id, deployedPointer(1), 6)).toBe(false);
      expect(await store.actions.cutOver(tenantId, created.id, deployedPointer(2), 6)).toBe(false);
      expect(await store.actions.get(tenantId, created.id)).toMatchObject({
        deployed: deployedPointer(2),
        deployed_revision: 5,
      });
      expect(await store.actions.cutOver(tenantId, created.id, deployedPointer(3), 7)).toBe(true);
      expect(await store.actions.get(tenantId, created.id)).toMatchObject({
        deployed: deployedPointer(3),
        deployed_revision: 7,
      });
      expect(await store.actions.cutOver(tenantId, 'missing', deployedPointer(1), 1)).toBe(false);
    });

    it('ends on the highest version whatever order concurrent cut-overs land in', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      await Promise.all(
        [4, 1, 3, 5, 2].map((n) => store.actions.cutOver(tenantId, created.id, deployedPointer(n), n)),
      );
      expect((await store.actions.get(tenantId, created.id))?.deployed?.number).toBe(5);
    });

    it('deletes an action and frees its name', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      await store.actions.create(created);
      await store.actions.delete(tenantId, created);
      expect(await store.actions.get(tenantId, created.id)).toBeUndefined();
      expect(await store.actions.findByName(tenantId, created.name)).toBeUndefined();
      const successor = actionRecord(tenantId, { name: created.name });
      await store.actions.create(successor);
      expect((await store.actions.findByName(tenantId, created.name))?.id).toBe(successor.id);
    });

    it('keeps what it stores apart from the caller’s objects: mutating them changes nothing stored', async () => {
      const tenantId = uniqueId('tenant');
      const created = actionRecord(tenantId);
      const original = structuredClone(created);
      await store.actions.create(created);
      created.code = '// mutated after create';
      created.supported_triggers.push({ id: 'post-change-password', version: 'v2' });
      const read = (await store.actions.get(tenantId, created.id)) as typeof created;
      read.secrets.names.push({ name: 'LEAKED', updated_at: 'now' });
      const listed = await store.actions.list(tenantId);
      (listed[0] as typeof created).name = 'mutated in a listing';
      expect(await store.actions.get(tenantId, created.id)).toEqual(original);
    });
  });

  describe('action versions', () => {
    it('lists versions newest first and finds one by id, for its own tenant only', async () => {
      const tenantId = uniqueId('tenant');
      const action = actionRecord(tenantId);
      for (const number of [2, 3, 1]) await store.versions.put(versionRecord(action, number));
      expect((await store.versions.list(tenantId, action.id)).map((v) => v.number)).toEqual([3, 2, 1]);
      expect(await store.versions.get(tenantId, action.id, versionRecord(action, 2).id)).toEqual(
        versionRecord(action, 2),
      );
      expect(await store.versions.get(tenantId, action.id, 'missing')).toBeUndefined();
      expect(
        await store.versions.get(uniqueId('tenant'), action.id, versionRecord(action, 2).id),
      ).toBeUndefined();
      expect(await store.versions.list(tenantId, 'another-action')).toEqual([]);
    });

    it('never overwrites a version: putting a taken number is a ConcurrentModificationError', async () => {
      const action = actionRecord(uniqueId('tenant'));
      await store.versions.put(versionRecord(action, 1));
      await expect(
        store.versions.put({ ...versionRecord(action, 1), code: '// impostor' }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect((await store.versions.list(action.tenant_id, action.id))[0]?.code).toBe('// version 1');
    });

    it('updates a version’s build outcome but never its code; updating a missing version fails', async () => {
      const action = actionRecord(uniqueId('tenant'));
      const version = versionRecord(action, 1);
      await store.versions.put(version);
      await store.versions.update(action.tenant_id, action.id, 1, {
        status: 'built',
        built_at: 'now',
        function_pruned: true,
        errors: undefined,
      });
      expect(await store.versions.get(action.tenant_id, action.id, version.id)).toMatchObject({
        status: 'built',
        built_at: 'now',
        function_pruned: true,
        errors: [],
        code: version.code,
      });
      await expect(
        store.versions.update(action.tenant_id, action.id, 2, { status: 'built' }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await store.versions.list(action.tenant_id, action.id)).toHaveLength(1);
    });

    it('deletes a version, and deleting it again does nothing', async () => {
      const action = actionRecord(uniqueId('tenant'));
      for (const number of [1, 2]) await store.versions.put(versionRecord(action, number));
      await store.versions.delete(action.tenant_id, action.id, 1);
      await store.versions.delete(action.tenant_id, action.id, 1);
      expect((await store.versions.list(action.tenant_id, action.id)).map((v) => v.number)).toEqual([2]);
    });
  });

  describe('flows', () => {
    const binding = (id: string) => ({
      id,
      action_id: id,
      display_name: id,
      created_at: 'now',
      updated_at: 'now',
    });

    it('answers an empty chain at revision 0 for a flow never written', async () => {
      const tenantId = uniqueId('tenant');
      expect(await store.flows.get(tenantId, 'post-login')).toEqual({
        tenant_id: tenantId,
        trigger_id: 'post-login',
        bindings: [],
        revision: 0,
        updated_at: '',
      });
      expect(await store.flows.list(tenantId)).toEqual([]);
    });

    it('replaces the chain only at the expected revision, bumping it', async () => {
      const tenantId = uniqueId('tenant');
      const first = await store.flows.replace(tenantId, 'post-login', 0, [binding('a')]);
      expect(first).toMatchObject({ revision: 1, bindings: [binding('a')] });
      await expect(store.flows.replace(tenantId, 'post-login', 0, [binding('b')])).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
      await expect(store.flows.replace(tenantId, 'post-login', 2, [binding('b')])).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
      await expect(store.flows.replace(tenantId, 'send-phone-message', 1, [])).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
      const second = await store.flows.replace(tenantId, 'post-login', 1, [binding('b'), binding('a')]);
      expect(second.revision).toBe(2);
      expect(await store.flows.get(tenantId, 'post-login')).toEqual(second);
    });

    it('replaces a flow in one conditional write: of concurrent updates exactly one wins', async () => {
      const tenantId = uniqueId('tenant');
      const lists = Array.from({ length: 10 }, (_, i) => [binding(`a${i}`), binding(`b${i}`)]);
      const attempts = await Promise.allSettled(
        lists.map((list) => store.flows.replace(tenantId, 'post-login', 0, list)),
      );
      expect(fulfilled(attempts)).toHaveLength(1);
      for (const reason of reasons(attempts)) expect(reason).toBeInstanceOf(ConcurrentModificationError);
      const stored = await store.flows.get(tenantId, 'post-login');
      expect(lists).toContainEqual(stored.bindings);
      expect(stored.revision).toBe(1);
    });

    it('lists the flows a tenant has written, and no other tenant’s', async () => {
      const tenantId = uniqueId('tenant');
      await store.flows.replace(tenantId, 'post-login', 0, [binding('a')]);
      await store.flows.replace(tenantId, 'credentials-exchange', 0, []);
      await store.flows.replace(uniqueId('tenant'), 'post-login', 0, [binding('z')]);
      const listed = await store.flows.list(tenantId);
      expect(listed.map((flow) => flow.trigger_id).sort()).toEqual(['credentials-exchange', 'post-login']);
    });
  });

  describe('modules', () => {
    it('keeps module names unique per tenant, even under concurrent creates, and delete frees the name', async () => {
      const tenantId = uniqueId('tenant');
      const attempts = await Promise.allSettled(
        ['m1', 'm2', 'm3'].map((id) =>
          store.modules.create(moduleRecord(tenantId, { id, name: 'shared-crm' })),
        ),
      );
      expect(fulfilled(attempts)).toHaveLength(1);
      for (const reason of reasons(attempts)) expect(reason).toMatchObject({ code: 'module_name_conflict' });
      const [winner] = await store.modules.list(tenantId);
      expect(winner?.name).toBe('shared-crm');
      await store.modules.create(moduleRecord(uniqueId('tenant'), { name: 'shared-crm' }));
      await store.modules.delete(tenantId, winner as NonNullable<typeof winner>);
      expect(await store.modules.get(tenantId, winner?.id as string)).toBeUndefined();
      await store.modules.create(moduleRecord(tenantId, { id: 'm4', name: 'shared-crm' }));
      expect((await store.modules.get(tenantId, 'm4'))?.name).toBe('shared-crm');
    });

    it('refuses a module whose id is taken (ConflictError): the existing one keeps its name, the new name stays free', async () => {
      const tenantId = uniqueId('tenant');
      const existing = moduleRecord(tenantId);
      await store.modules.create(existing);
      for (const name of ['another-name', existing.name]) {
        await expect(store.modules.create({ ...existing, name })).rejects.toBeInstanceOf(ConflictError);
      }
      expect(await store.modules.get(tenantId, existing.id)).toEqual(existing);
      await store.modules.create(moduleRecord(tenantId, { name: 'another-name' }));
      await expect(
        store.modules.create(moduleRecord(tenantId, { name: existing.name })),
      ).rejects.toBeInstanceOf(ConflictError);
    });

    it('reads back a module for its own tenant only, and lists a tenant’s modules', async () => {
      const tenantId = uniqueId('tenant');
      const [first, second] = [moduleRecord(tenantId), moduleRecord(tenantId)];
      await store.modules.create(first);
      await store.modules.create(second);
      expect(await store.modules.get(tenantId, first.id)).toEqual(first);
      expect(await store.modules.get(uniqueId('tenant'), first.id)).toBeUndefined();
      expect((await store.modules.list(tenantId)).map((m) => m.id).sort()).toEqual(
        [first.id, second.id].sort(),
      );
    });

    it('applies a draft change only at the expected revision, bumping it', async () => {
      const tenantId = uniqueId('tenant');
      const created = moduleRecord(tenantId);
      await store.modules.create(created);
      const updated = await store.modules.updateDraft(tenantId, created.id, 1, { code: '// v2' });
      expect(updated).toMatchObject({ draft_revision: 2, code: '// v2', name: created.name });
      expect(await store.modules.get(tenantId, created.id)).toEqual(updated);
      await expect(
        store.modules.updateDraft(tenantId, created.id, 1, { code: '// stale' }),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      // No draft is at any revision when there is no module.
      await expect(store.modules.updateDraft(tenantId, 'missing', 1, { code: '' })).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
    });

    it('hands out consecutive version numbers, and none for a missing module', async () => {
      const tenantId = uniqueId('tenant');
      const created = moduleRecord(tenantId);
      await store.modules.create(created);
      const numbers = await Promise.all(
        Array.from({ length: 5 }, () => store.modules.nextVersionNumber(tenantId, created.id)),
      );
      expect([...numbers].sort()).toEqual([1, 2, 3, 4, 5]);
      await expect(store.modules.nextVersionNumber(tenantId, 'missing')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('records a published version as the latest unless a newer one already is', async () => {
      const tenantId = uniqueId('tenant');
      const created = moduleRecord(tenantId);
      await store.modules.create(created);
      const latest = (n: number) => ({ id: `v${n}`, version_number: n, created_at: 'now' });
      await store.modules.recordPublished(tenantId, created.id, latest(2), 3);
      await store.modules.recordPublished(tenantId, created.id, latest(1), 4);
      expect(await store.modules.get(tenantId, created.id)).toMatchObject({
        latest_version: latest(2),
        published_revision: 3,
      });
      await store.modules.recordPublished(tenantId, created.id, latest(3), 5);
      expect(await store.modules.get(tenantId, created.id)).toMatchObject({
        latest_version: latest(3),
        published_revision: 5,
      });
      await store.modules.recordPublished(tenantId, 'missing', latest(1), 1);
      expect(await store.modules.get(tenantId, 'missing')).toBeUndefined();
    });
  });

  describe('module versions', () => {
    it('lists versions newest first, finds one by id and never overwrites a number', async () => {
      const module = moduleRecord(uniqueId('tenant'));
      for (const n of [1, 3, 2]) await store.moduleVersions.put(moduleVersionRecord(module, n));
      expect(
        (await store.moduleVersions.list(module.tenant_id, module.id)).map((v) => v.version_number),
      ).toEqual([3, 2, 1]);
      expect(
        await store.moduleVersions.get(module.tenant_id, module.id, moduleVersionRecord(module, 3).id),
      ).toEqual(moduleVersionRecord(module, 3));
      expect(
        await store.moduleVersions.get(uniqueId('tenant'), module.id, moduleVersionRecord(module, 3).id),
      ).toBeUndefined();
      await expect(store.moduleVersions.put(moduleVersionRecord(module, 2))).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
    });

    it('deletes a version', async () => {
      const module = moduleRecord(uniqueId('tenant'));
      for (const n of [1, 2]) await store.moduleVersions.put(moduleVersionRecord(module, n));
      await store.moduleVersions.delete(module.tenant_id, module.id, 2);
      expect(
        (await store.moduleVersions.list(module.tenant_id, module.id)).map((v) => v.version_number),
      ).toEqual([1]);
    });
  });

  describe('the integration catalog', () => {
    it('creates an entry once: the same id again is a ConflictError; it is read and listed', async () => {
      const integration = integrationRecord();
      await store.integrations.create(integration);
      await expect(store.integrations.create(integration)).rejects.toBeInstanceOf(ConflictError);
      expect(await store.integrations.get(integration.id)).toEqual(integration);
      expect(await store.integrations.list()).toContainEqual(integration);
      expect(await store.integrations.get('missing')).toBeUndefined();
    });

    it('hands out consecutive release numbers, and none for a missing integration', async () => {
      const integration = integrationRecord();
      await store.integrations.create(integration);
      const numbers = await Promise.all(
        [1, 2, 3].map(() => store.integrations.nextReleaseNumber(integration.id)),
      );
      expect([...numbers].sort()).toEqual([1, 2, 3]);
      await expect(store.integrations.nextReleaseNumber('missing')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('records a release as the latest with its listing, unless a newer release already is', async () => {
      const integration = integrationRecord();
      await store.integrations.create(integration);
      const latest = (version: number) => ({ id: `r${version}`, version, created_at: 'now' });
      const listing = (display_name: string) => ({
        display_name,
        description: `${display_name}, described`,
        short_description: display_name,
        partner: 'partner-co',
      });
      await store.integrations.recordRelease(integration.id, latest(2), listing('Second'));
      await store.integrations.recordRelease(integration.id, latest(1), listing('First'));
      expect(await store.integrations.get(integration.id)).toMatchObject({
        latest_release: latest(2),
        ...listing('Second'),
      });
    });

    it('keeps releases immutable, reads one by number and lists them newest first', async () => {
      const integration = integrationRecord();
      for (const version of [1, 2])
        await store.integrations.putRelease(releaseRecord(integration.id, version));
      await expect(store.integrations.putRelease(releaseRecord(integration.id, 2))).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
      expect(await store.integrations.getRelease(integration.id, 1)).toEqual(
        releaseRecord(integration.id, 1),
      );
      expect(await store.integrations.getRelease(integration.id, 3)).toBeUndefined();
      expect((await store.integrations.listReleases(integration.id)).map((r) => r.version)).toEqual([2, 1]);
    });
  });

  describe('executions', () => {
    const NOW_SECONDS = 1_900_000_000;
    const NOW_MS = NOW_SECONDS * 1000;
    const lease = (holder: string, now = NOW_MS) => ({ holder, now, until: now + 30_000 });

    it('reads an execution back for its own tenant until it expires', async () => {
      const tenantId = uniqueId('tenant');
      const execution = executionRecord(tenantId, { expires_at: NOW_SECONDS + 1 });
      await store.executions.put(execution);
      expect(await store.executions.get(tenantId, execution.id, NOW_SECONDS)).toEqual(execution);
      expect(await store.executions.get(uniqueId('tenant'), execution.id, NOW_SECONDS)).toBeUndefined();
      expect(await store.executions.get(tenantId, execution.id, NOW_SECONDS + 1)).toBeUndefined();
      expect(await store.executions.get(tenantId, 'missing', NOW_SECONDS)).toBeUndefined();
    });

    it('lets one delivery claim a pending execution, counting the attempt; another finds it held', async () => {
      const tenantId = uniqueId('tenant');
      const execution = executionRecord(tenantId);
      await store.executions.put(execution);
      const claim = await store.executions.claim(tenantId, execution.id, lease('first'));
      expect(claim).toEqual({
        outcome: 'claimed',
        execution: { ...execution, attempts: 1, lease_holder: 'first', lease_until: NOW_MS + 30_000 },
      });
      expect(await store.executions.claim(tenantId, execution.id, lease('second', NOW_MS + 1000))).toEqual({
        outcome: 'held',
        until: NOW_MS + 30_000,
      });
    });

    it('of concurrent claims exactly one delivery wins', async () => {
      const tenantId = uniqueId('tenant');
      const execution = executionRecord(tenantId);
      await store.executions.put(execution);
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((holder) => store.executions.claim(tenantId, execution.id, lease(holder))),
      );
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.outcome === 'held')).toHaveLength(3);
    });

    it('lets a later delivery take over a lease that expired, counting a second attempt', async () => {
      const tenantId = uniqueId('tenant');
      const execution = executionRecord(tenantId);
      await store.executions.put(execution);
      await store.executions.claim(tenantId, execution.id, lease('crashed'));
      const takeover = await store.executions.claim(tenantId, execution.id, lease('later', NOW_MS + 30_000));
      expect(takeover).toMatchObject({
        outcome: 'claimed',
        execution: { attempts: 2, lease_holder: 'later', lease_until: NOW_MS + 60_000 },
      });
    });

    it('has nothing to claim when the execution is finished, missing, expired or another tenant’s', async () => {
      const tenantId = uniqueId('tenant');
      const finished = executionRecord(tenantId, { status: 'final' });
      const expired = executionRecord(tenantId, { expires_at: NOW_SECONDS });
      for (const execution of [finished, expired]) await store.executions.put(execution);
      const pending = executionRecord(tenantId);
      await store.executions.put(pending);
      expect(await store.executions.claim(tenantId, finished.id, lease('x'))).toEqual({ outcome: 'done' });
      expect(await store.executions.claim(tenantId, expired.id, lease('x'))).toEqual({ outcome: 'done' });
      expect(await store.executions.claim(tenantId, 'missing', lease('x'))).toEqual({ outcome: 'done' });
      expect(await store.executions.claim(uniqueId('tenant'), pending.id, lease('x'))).toEqual({
        outcome: 'done',
      });
      expect((await store.executions.get(tenantId, pending.id, NOW_SECONDS))?.attempts).toBeUndefined();
    });

    it('lets the holder give its lease up early, so the next delivery claims at once; others cannot', async () => {
      const tenantId = uniqueId('tenant');
      const execution = executionRecord(tenantId);
      await store.executions.put(execution);
      await store.executions.claim(tenantId, execution.id, lease('holder'));
      await store.executions.release(tenantId, execution.id, 'not-the-holder');
      await store.executions.release(uniqueId('tenant'), execution.id, 'holder');
      expect((await store.executions.claim(tenantId, execution.id, lease('next'))).outcome).toBe('held');
      await store.executions.release(tenantId, execution.id, 'holder');
      const released = await store.executions.get(tenantId, execution.id, NOW_SECONDS);
      expect(released).not.toHaveProperty('lease_holder');
      expect(released).not.toHaveProperty('lease_until');
      expect((await store.executions.claim(tenantId, execution.id, lease('next'))).outcome).toBe('claimed');
      await store.executions.release(tenantId, 'missing', 'holder');
    });

    it('completes an execution once, dropping its event and lease; a second completion changes nothing', async () => {
      const tenantId = uniqueId('tenant');
      const execution = executionRecord(tenantId);
      await store.executions.put(execution);
      await store.executions.claim(tenantId, execution.id, lease('holder'));
      expect(
        await store.executions.complete(uniqueId('tenant'), execution.id, {
          status: 'final',
          results: [],
          updated_at: 'x',
        }),
      ).toBe(false);
      expect(
        await store.executions.complete(tenantId, execution.id, {
          status: 'final',
          results: [],
          updated_at: 'done',
        }),
      ).toBe(true);
      expect(
        await store.executions.complete(tenantId, execution.id, {
          status: 'partial',
          results: [],
          updated_at: 'again',
        }),
      ).toBe(false);
      const completed = await store.executions.get(tenantId, execution.id, NOW_SECONDS);
      expect(completed).toMatchObject({ status: 'final', updated_at: 'done', attempts: 1 });
      for (const dropped of ['event', 'lease_holder', 'lease_until'])
        expect(completed).not.toHaveProperty(dropped);
      expect((await store.executions.claim(tenantId, execution.id, lease('late'))).outcome).toBe('done');
      expect(
        await store.executions.complete(tenantId, 'missing', {
          status: 'final',
          results: [],
          updated_at: 'x',
        }),
      ).toBe(false);
    });
  });

  describe('continue states', () => {
    const NOW_SECONDS = 1_900_000_000;

    it('hands a state out once: the second take finds nothing', async () => {
      const state = continueStateRecord(uniqueId('tenant'));
      await store.continueStates.put(state);
      expect(await store.continueStates.take(state.hash, NOW_SECONDS)).toEqual(state);
      expect(await store.continueStates.take(state.hash, NOW_SECONDS)).toBeUndefined();
      expect(await store.continueStates.take('missing', NOW_SECONDS)).toBeUndefined();
    });

    it('of concurrent takes exactly one resumes the chain', async () => {
      const state = continueStateRecord(uniqueId('tenant'));
      await store.continueStates.put(state);
      const taken = await Promise.all(
        [1, 2, 3, 4].map(() => store.continueStates.take(state.hash, NOW_SECONDS)),
      );
      expect(taken.filter((t) => t !== undefined)).toEqual([state]);
    });

    it('never hands out an expired state, and it is gone afterwards', async () => {
      const state = continueStateRecord(uniqueId('tenant'), { expires_at: NOW_SECONDS });
      await store.continueStates.put(state);
      expect(await store.continueStates.take(state.hash, NOW_SECONDS)).toBeUndefined();
      expect(await store.continueStates.take(state.hash, NOW_SECONDS - 10)).toBeUndefined();
    });
  });
});
