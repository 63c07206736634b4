/** Action drafts (shared/actions/drafts.ts), specified on the in-memory store and build queue. */
import { describe, expect, it } from 'vitest';
import { createAction, deleteAction, listActions, updateAction } from '../../../shared/actions/drafts.ts';
import { createActionBody, updateActionBody } from '../../../shared/actions/schemas.ts';
import { readSecrets } from '../../../shared/actions/secrets.ts';
import { deployDraft } from '../../../shared/actions/versions.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../../shared/errors.ts';
import { markDraftBuilt, markVersionLive, memoryContext, START_TIME } from '../../support/memory-context.ts';

const TENANT = 'acme';

const createInput = (fields: Record<string, unknown> = {}) =>
  createActionBody.parse({
    name: 'greet',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    ...fields,
  });
const updateInput = (fields: Record<string, unknown>) => updateActionBody.parse(fields);

describe('creating an action', () => {
  it('writes the draft at revision 1 under its name and queues its first build', async () => {
    const { ctx, builds } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput({ code: '// hi' }));
    expect(action).toMatchObject({ name: 'greet', code: '// hi', draft_revision: 1, status: 'pending' });
    expect(await ctx.store.actions.findByName(TENANT, 'greet')).toEqual(action);
    expect(builds.drain()).toEqual([{ kind: 'draft', tenant_id: TENANT, action_id: action.id, revision: 1 }]);
  });

  it('starts from a template that exports the trigger’s handler when no code is sent', async () => {
    const { ctx } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput());
    expect(action.code).toContain('exports.onExecutePostLogin = async (event, api)');
    expect(action.runtime).toBe('node22');
  });

  it('refuses a name the tenant already uses, and queues no build for it', async () => {
    const { ctx, builds } = memoryContext();
    await createAction(ctx, TENANT, createInput());
    builds.drain();
    await expect(createAction(ctx, TENANT, createInput())).rejects.toBeInstanceOf(ConflictError);
    expect(builds.drain()).toEqual([]);
    await createAction(ctx, 'another-tenant', createInput());
  });

  it('keeps secret values only in the ciphertext; their names are public', async () => {
    const { ctx } = memoryContext();
    const action = await createAction(
      ctx,
      TENANT,
      createInput({ secrets: [{ name: 'API_KEY', value: 'hunter2' }] }),
    );
    expect(action.secrets.names).toEqual([
      { name: 'API_KEY', updated_at: new Date(START_TIME).toISOString() },
    ]);
    expect(action.secrets.ciphertext).not.toContain('hunter2');
    expect(await readSecrets(ctx.cipher, action.secrets)).toEqual({ API_KEY: 'hunter2' });
  });

  it('refuses a new secret sent without a value', async () => {
    const { ctx } = memoryContext();
    await expect(
      createAction(ctx, TENANT, createInput({ secrets: [{ name: 'API_KEY' }] })),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await ctx.store.actions.list(TENANT)).toEqual([]);
  });

  it('marks a draft created with deploy: true to be deployed once revision 1 is built', async () => {
    const { ctx } = memoryContext();
    expect((await createAction(ctx, TENANT, createInput({ deploy: true }))).deploy_on_build).toBe(1);
  });
});

describe('updating an action', () => {
  it('bumps the revision, resets the build and queues a build of the new revision', async () => {
    const { ctx, builds } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput());
    await markDraftBuilt(ctx, TENANT, action.id);
    builds.drain();
    const updated = await updateAction(
      ctx,
      TENANT,
      action.id,
      updateInput({ code: '// v2', name: 'greeter' }),
    );
    expect(updated).toMatchObject({ draft_revision: 2, code: '// v2', name: 'greeter', status: 'pending' });
    expect(builds.drain()).toEqual([{ kind: 'draft', tenant_id: TENANT, action_id: action.id, revision: 2 }]);
    expect((await ctx.store.actions.findByName(TENANT, 'greeter'))?.id).toBe(action.id);
    expect(await ctx.store.actions.findByName(TENANT, 'greet')).toBeUndefined();
  });

  it('never overwrites a change another editor made since the draft was read', async () => {
    const { ctx, builds } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput());
    builds.drain();
    // The other editor's write lands between this update's read and its write.
    const read = ctx.store.actions.get;
    ctx.store.actions.get = async (tenantId, actionId) => {
      const seen = await read(tenantId, actionId);
      if (seen)
        await ctx.store.actions.updateDraft(tenantId, actionId, seen.draft_revision, { code: '// theirs' });
      return seen;
    };
    await expect(
      updateAction(ctx, TENANT, action.id, updateInput({ code: '// mine' })),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    ctx.store.actions.get = read;
    expect((await ctx.store.actions.get(TENANT, action.id))?.code).toBe('// theirs');
    expect(builds.drain()).toEqual([]);
  });

  it('keeps the value of a secret sent without one, and moves updated_at only for values that changed', async () => {
    const { ctx, advance } = memoryContext();
    const action = await createAction(
      ctx,
      TENANT,
      createInput({
        secrets: [
          { name: 'KEPT', value: 'old-kept' },
          { name: 'CHANGED', value: 'old-changed' },
          { name: 'DROPPED', value: 'gone' },
        ],
      }),
    );
    advance(60_000);
    const updated = await updateAction(
      ctx,
      TENANT,
      action.id,
      updateInput({ secrets: [{ name: 'KEPT' }, { name: 'CHANGED', value: 'new' }] }),
    );
    expect(await readSecrets(ctx.cipher, updated.secrets)).toEqual({ KEPT: 'old-kept', CHANGED: 'new' });
    expect(updated.secrets.names).toEqual([
      { name: 'KEPT', updated_at: new Date(START_TIME).toISOString() },
      { name: 'CHANGED', updated_at: new Date(START_TIME + 60_000).toISOString() },
    ]);
  });

  it('refuses to move a deployed action to another trigger', async () => {
    const { ctx } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput());
    await markDraftBuilt(ctx, TENANT, action.id);
    await markVersionLive(ctx, await deployDraft(ctx, TENANT, action.id));
    await expect(
      updateAction(
        ctx,
        TENANT,
        action.id,
        updateInput({ supported_triggers: [{ id: 'post-change-password', version: 'v2' }] }),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('accepts configuration only for actions installed from an integration', async () => {
    const { ctx } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput());
    await expect(
      updateAction(ctx, TENANT, action.id, updateInput({ configuration: { REGION: 'eu' } })),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers NotFoundError for an action that does not exist, or is another tenant’s', async () => {
    const { ctx } = memoryContext();
    const action = await createAction(ctx, TENANT, createInput());
    await expect(
      updateAction(ctx, 'another-tenant', action.id, updateInput({ code: '' })),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('listing actions', () => {
  it('filters by trigger, name and deployment, oldest first', async () => {
    const { ctx, advance } = memoryContext();
    const first = await createAction(ctx, TENANT, createInput({ name: 'first' }));
    advance(1000);
    const second = await createAction(
      ctx,
      TENANT,
      createInput({ name: 'second', supported_triggers: [{ id: 'post-change-password', version: 'v2' }] }),
    );
    await markDraftBuilt(ctx, TENANT, second.id);
    await markVersionLive(ctx, await deployDraft(ctx, TENANT, second.id));
    const ids = async (filter: Parameters<typeof listActions>[2]) =>
      (await listActions(ctx, TENANT, filter)).map((a) => a.id);
    expect(await ids({})).toEqual([first.id, second.id]);
    expect(await ids({ triggerId: 'post-login' })).toEqual([first.id]);
    expect(await ids({ actionName: 'second' })).toEqual([second.id]);
    expect(await ids({ deployed: true })).toEqual([second.id]);
    expect(await ids({ deployed: false })).toEqual([first.id]);
  });
});

describe('deleting an action', () => {
  async function deployedAction(ctx: ReturnType<typeof memoryContext>['ctx']) {
    const action = await createAction(ctx, TENANT, createInput());
    await ctx.store.actions.recordBuild(TENANT, action.id, 1, {
      status: 'built',
      draft_function: 'fn-draft',
    });
    const version = await deployDraft(ctx, TENANT, action.id);
    await markVersionLive(ctx, version);
    return { action, version };
  }

  it('refuses while the action is bound to a trigger', async () => {
    const { ctx } = memoryContext();
    const { action } = await deployedAction(ctx);
    await ctx.store.flows.replace(TENANT, 'post-login', 0, [
      { id: 'b1', action_id: action.id, display_name: 'greet', created_at: 'now', updated_at: 'now' },
    ]);
    await expect(deleteAction(ctx, TENANT, action.id, false)).rejects.toMatchObject({ code: 'action_bound' });
    expect(await ctx.store.actions.get(TENANT, action.id)).toBeDefined();
  });

  it('when forced, unbinds it, frees its name, deletes its versions and retires its functions later', async () => {
    const { ctx, builds, chainChanges } = memoryContext({ retireFunctionsAfterSeconds: 120 });
    const { action, version } = await deployedAction(ctx);
    const other = {
      id: 'b2',
      action_id: 'other',
      display_name: 'other',
      created_at: 'now',
      updated_at: 'now',
    };
    await ctx.store.flows.replace(TENANT, 'post-login', 0, [
      { id: 'b1', action_id: action.id, display_name: 'greet', created_at: 'now', updated_at: 'now' },
      other,
    ]);
    builds.drain();
    await deleteAction(ctx, TENANT, action.id, true);
    expect((await ctx.store.flows.get(TENANT, 'post-login')).bindings).toEqual([other]);
    expect(await ctx.store.actions.get(TENANT, action.id)).toBeUndefined();
    expect(await ctx.store.actions.findByName(TENANT, action.name)).toBeUndefined();
    expect(await ctx.store.versions.list(TENANT, action.id)).toEqual([]);
    expect(chainChanges).toEqual([TENANT]);
    expect(builds.drain()).toEqual([]);
    expect(builds.sent.at(-1)).toMatchObject({
      delaySeconds: 120,
      job: {
        kind: 'retire-functions',
        tenant_id: TENANT,
        action_id: action.id,
        function_names: [version.function_name, 'fn-draft'],
      },
    });
  });

  it('answers NotFoundError for an action that does not exist', async () => {
    const { ctx } = memoryContext();
    await expect(deleteAction(ctx, TENANT, 'missing', false)).rejects.toBeInstanceOf(NotFoundError);
  });
});
