/**
 * Deploy and rollback. Deploy snapshots the built draft into the next immutable version and queues
 * its function's creation; the builder warms the function, then switches the action's live
 * version in one conditional write. Rollback deploys a new version copied from an old one.
 */
import { NotFoundError, ValidationError } from '../errors.ts';
import type { ActionRecord, VersionRecord } from '../model/actions.ts';
import type { ActionsContext } from './context.ts';
import { actionMissing, changeDraft, requireAction } from './drafts.ts';
import { actionFunctionName } from './naming.ts';

const NOT_BUILT = "A draft must be in the 'built' state before it can be deployed.";

export async function deployDraft(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
): Promise<VersionRecord> {
  const action = await requireAction(ctx, tenantId, actionId);
  if (action.status !== 'built') throw new ValidationError(NOT_BUILT, 'draft_not_built');
  return createVersion(ctx, action, {
    code: action.code,
    runtime: action.runtime,
    dependencies: action.dependencies,
    secrets: action.secrets,
    supported_triggers: action.supported_triggers,
    source_revision: action.draft_revision,
    ...carried(action),
  });
}

export async function rollback(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  versionId: string,
  options: { update_draft?: boolean },
): Promise<VersionRecord> {
  const action = await requireAction(ctx, tenantId, actionId);
  const source = await ctx.store.versions.get(tenantId, actionId, versionId);
  if (!source) throw new NotFoundError('That action version does not exist.');
  let sourceRevision = -1; // never equal to a draft revision: the draft still differs
  if (options.update_draft) {
    const updated = await changeDraft(ctx, action, {
      code: source.code,
      runtime: source.runtime,
      dependencies: source.dependencies,
      secrets: source.secrets,
      modules: source.modules ?? [],
      ...(source.integration ? { integration: source.integration } : {}),
      ...(source.configuration ? { configuration: source.configuration } : {}),
    });
    sourceRevision = updated.draft_revision;
  }
  return createVersion(ctx, action, {
    code: source.code,
    runtime: source.runtime,
    dependencies: source.dependencies,
    secrets: source.secrets,
    supported_triggers: source.supported_triggers,
    source_revision: sourceRevision,
    ...carried(source),
  });
}

/** What a version carries besides code: its module pins and, for an integration, its release and values. */
function carried(from: Pick<ActionRecord, 'modules' | 'integration' | 'configuration'>) {
  return {
    modules: from.modules ?? [],
    ...(from.integration ? { integration: from.integration } : {}),
    ...(from.configuration ? { configuration: from.configuration } : {}),
  };
}

async function createVersion(
  ctx: ActionsContext,
  action: ActionRecord,
  snapshot: Pick<
    VersionRecord,
    | 'code'
    | 'runtime'
    | 'dependencies'
    | 'secrets'
    | 'supported_triggers'
    | 'source_revision'
    | 'modules'
    | 'integration'
    | 'configuration'
  >,
): Promise<VersionRecord> {
  const number = await ctx.store.actions.nextVersionNumber(action.tenant_id, action.id);
  const now = new Date(ctx.now()).toISOString();
  const version: VersionRecord = {
    tenant_id: action.tenant_id,
    action_id: action.id,
    id: ctx.newId(),
    number,
    ...snapshot,
    status: 'pending',
    errors: [],
    function_name: actionFunctionName(ctx.functionSettings, action.tenant_id, action.id, number),
    created_at: now,
    updated_at: now,
  };
  await ctx.store.versions.put(version);
  await ctx.builds.send({ kind: 'version', tenant_id: action.tenant_id, action_id: action.id, number });
  return version;
}

export async function listVersions(ctx: ActionsContext, tenantId: string, actionId: string) {
  const action = await requireAction(ctx, tenantId, actionId);
  return { action, versions: await ctx.store.versions.list(tenantId, actionId) };
}

export async function getVersion(ctx: ActionsContext, tenantId: string, actionId: string, versionId: string) {
  const action = await ctx.store.actions.get(tenantId, actionId);
  if (!action) throw actionMissing();
  const version = await ctx.store.versions.get(tenantId, actionId, versionId);
  if (!version) throw new NotFoundError('That action version does not exist.');
  return { action, version };
}
