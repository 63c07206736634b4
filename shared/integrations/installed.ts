/**
 * Actions installed from the catalog: their code is closed (never shown, never edited); their
 * secrets and configuration are the installer's, checked against the release's declaration on
 * every change. Secrets sent in a PATCH merge into the held ones (a name without a value keeps
 * its value), so a tenant can rotate one key without re-typing the others.
 */
import type { z } from 'zod';
import type { DraftContext } from '../actions/context.ts';
import type { updateActionBody } from '../actions/schemas.ts';
import { changeSecrets, readSecrets } from '../actions/secrets.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { ActionRecord, IntegrationLink, StoredSecrets } from '../model/actions.ts';
import type { IntegrationReleaseRecord } from '../model/integrations.ts';
import type { DraftChanges } from '../ports/store.ts';
import { checkValues } from './declaration.ts';

/** What a tenant may never send for an installed action. */
const CLOSED_FIELDS = ['code', 'dependencies', 'runtime', 'modules'] as const;

export function linkTo(release: IntegrationReleaseRecord): IntegrationLink {
  return { integration_id: release.integration_id, release_id: release.id, version: release.version };
}

/** Encrypts the complete set of values; `updated_at` moves only for values that changed. */
export function storeSecrets(ctx: DraftContext, current: StoredSecrets, values: Record<string, string>) {
  const input = Object.entries(values).map(([name, value]) => ({ name, value }));
  return changeSecrets(ctx, current, input);
}

export async function installedRelease(ctx: DraftContext, action: ActionRecord) {
  const link = action.integration as IntegrationLink;
  const release = await ctx.store.integrations.getRelease(link.integration_id, link.version);
  if (!release) {
    throw new NotFoundError(
      `Release ${link.version} of integration '${link.integration_id}' no longer exists.`,
    );
  }
  return release;
}

export async function installedDraftChanges(
  ctx: DraftContext,
  action: ActionRecord,
  input: z.output<typeof updateActionBody>,
): Promise<DraftChanges> {
  const closed: string[] = CLOSED_FIELDS.filter((field) => input[field] !== undefined);
  if (input.supported_triggers && input.supported_triggers[0]?.id !== action.supported_triggers[0]?.id) {
    closed.push('supported_triggers');
  }
  if (closed.length > 0) {
    throw new ValidationError(
      `Action '${action.name}' is installed from integration '${action.integration?.integration_id}': its ${closed.join(', ')} cannot be read or changed. ` +
        `Change its secrets or configuration, or move it to a new release with POST /api/v2/hookchain/actions/${action.id}/upgrade.`,
      'integration_closed',
    );
  }
  const release = await installedRelease(ctx, action);
  const given: Record<string, string> = {};
  for (const { name, value } of input.secrets ?? []) if (value !== undefined) given[name] = value;
  const values = checkValues(release, {
    secrets: { ...(await readSecrets(ctx.cipher, action.secrets)), ...given },
    configuration: { ...action.configuration, ...input.configuration },
  });
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    secrets: await storeSecrets(ctx, action.secrets, values.secrets),
    configuration: values.configuration,
  };
}
