/** Deploy and rollback (shared/actions/versions.ts), specified on the in-memory store and build queue. */
import { describe, expect, it } from 'vitest';
import { createAction } from '../../../shared/actions/drafts.ts';
import { actionFunctionName } from '../../../shared/actions/naming.ts';
import { createActionBody } from '../../../shared/actions/schemas.ts';
import { deployDraft, getVersion, listVersions, rollback } from '../../../shared/actions/versions.ts';
import { NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { markDraftBuilt, memoryContext, TEST_FUNCTION_SETTINGS } from '../../support/memory-context.ts';

const TENANT = 'acme';

async function builtAction(ctx: ReturnType<typeof memoryContext>['ctx'], code = '// v1') {
  const action = await createAction(
    ctx,
    TENANT,
    createActionBody.parse({
      name: 'greet',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code,
    }),
  );
  await markDraftBuilt(ctx, TENANT, action.id);
  return action;
}

describe('deploying a draft', () => {
  it('refuses a draft that is not built', async () => {
    const { ctx } = memoryContext();
    const action = await createAction(
      ctx,
      TENANT,
      createActionBody.parse({ name: 'greet', supported_triggers: [{ id: 'post-login', version: 'v3' }] }),
    );
    await expect(deployDraft(ctx, TENANT, action.id)).rejects.toBeInstanceOf(ValidationError);
    expect(await ctx.store.versions.list(TENANT, action.id)).toEqual([]);
  });

  it('snapshots the draft into the next numbered version, with a function of its own, and queues its build', async () => {
    const { ctx, builds } = memoryContext();
    const action = await builtAction(ctx);
    builds.drain();
    const first = await deployDraft(ctx, TENANT, action.id);
    const second = await deployDraft(ctx, TENANT, action.id);
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first).toMatchObject({
      code: '// v1',
      status: 'pending',
      source_revision: action.draft_revision,
      function_name: actionFunctionName(TEST_FUNCTION_SETTINGS, TENANT, action.id, 1),
    });
    expect(await ctx.store.versions.get(TENANT, action.id, first.id)).toEqual(first);
    expect(builds.drain()).toEqual([
      { kind: 'version', tenant_id: TENANT, action_id: action.id, number: 1 },
      { kind: 'version', tenant_id: TENANT, action_id: action.id, number: 2 },
    ]);
    expect((await listVersions(ctx, TENANT, action.id)).versions.map((v) => v.number)).toEqual([2, 1]);
  });

  it('answers NotFoundError for an action or version that does not exist', async () => {
    const { ctx } = memoryContext();
    const action = await builtAction(ctx);
    await expect(deployDraft(ctx, TENANT, 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getVersion(ctx, TENANT, action.id, 'missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('rolling back', () => {
  it('deploys a new version copied from the old one, leaving the draft as it is', async () => {
    const { ctx, builds } = memoryContext();
    const action = await builtAction(ctx);
    const old = await deployDraft(ctx, TENANT, action.id);
    await ctx.store.actions.updateDraft(TENANT, action.id, action.draft_revision, { code: '// v2' });
    builds.drain();
    const restored = await rollback(ctx, TENANT, action.id, old.id, {});
    expect(restored).toMatchObject({ number: 2, code: '// v1', source_revision: -1 });
    expect((await ctx.store.actions.get(TENANT, action.id))?.code).toBe('// v2');
    expect(builds.drain()).toEqual([{ kind: 'version', tenant_id: TENANT, action_id: action.id, number: 2 }]);
  });

  it('with update_draft, copies the old version into the draft too and queues the draft’s build', async () => {
    const { ctx, builds } = memoryContext();
    const action = await builtAction(ctx);
    const old = await deployDraft(ctx, TENANT, action.id);
    await ctx.store.actions.updateDraft(TENANT, action.id, action.draft_revision, { code: '// v2' });
    builds.drain();
    const restored = await rollback(ctx, TENANT, action.id, old.id, { update_draft: true });
    const draft = await ctx.store.actions.get(TENANT, action.id);
    expect(draft).toMatchObject({ code: '// v1', draft_revision: 3 });
    expect(restored.source_revision).toBe(3);
    expect(builds.drain()).toEqual([
      { kind: 'draft', tenant_id: TENANT, action_id: action.id, revision: 3 },
      { kind: 'version', tenant_id: TENANT, action_id: action.id, number: 2 },
    ]);
  });

  it('answers NotFoundError for a version that does not exist', async () => {
    const { ctx } = memoryContext();
    const action = await builtAction(ctx);
    await expect(rollback(ctx, TENANT, action.id, 'missing', {})).rejects.toBeInstanceOf(NotFoundError);
  });
});
