/** Bindings (shared/actions/bindings.ts), specified on the in-memory store. */
import { describe, expect, it } from 'vitest';
import { getBindings, updateBindings } from '../../../shared/actions/bindings.ts';
import { createAction } from '../../../shared/actions/drafts.ts';
import { createActionBody, updateBindingsBody } from '../../../shared/actions/schemas.ts';
import { deployDraft } from '../../../shared/actions/versions.ts';
import { ConcurrentModificationError, ValidationError } from '../../../shared/errors.ts';
import { markDraftBuilt, markVersionLive, memoryContext } from '../../support/memory-context.ts';

const TENANT = 'acme';
type Context = ReturnType<typeof memoryContext>['ctx'];

async function action(ctx: Context, name: string, options: { deployed?: boolean; trigger?: string } = {}) {
  const created = await createAction(
    ctx,
    TENANT,
    createActionBody.parse({
      name,
      supported_triggers: [{ id: options.trigger ?? 'post-login', version: 'v3' }],
    }),
  );
  if (options.deployed === false) return created;
  await markDraftBuilt(ctx, TENANT, created.id);
  await markVersionLive(ctx, await deployDraft(ctx, TENANT, created.id));
  return created;
}

const bindings = (...refs: Array<{ type: string; value: string; display_name?: string }>) =>
  updateBindingsBody.parse({
    bindings: refs.map(({ display_name, ...ref }) => ({ ref, ...(display_name ? { display_name } : {}) })),
  });

describe('updating bindings', () => {
  it('replaces the chain with the deployed actions named, in the order given', async () => {
    const { ctx, chainChanges } = memoryContext();
    const [first, second] = [await action(ctx, 'first'), await action(ctx, 'second')];
    await updateBindings(
      ctx,
      TENANT,
      'post-login',
      bindings(
        { type: 'action_name', value: 'second' },
        { type: 'action_id', value: first.id, display_name: 'One' },
      ),
    );
    const { flow, bindings: resolved } = await getBindings(ctx, TENANT, 'post-login');
    expect(flow.revision).toBe(1);
    expect(resolved.map((r) => [r.action.id, r.binding.display_name])).toEqual([
      [second.id, 'second'],
      [first.id, 'One'],
    ]);
    expect(chainChanges).toEqual([TENANT]);
  });

  it('keeps a binding’s id and creation time when the action stays bound', async () => {
    const { ctx, advance } = memoryContext();
    const [first, second] = [await action(ctx, 'first'), await action(ctx, 'second')];
    const [before] = await updateBindings(
      ctx,
      TENANT,
      'post-login',
      bindings({ type: 'action_id', value: first.id }),
    );
    advance(1000);
    const after = await updateBindings(
      ctx,
      TENANT,
      'post-login',
      bindings(
        { type: 'action_id', value: second.id },
        { type: 'binding_id', value: before?.binding.id as string },
      ),
    );
    expect(after[1]?.binding).toMatchObject({
      id: before?.binding.id,
      action_id: first.id,
      created_at: before?.binding.created_at,
    });
    expect(after[1]?.binding.updated_at).not.toBe(before?.binding.updated_at);
    expect((await ctx.store.flows.get(TENANT, 'post-login')).revision).toBe(2);
  });

  it('refuses an action that is not deployed, supports another trigger, is listed twice or does not exist', async () => {
    const { ctx } = memoryContext();
    const deployed = await action(ctx, 'deployed');
    await action(ctx, 'undeployed', { deployed: false });
    await action(ctx, 'elsewhere', { trigger: 'post-change-password' });
    for (const refused of [
      bindings({ type: 'action_name', value: 'undeployed' }),
      bindings({ type: 'action_name', value: 'elsewhere' }),
      bindings({ type: 'action_id', value: deployed.id }, { type: 'action_name', value: 'deployed' }),
      bindings({ type: 'action_name', value: 'nobody' }),
    ]) {
      await expect(updateBindings(ctx, TENANT, 'post-login', refused)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    expect((await ctx.store.flows.get(TENANT, 'post-login')).revision).toBe(0);
  });

  it('never overwrites a chain another request replaced since it was read', async () => {
    const { ctx } = memoryContext();
    const [first, second] = [await action(ctx, 'first'), await action(ctx, 'second')];
    // The other request's replace lands between this update's read and its write.
    const read = ctx.store.flows.get;
    ctx.store.flows.get = async (tenantId, triggerId) => {
      const seen = await read(tenantId, triggerId);
      await ctx.store.flows.replace(tenantId, triggerId, seen.revision, [
        { id: 'theirs', action_id: second.id, display_name: 'second', created_at: 'now', updated_at: 'now' },
      ]);
      return seen;
    };
    await expect(
      updateBindings(ctx, TENANT, 'post-login', bindings({ type: 'action_id', value: first.id })),
    ).rejects.toBeInstanceOf(ConcurrentModificationError);
    ctx.store.flows.get = read;
    expect((await ctx.store.flows.get(TENANT, 'post-login')).bindings.map((b) => b.id)).toEqual(['theirs']);
  });

  it('reads a chain without the bindings whose action has gone', async () => {
    const { ctx } = memoryContext();
    const [first, second] = [await action(ctx, 'first'), await action(ctx, 'second')];
    await updateBindings(
      ctx,
      TENANT,
      'post-login',
      bindings({ type: 'action_id', value: first.id }, { type: 'action_id', value: second.id }),
    );
    await ctx.store.actions.delete(TENANT, first);
    expect((await getBindings(ctx, TENANT, 'post-login')).bindings.map((r) => r.action.id)).toEqual([
      second.id,
    ]);
  });
});
