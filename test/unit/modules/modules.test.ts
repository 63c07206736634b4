/** Actions Modules (shared/modules), specified on the in-memory store. */
import { describe, expect, it } from 'vitest';
import { createAction } from '../../../shared/actions/drafts.ts';
import { LIMITS } from '../../../shared/actions/limits.ts';
import { createActionBody } from '../../../shared/actions/schemas.ts';
import { readSecrets } from '../../../shared/actions/secrets.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../../shared/errors.ts';
import { createModule, deleteModule, rollbackModule, updateModule } from '../../../shared/modules/modules.ts';
import { resolvePins } from '../../../shared/modules/pins.ts';
import { createModuleBody, updateModuleBody } from '../../../shared/modules/schemas.ts';
import { getModuleVersion, listModuleVersions, publishModule } from '../../../shared/modules/versions.ts';
import { memoryContext } from '../../support/memory-context.ts';

const TENANT = 'acme';
type Context = ReturnType<typeof memoryContext>['ctx'];

const newModule = (ctx: Context, fields: Record<string, unknown> = {}) =>
  createModule(ctx, TENANT, createModuleBody.parse({ name: 'crm', code: '// v1', ...fields }));

describe('creating a module', () => {
  it('writes the draft at revision 1 under a name unique to the tenant', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    expect(module).toMatchObject({ name: 'crm', code: '// v1', draft_revision: 1, api_version: '1' });
    expect(module.latest_version).toBeUndefined();
    await expect(newModule(ctx)).rejects.toBeInstanceOf(ConflictError);
    await createModule(ctx, 'another-tenant', createModuleBody.parse({ name: 'crm', code: '' }));
  });

  it('with publish: true, publishes version 1 at once', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx, { publish: true });
    expect(module).toMatchObject({ latest_version: { version_number: 1 }, published_revision: 1 });
    expect((await listModuleVersions(ctx, TENANT, module.id)).map((v) => v.code)).toEqual(['// v1']);
  });
});

describe('publishing a module', () => {
  it('numbers versions 1, 2, … and records the newest as the latest, with the draft revision it came from', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    const first = await publishModule(ctx, TENANT, module.id);
    await updateModule(ctx, TENANT, module.id, updateModuleBody.parse({ code: '// v2' }));
    const second = await publishModule(ctx, TENANT, module.id);
    expect([first.version_number, second.version_number]).toEqual([1, 2]);
    expect([first.code, second.code]).toEqual(['// v1', '// v2']);
    expect(second).toMatchObject({ module_name: 'crm', module_id: module.id });
    expect(await ctx.store.modules.get(TENANT, module.id)).toMatchObject({
      latest_version: { id: second.id, version_number: 2 },
      published_revision: 2,
    });
    expect(await getModuleVersion(ctx, TENANT, module.id, first.id)).toEqual(first);
  });

  it('over the cap, makes room by deleting the oldest version no action pins', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    const first = await publishModule(ctx, TENANT, module.id);
    const second = await publishModule(ctx, TENANT, module.id);
    await createAction(
      ctx,
      TENANT,
      createActionBody.parse({
        name: 'pins-the-first',
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        modules: [{ module_id: module.id, module_version_id: first.id }],
      }),
    );
    for (let n = 3; n <= LIMITS.versionsPerModule; n += 1) await publishModule(ctx, TENANT, module.id);
    const newest = await publishModule(ctx, TENANT, module.id);
    const numbers = (await listModuleVersions(ctx, TENANT, module.id)).map((v) => v.version_number);
    expect(numbers).toHaveLength(LIMITS.versionsPerModule);
    expect(numbers).toContain(first.version_number);
    expect(numbers).not.toContain(second.version_number);
    expect(numbers[0]).toBe(newest.version_number);
  });

  it('answers NotFoundError for a module that does not exist', async () => {
    const { ctx } = memoryContext();
    await expect(publishModule(ctx, TENANT, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('updating a module', () => {
  it('bumps the draft revision; a published version keeps its code', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    const published = await publishModule(ctx, TENANT, module.id);
    const updated = await updateModule(ctx, TENANT, module.id, updateModuleBody.parse({ code: '// draft' }));
    expect(updated).toMatchObject({ code: '// draft', draft_revision: 2, published_revision: 1 });
    expect((await getModuleVersion(ctx, TENANT, module.id, published.id)).code).toBe('// v1');
  });

  it('never overwrites a change another editor made since the draft was read', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    const read = ctx.store.modules.get;
    ctx.store.modules.get = async (tenantId, moduleId) => {
      const seen = await read(tenantId, moduleId);
      if (seen)
        await ctx.store.modules.updateDraft(tenantId, moduleId, seen.draft_revision, { code: '// theirs' });
      return seen;
    };
    await expect(
      updateModule(ctx, TENANT, module.id, updateModuleBody.parse({ code: '// mine' })),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    ctx.store.modules.get = read;
    expect((await ctx.store.modules.get(TENANT, module.id))?.code).toBe('// theirs');
  });

  it('keeps the value of a secret sent without one, and refuses a new secret without a value', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx, { secrets: [{ name: 'TOKEN', value: 's3cret' }] });
    const updated = await updateModule(
      ctx,
      TENANT,
      module.id,
      updateModuleBody.parse({ secrets: [{ name: 'TOKEN' }, { name: 'REGION', value: 'eu' }] }),
    );
    expect(await readSecrets(ctx.cipher, updated.secrets)).toEqual({ TOKEN: 's3cret', REGION: 'eu' });
    await expect(
      updateModule(ctx, TENANT, module.id, updateModuleBody.parse({ secrets: [{ name: 'NEW' }] })),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('rolls the draft back to a version’s code, dependencies and secrets', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    const first = await publishModule(ctx, TENANT, module.id);
    await updateModule(ctx, TENANT, module.id, updateModuleBody.parse({ code: '// v2' }));
    const rolled = await rollbackModule(ctx, TENANT, module.id, first.id);
    expect(rolled).toMatchObject({ code: '// v1', draft_revision: 3 });
    await expect(rollbackModule(ctx, TENANT, module.id, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('pinning a module', () => {
  it('resolves a pin by name and number to the exact version, and refuses an unpublished module', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx);
    await expect(
      resolvePins(ctx, TENANT, [{ module_name: 'crm', module_version_number: 1 }]),
    ).rejects.toThrow(/never published/);
    const version = await publishModule(ctx, TENANT, module.id);
    expect(await resolvePins(ctx, TENANT, [{ module_name: 'crm', module_version_number: 1 }])).toEqual([
      { module_id: module.id, module_name: 'crm', module_version_id: version.id, module_version_number: 1 },
    ]);
  });
});

describe('deleting a module', () => {
  it('refuses while an action’s draft pins one of its versions', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx, { publish: true });
    await createAction(
      ctx,
      TENANT,
      createActionBody.parse({
        name: 'uses-crm',
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        modules: [{ module_name: 'crm', module_version_number: 1 }],
      }),
    );
    await expect(deleteModule(ctx, TENANT, module.id)).rejects.toMatchObject({ code: 'module_in_use' });
  });

  it('deletes the module and its versions and frees its name', async () => {
    const { ctx } = memoryContext();
    const module = await newModule(ctx, { publish: true });
    await deleteModule(ctx, TENANT, module.id);
    expect(await ctx.store.modules.get(TENANT, module.id)).toBeUndefined();
    expect(await ctx.store.moduleVersions.list(TENANT, module.id)).toEqual([]);
    await newModule(ctx);
  });
});
