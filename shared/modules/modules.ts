/**
 * Module drafts: create, read, update, roll back and delete. A draft change never reaches an
 * action: actions pin published versions, and only a new pin plus a deploy changes what runs.
 */
import type { z } from 'zod';
import type { DraftContext } from '../actions/context.ts';
import { LIMITS } from '../actions/limits.ts';
import { changeSecrets, NO_SECRETS } from '../actions/secrets.ts';
import { ConflictError, LimitExceededError } from '../errors.ts';
import type { ModuleRecord } from '../model/modules.ts';
import type { createModuleBody, updateModuleBody } from './schemas.ts';
import { moduleUses } from './usage.ts';
import { moduleMissing, moduleVersionMissing, publishModule } from './versions.ts';

type CreateInput = z.output<typeof createModuleBody>;
type UpdateInput = z.output<typeof updateModuleBody>;

export async function requireModule(
  ctx: DraftContext,
  tenantId: string,
  moduleId: string,
): Promise<ModuleRecord> {
  const module = await ctx.store.modules.get(tenantId, moduleId);
  if (!module) throw moduleMissing();
  return module;
}

export async function createModule(
  ctx: DraftContext,
  tenantId: string,
  input: CreateInput,
): Promise<ModuleRecord> {
  const existing = await ctx.store.modules.list(tenantId);
  if (existing.length >= LIMITS.modulesPerTenant) {
    throw new LimitExceededError(`A tenant may have at most ${LIMITS.modulesPerTenant} modules.`);
  }
  const now = new Date(ctx.now()).toISOString();
  const module: ModuleRecord = {
    tenant_id: tenantId,
    id: ctx.newId(),
    name: input.name,
    code: input.code,
    dependencies: input.dependencies ?? [],
    secrets: input.secrets ? await changeSecrets(ctx, NO_SECRETS, input.secrets) : NO_SECRETS,
    api_version: input.api_version ?? '1',
    draft_revision: 1,
    version_counter: 0,
    created_at: now,
    updated_at: now,
  };
  await ctx.store.modules.create(module);
  if (!input.publish) return module;
  await publishModule(ctx, tenantId, module.id);
  return requireModule(ctx, tenantId, module.id);
}

export async function updateModule(
  ctx: DraftContext,
  tenantId: string,
  moduleId: string,
  input: UpdateInput,
): Promise<ModuleRecord> {
  const current = await requireModule(ctx, tenantId, moduleId);
  const { secrets, ...fields } = input;
  return ctx.store.modules.updateDraft(tenantId, moduleId, current.draft_revision, {
    ...fields,
    ...(secrets ? { secrets: await changeSecrets(ctx, current.secrets, secrets) } : {}),
  });
}

/** Copies a version's code, dependencies and secrets back into the draft (Auth0's module rollback). */
export async function rollbackModule(
  ctx: DraftContext,
  tenantId: string,
  moduleId: string,
  versionId: string,
): Promise<ModuleRecord> {
  const current = await requireModule(ctx, tenantId, moduleId);
  const version = await ctx.store.moduleVersions.get(tenantId, moduleId, versionId);
  if (!version) throw moduleVersionMissing();
  return ctx.store.modules.updateDraft(tenantId, moduleId, current.draft_revision, {
    code: version.code,
    dependencies: version.dependencies,
    secrets: version.secrets,
  });
}

/** Refused while any action's draft or live version pins one of its versions. */
export async function deleteModule(ctx: DraftContext, tenantId: string, moduleId: string): Promise<void> {
  const module = await requireModule(ctx, tenantId, moduleId);
  const uses = moduleUses(await ctx.store.actions.list(tenantId), moduleId);
  if (uses.length > 0) {
    const names = uses.map((u) => `'${u.action_name}' (${u.where})`).join(', ');
    throw new ConflictError(
      `Unable to delete a module used by actions: ${names}. Remove it from their modules (and deploy) first.`,
      'module_in_use',
    );
  }
  // The module item goes first: once it is gone no new pin can name it.
  await ctx.store.modules.delete(tenantId, module);
  for (const version of await ctx.store.moduleVersions.list(tenantId, moduleId)) {
    await ctx.store.moduleVersions.delete(tenantId, moduleId, version.version_number);
  }
}
