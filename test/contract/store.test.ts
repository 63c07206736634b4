import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../shared/actions/model.ts';
import { createDynamoStore } from '../../shared/aws/dynamo/store.ts';
import { ConcurrentModificationError, ConflictError } from '../../shared/errors.ts';
import type { ModuleRecord } from '../../shared/modules/model.ts';
import type { Store } from '../../shared/ports/store.ts';
import { startDynalite } from '../support/dynalite.ts';

let store: Store;
let stop: () => Promise<void>;
let counter = 0;

beforeAll(async () => {
  const db = await startDynalite();
  store = createDynamoStore(db.tableName, db.client);
  stop = db.stop;
});
afterAll(() => stop());

function action(overrides: Partial<ActionRecord> = {}): ActionRecord {
  counter += 1;
  const now = new Date().toISOString();
  return {
    tenant_id: 'acme',
    id: `action-${counter}`,
    name: `action ${counter}`,
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: 'exports.onExecutePostLogin = async () => {};',
    runtime: 'node22',
    dependencies: [],
    secrets: { names: [], ciphertext: null },
    status: 'pending',
    errors: [],
    draft_revision: 1,
    version_counter: 0,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}

describe('the DynamoDB store, against a real DynamoDB-protocol server', () => {
  it('keeps action names unique per tenant, even under concurrent creates', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.actions.create(action({ name: 'same-name' }))),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const failure of attempts.filter((a) => a.status === 'rejected')) {
      expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    }
    await store.actions.create(action({ name: 'same-name', tenant_id: 'other-tenant' }));
    expect((await store.actions.findByName('acme', 'same-name'))?.name).toBe('same-name');
  });

  it('applies a draft change only at the expected revision, and renames by moving the name claim', async () => {
    const created = action();
    await store.actions.create(created);
    const updated = await store.actions.updateDraft('acme', created.id, 1, {
      code: '// v2',
      name: 'renamed',
    });
    expect(updated).toMatchObject({ draft_revision: 2, code: '// v2', name: 'renamed', status: 'pending' });
    await expect(
      store.actions.updateDraft('acme', created.id, 1, { code: '// stale' }),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(await store.actions.findByName('acme', created.name)).toBeUndefined();
    expect((await store.actions.findByName('acme', 'renamed'))?.id).toBe(created.id);
  });

  it('records a build only for the revision that was built', async () => {
    const created = action();
    await store.actions.create(created);
    await store.actions.updateDraft('acme', created.id, 1, { code: '// newer' });
    expect(await store.actions.recordBuild('acme', created.id, 1, { status: 'built' })).toBe(false);
    expect(await store.actions.recordBuild('acme', created.id, 2, { status: 'built', built_at: 'now' })).toBe(
      true,
    );
    expect(await store.actions.get('acme', created.id)).toMatchObject({ status: 'built', built_at: 'now' });
  });

  it('hands out consecutive unique version numbers to concurrent deploys', async () => {
    const created = action();
    await store.actions.create(created);
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => store.actions.nextVersionNumber('acme', created.id)),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('never lets an older version replace a newer live one', async () => {
    const created = action();
    await store.actions.create(created);
    const pointer = (number: number) => ({
      version_id: `v${number}`,
      number,
      function_name: `f${number}`,
      deployed_at: 'now',
      secrets_ciphertext: null,
    });
    expect(await store.actions.cutOver('acme', created.id, pointer(2), 1)).toBe(true);
    expect(await store.actions.cutOver('acme', created.id, pointer(1), 1)).toBe(false);
    expect(await store.actions.cutOver('acme', created.id, pointer(3), 1)).toBe(true);
    expect((await store.actions.get('acme', created.id))?.deployed?.number).toBe(3);
  });

  it('replaces a flow in one conditional write: of concurrent updates exactly one wins', async () => {
    const binding = (id: string) => ({
      id,
      action_id: id,
      display_name: id,
      created_at: 'now',
      updated_at: 'now',
    });
    const lists = Array.from({ length: 10 }, (_, i) => [binding(`a${i}`), binding(`b${i}`)]);
    const attempts = await Promise.allSettled(
      lists.map((list) => store.flows.replace('acme', 'post-login', 0, list)),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const stored = await store.flows.get('acme', 'post-login');
    expect(lists).toContainEqual(stored.bindings);
    expect(stored.revision).toBe(1);
  });

  it('stores versions newest first and finds them by id', async () => {
    const created = action();
    await store.actions.create(created);
    for (const number of [1, 2, 3]) {
      await store.versions.put({
        tenant_id: 'acme',
        action_id: created.id,
        id: `version-${number}`,
        number,
        code: `// ${number}`,
        runtime: 'node22',
        dependencies: [],
        secrets: { names: [], ciphertext: null },
        supported_triggers: created.supported_triggers,
        status: 'built',
        errors: [],
        function_name: `fn-${number}`,
        source_revision: 1,
        created_at: 'now',
        updated_at: 'now',
      });
    }
    expect((await store.versions.list('acme', created.id)).map((v) => v.number)).toEqual([3, 2, 1]);
    expect((await store.versions.get('acme', created.id, 'version-2'))?.code).toBe('// 2');
    expect(await store.versions.get('other-tenant', created.id, 'version-2')).toBeUndefined();
  });

  it('keeps module names unique per tenant and never lets an older publish replace the latest', async () => {
    const module = (id: string): ModuleRecord => ({
      tenant_id: 'acme',
      id,
      name: 'shared-crm',
      code: '',
      dependencies: [],
      secrets: { names: [], ciphertext: null },
      api_version: '1',
      draft_revision: 1,
      version_counter: 0,
      created_at: 'now',
      updated_at: 'now',
    });
    const attempts = await Promise.allSettled(
      ['m1', 'm2', 'm3'].map((id) => store.modules.create(module(id))),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const winner = (await store.modules.list('acme')).find((m) => m.name === 'shared-crm') as ModuleRecord;
    expect([
      await store.modules.nextVersionNumber('acme', winner.id),
      await store.modules.nextVersionNumber('acme', winner.id),
    ]).toEqual([1, 2]);
    await store.modules.recordPublished(
      'acme',
      winner.id,
      { id: 'v2', version_number: 2, created_at: 'now' },
      1,
    );
    await store.modules.recordPublished(
      'acme',
      winner.id,
      { id: 'v1', version_number: 1, created_at: 'now' },
      1,
    );
    expect((await store.modules.get('acme', winner.id))?.latest_version?.id).toBe('v2');
    await store.modules.delete('acme', winner);
    await store.modules.create(module('m4'));
    expect((await store.modules.get('acme', 'm4'))?.name).toBe('shared-crm');
  });
});
