/**
 * Drafts: create, read, update and delete actions. Every draft change bumps its revision and queues
 * a build; the builder records its outcome only if the revision it built is still current.
 */

import type { z } from 'zod';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError } from '../errors.ts';
import { installedDraftChanges } from '../integrations/installed.ts';
import type { ActionRecord } from '../model/actions.ts';
import { resolvePins } from '../modules/pins.ts';
import type { DraftChanges } from '../ports/store.ts';
import { getTrigger } from '../triggers/registry.ts';
import type { ActionsContext } from './context.ts';
import { LIMITS } from './limits.ts';
import type { createActionBody, updateActionBody } from './schemas.ts';
import { changeSecrets, NO_SECRETS } from './secrets.ts';

type CreateInput = z.output<typeof createActionBody>;
type UpdateInput = z.output<typeof updateActionBody>;

export const actionMissing = () => new NotFoundError('That action does not exist.');

export async function requireAction(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
): Promise<ActionRecord> {
  const action = await ctx.store.actions.get(tenantId, actionId);
  if (!action) throw actionMissing();
  return action;
}

/** A starting point that builds and runs: the trigger's handler, doing nothing yet. */
function template(triggerId: string): string {
  const trigger = getTrigger(triggerId);
  return `/**\n * @param {Event} event - Details about the ${trigger.id} request.\n * @param {API} api - Interface whose methods change the outcome.\n */\nexports.${trigger.entrypoints.execute} = async (event, api) => {\n};\n`;
}

/** Auth0's per-tenant limits on creating one more action for a trigger. */
export async function checkActionLimits(ctx: ActionsContext, tenantId: string, triggerId: string) {
  const existing = await ctx.store.actions.list(tenantId);
  if (existing.length >= LIMITS.actionsPerTenant) {
    throw new LimitExceededError(`A tenant may have at most ${LIMITS.actionsPerTenant} actions.`);
  }
  if (
    triggerId === 'password-reset-post-challenge' &&
    existing.filter((a) => a.supported_triggers[0]?.id === triggerId).length >=
      LIMITS.passwordResetActionsPerTenant
  ) {
    throw new LimitExceededError(
      `A tenant may have at most ${LIMITS.passwordResetActionsPerTenant} ${triggerId} actions.`,
    );
  }
}

export async function createAction(
  ctx: ActionsContext,
  tenantId: string,
  input: CreateInput,
): Promise<ActionRecord> {
  const trigger = input.supported_triggers[0] as CreateInput['supported_triggers'][number];
  await checkActionLimits(ctx, tenantId, trigger.id);
  return saveNewDraft(ctx, {
    tenant_id: tenantId,
    name: input.name,
    supported_triggers: input.supported_triggers,
    code: input.code ?? template(trigger.id),
    runtime: input.runtime ?? 'node22',
    dependencies: input.dependencies ?? [],
    secrets: input.secrets ? await changeSecrets(ctx, NO_SECRETS, input.secrets) : NO_SECRETS,
    modules: input.modules ? await resolvePins(ctx, tenantId, input.modules) : [],
    ...(input.deploy ? { deploy_on_build: 1 } : {}),
  });
}

/** The fields a new draft starts with; everything about its build and versions starts empty. */
export type NewDraft = Omit<
  ActionRecord,
  'id' | 'status' | 'errors' | 'draft_revision' | 'version_counter' | 'created_at' | 'updated_at'
>;

/** Writes a new action (revision 1) and queues its first build. */
export async function saveNewDraft(ctx: ActionsContext, draft: NewDraft): Promise<ActionRecord> {
  const now = new Date(ctx.now()).toISOString();
  const action: ActionRecord = {
    ...draft,
    id: ctx.newId(),
    status: 'pending',
    errors: [],
    draft_revision: 1,
    version_counter: 0,
    created_at: now,
    updated_at: now,
  };
  await ctx.store.actions.create(action);
  await queueDraftBuild(ctx, action);
  return action;
}

/**
 * Applies a change to the draft as it was read (ConcurrentModificationError if it moved since),
 * which bumps its revision and resets its build, and queues the build of the new revision.
 */
export async function changeDraft(
  ctx: ActionsContext,
  current: ActionRecord,
  changes: DraftChanges,
): Promise<ActionRecord> {
  const updated = await ctx.store.actions.updateDraft(
    current.tenant_id,
    current.id,
    current.draft_revision,
    changes,
  );
  await queueDraftBuild(ctx, updated);
  return updated;
}

function queueDraftBuild(ctx: ActionsContext, action: ActionRecord): Promise<void> {
  return ctx.builds.send({
    kind: 'draft',
    tenant_id: action.tenant_id,
    action_id: action.id,
    revision: action.draft_revision,
  });
}

export async function updateAction(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  input: UpdateInput,
): Promise<ActionRecord> {
  const current = await requireAction(ctx, tenantId, actionId);
  if (current.installed_integration_id) {
    return changeDraft(ctx, current, await installedDraftChanges(ctx, current, input));
  }
  if (
    input.supported_triggers &&
    input.supported_triggers[0]?.id !== current.supported_triggers[0]?.id &&
    current.deployed
  ) {
    throw new ValidationError('The trigger of a deployed action cannot change; create a new action instead.');
  }
  const { secrets, modules, configuration, ...fields } = input;
  if (configuration !== undefined) {
    throw new ValidationError('configuration is only accepted by actions installed from an integration.');
  }
  return changeDraft(ctx, current, {
    ...fields,
    ...(secrets ? { secrets: await changeSecrets(ctx, current.secrets, secrets) } : {}),
    ...(modules ? { modules: await resolvePins(ctx, tenantId, modules) } : {}),
  });
}

export async function listActions(
  ctx: ActionsContext,
  tenantId: string,
  filter: { triggerId?: string; actionName?: string; deployed?: boolean; installed?: boolean },
): Promise<ActionRecord[]> {
  const actions = await ctx.store.actions.list(tenantId);
  return actions
    .filter(
      (a) => filter.triggerId === undefined || a.supported_triggers.some((t) => t.id === filter.triggerId),
    )
    .filter((a) => filter.actionName === undefined || a.name === filter.actionName)
    .filter((a) => filter.deployed === undefined || (a.deployed !== undefined) === filter.deployed)
    .filter(
      (a) =>
        filter.installed === undefined || (a.installed_integration_id !== undefined) === filter.installed,
    )
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

export async function deleteAction(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  force: boolean,
): Promise<void> {
  const action = await requireAction(ctx, tenantId, actionId);
  const flows = (await ctx.store.flows.list(tenantId)).filter((f) =>
    f.bindings.some((b) => b.action_id === actionId),
  );
  if (flows.length > 0 && !force)
    throw new ConflictError('Unable to delete an action bound to a trigger.', 'action_bound');
  for (const flow of flows) {
    await ctx.store.flows.replace(
      tenantId,
      flow.trigger_id,
      flow.revision,
      flow.bindings.filter((b) => b.action_id !== actionId),
    );
  }
  // The action item goes first: once it is gone nothing new routes to its functions. Dispatchers
  // elsewhere may still hold its chain for a few seconds, so the functions go later, by a job.
  await ctx.store.actions.delete(tenantId, action);
  ctx.chainsChanged?.(tenantId);
  const versions = await ctx.store.versions.list(tenantId, actionId);
  const functionNames = versions.map((v) => v.function_name); // deleting a pruned one is a no-op
  if (action.draft_function) functionNames.push(action.draft_function);
  if (functionNames.length > 0) {
    await ctx.builds.send(
      { kind: 'retire-functions', tenant_id: tenantId, action_id: actionId, function_names: functionNames },
      { delaySeconds: ctx.retireFunctionsAfterSeconds ?? 0 },
    );
  }
  for (const version of versions) await ctx.store.versions.delete(tenantId, actionId, version.number);
}
