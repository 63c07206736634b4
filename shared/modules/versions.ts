/**
 * Publishing: the module's draft becomes the next immutable version. Nothing else changes: the
 * actions that pin an older version keep running it until they are re-pinned and deployed.
 */
import type { DraftContext } from '../actions/context.ts';
import { LIMITS } from '../actions/limits.ts';
import { LimitExceededError, NotFoundError } from '../errors.ts';
import type { ModuleVersionRecord } from '../model/modules.ts';
import { pinnedVersionIds } from './usage.ts';

export const moduleMissing = () => new NotFoundError('That module does not exist.');
export const moduleVersionMissing = () => new NotFoundError('That module version does not exist.');

export async function publishModule(
  ctx: DraftContext,
  tenantId: string,
  moduleId: string,
): Promise<ModuleVersionRecord> {
  const module = await ctx.store.modules.get(tenantId, moduleId);
  if (!module) throw moduleMissing();
  const existing = await ctx.store.moduleVersions.list(tenantId, moduleId);
  const evict = existing.length >= LIMITS.versionsPerModule ? await oldestUnpinned(ctx, existing) : [];
  if (existing.length - evict.length >= LIMITS.versionsPerModule) {
    throw new LimitExceededError(
      `A module may have at most ${LIMITS.versionsPerModule} versions, and every one is pinned by an action.`,
    );
  }
  const number = await ctx.store.modules.nextVersionNumber(tenantId, moduleId);
  const version: ModuleVersionRecord = {
    tenant_id: tenantId,
    module_id: moduleId,
    id: ctx.newId(),
    version_number: number,
    module_name: module.name,
    code: module.code,
    dependencies: module.dependencies,
    secrets: module.secrets,
    api_version: module.api_version,
    created_at: new Date(ctx.now()).toISOString(),
  };
  await ctx.store.moduleVersions.put(version);
  await ctx.store.modules.recordPublished(
    tenantId,
    moduleId,
    { id: version.id, version_number: number, created_at: version.created_at },
    module.draft_revision,
  );
  for (const old of evict) await ctx.store.moduleVersions.delete(tenantId, moduleId, old.version_number);
  return version;
}

/** Over the cap, the oldest version no draft or live action version pins makes room (as Auth0's). */
async function oldestUnpinned(
  ctx: DraftContext,
  versions: ModuleVersionRecord[],
): Promise<ModuleVersionRecord[]> {
  const pinned = pinnedVersionIds(await ctx.store.actions.list(versions[0]?.tenant_id as string));
  const candidates = versions
    .filter((v) => !pinned.has(v.id))
    .sort((a, b) => a.version_number - b.version_number);
  const excess = versions.length - LIMITS.versionsPerModule + 1;
  return candidates.slice(0, excess);
}

export async function listModuleVersions(ctx: DraftContext, tenantId: string, moduleId: string) {
  if (!(await ctx.store.modules.get(tenantId, moduleId))) throw moduleMissing();
  return ctx.store.moduleVersions.list(tenantId, moduleId);
}

export async function getModuleVersion(
  ctx: DraftContext,
  tenantId: string,
  moduleId: string,
  versionId: string,
): Promise<ModuleVersionRecord> {
  if (!(await ctx.store.modules.get(tenantId, moduleId))) throw moduleMissing();
  const version = await ctx.store.moduleVersions.get(tenantId, moduleId, versionId);
  if (!version) throw moduleVersionMissing();
  return version;
}
