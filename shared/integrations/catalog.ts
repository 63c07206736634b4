/**
 * The catalog: operators publish integrations (the first publish of a name creates the entry,
 * every later one adds an immutable release); tenants browse it and install from it. Publishing
 * changes no installed action: a tenant moves to a new release only by upgrading explicitly.
 */
import type { DraftContext } from '../actions/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { ActionRecord } from '../model/actions.ts';
import type { IntegrationRecord, IntegrationReleaseRecord } from '../model/integrations.ts';
import type { PublishIntegrationInput } from './schemas.ts';

export const integrationMissing = () => new NotFoundError('That integration does not exist.');

export async function requireIntegration(ctx: DraftContext, integrationId: string) {
  const integration = await ctx.store.integrations.get(integrationId);
  if (!integration?.latest_release) throw integrationMissing();
  return integration;
}

/** A release of the integration: the given version, or the latest. */
export async function requireRelease(
  ctx: DraftContext,
  integration: IntegrationRecord,
  version?: number,
): Promise<IntegrationReleaseRecord> {
  const wanted = version ?? integration.latest_release?.version;
  const release =
    wanted === undefined ? undefined : await ctx.store.integrations.getRelease(integration.id, wanted);
  if (!release) {
    throw new NotFoundError(`Integration '${integration.id}' has no release ${wanted}.`, 'release_not_found');
  }
  return release;
}

export async function publishIntegration(
  ctx: DraftContext,
  input: PublishIntegrationInput,
): Promise<{ integration: IntegrationRecord; release: IntegrationReleaseRecord }> {
  const now = new Date(ctx.now()).toISOString();
  const listing = {
    display_name: input.display_name ?? input.name,
    description: input.description ?? '',
    short_description: input.short_description ?? '',
    ...(input.partner ? { partner: input.partner } : {}),
  };
  let existing = await ctx.store.integrations.get(input.name);
  if (!existing) {
    const created: IntegrationRecord = {
      id: input.name,
      ...listing,
      supported_triggers: input.supported_triggers,
      release_counter: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await ctx.store.integrations.create(created);
      existing = created;
    } catch (error) {
      // Two first publishes racing: the loser adds its release to the winner's entry.
      if (!(error instanceof ConflictError)) throw error;
      existing = (await ctx.store.integrations.get(input.name)) as IntegrationRecord;
    }
  }
  const trigger = existing.supported_triggers[0];
  const wanted = input.supported_triggers[0];
  if (trigger?.id !== wanted?.id) {
    throw new ValidationError(
      `Integration '${existing.id}' runs on ${trigger?.id}; a release cannot move it to ${wanted?.id}. Publish it under a new name instead.`,
    );
  }
  const version = await ctx.store.integrations.nextReleaseNumber(existing.id);
  const release: IntegrationReleaseRecord = {
    integration_id: existing.id,
    id: ctx.newId(),
    version,
    code: input.code,
    runtime: input.runtime ?? 'node22',
    dependencies: input.dependencies,
    secrets: input.secrets,
    configuration: input.configuration,
    ...(input.notes ? { notes: input.notes } : {}),
    created_at: now,
  };
  await ctx.store.integrations.putRelease(release);
  await ctx.store.integrations.recordRelease(
    existing.id,
    { id: release.id, version, created_at: now },
    listing,
  );
  return { integration: await requireIntegration(ctx, existing.id), release };
}

/** Entries with at least one release, by id. */
export async function listCatalog(ctx: DraftContext): Promise<IntegrationRecord[]> {
  const all = await ctx.store.integrations.list();
  return all.filter((i) => i.latest_release).sort((a, b) => a.id.localeCompare(b.id));
}

/** The catalog entries of the installed actions among `actions`, read once each: for their views. */
export async function catalogLookup(ctx: DraftContext, actions: readonly ActionRecord[]) {
  const ids = [...new Set(actions.flatMap((a) => (a.integration ? [a.integration.integration_id] : [])))];
  const records = await Promise.all(ids.map((id) => ctx.store.integrations.get(id)));
  const byId = new Map(ids.map((id, i) => [id, records[i]]));
  return (action: ActionRecord) =>
    action.integration ? byId.get(action.integration.integration_id) : undefined;
}
