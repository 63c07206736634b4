/**
 * Installing and upgrading. An install creates an ordinary action linked to the release it came
 * from and deploys it once built; an upgrade is explicit: it rewrites the draft from another
 * release (values carried over, new ones checked) and deploys it as a new version, so the normal
 * version rollback takes the tenant back.
 */
import type { z } from 'zod';
import type { ActionsContext } from '../actions/context.ts';
import { changeDraft, checkActionLimits, requireAction, saveNewDraft } from '../actions/drafts.ts';
import { NO_SECRETS, readSecrets } from '../actions/secrets.ts';
import { ValidationError } from '../errors.ts';
import type { ActionRecord } from '../model/actions.ts';
import { requireIntegration, requireRelease } from './catalog.ts';
import { checkValues, keepDeclared } from './declaration.ts';
import { linkTo, storeSecrets } from './installed.ts';
import type { installIntegrationBody, upgradeBody } from './schemas.ts';

export async function installIntegration(
  ctx: ActionsContext,
  tenantId: string,
  integrationId: string,
  input: z.output<typeof installIntegrationBody>,
): Promise<ActionRecord> {
  const integration = await requireIntegration(ctx, integrationId);
  const release = await requireRelease(ctx, integration, input.version);
  const values = checkValues(release, {
    ...(input.secrets ? { secrets: input.secrets } : {}),
    ...(input.configuration ? { configuration: input.configuration } : {}),
  });
  const trigger = integration.supported_triggers[0]?.id as string;
  await checkActionLimits(ctx, tenantId, trigger);
  return saveNewDraft(ctx, {
    tenant_id: tenantId,
    name: input.name ?? integration.display_name,
    supported_triggers: integration.supported_triggers,
    code: release.code,
    runtime: release.runtime,
    dependencies: release.dependencies,
    secrets: await storeSecrets(ctx, NO_SECRETS, values.secrets),
    configuration: values.configuration,
    modules: [],
    installed_integration_id: ctx.newId(),
    integration: linkTo(release),
    // Installed means ready to bind: version 1 goes live as soon as it is built.
    deploy_on_build: 1,
  });
}

export async function upgradeInstalledAction(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  input: z.output<typeof upgradeBody>,
): Promise<ActionRecord> {
  const action = await requireAction(ctx, tenantId, actionId);
  if (!action.installed_integration_id || !action.integration) {
    throw new ValidationError(
      `Action '${action.name}' was not installed from an integration: deploy its draft instead.`,
      'not_installed',
    );
  }
  const integration = await requireIntegration(ctx, action.integration.integration_id);
  const release = await requireRelease(ctx, integration, input.version);
  const live = action.deployed
    ? await ctx.store.versions.get(tenantId, actionId, action.deployed.version_id)
    : undefined;
  const valuesGiven = input.secrets !== undefined || input.configuration !== undefined;
  if (
    action.integration.version === release.version &&
    live?.integration?.version === release.version &&
    !valuesGiven
  ) {
    throw new ValidationError(
      `Action '${action.name}' already runs release ${release.version} of '${integration.id}'.`,
      'already_current',
    );
  }
  const values = checkValues(release, {
    secrets: {
      ...keepDeclared(release.secrets, await readSecrets(ctx.cipher, action.secrets)),
      ...input.secrets,
    },
    configuration: {
      ...keepDeclared(release.configuration, action.configuration ?? {}),
      ...input.configuration,
    },
  });
  return changeDraft(ctx, action, {
    code: release.code,
    runtime: release.runtime,
    dependencies: release.dependencies,
    secrets: await storeSecrets(ctx, action.secrets, values.secrets),
    configuration: values.configuration,
    integration: linkTo(release),
    deploy_on_build: action.draft_revision + 1,
  });
}
