/**
 * The catalog as tenants and operators see it, in the shape of Auth0's `Integration` (what the
 * official SDKs parse in an action's `integration`). Code never appears: it is closed.
 */

import type {
  InstalledIntegration,
  Integration,
  IntegrationListing,
  IntegrationParam,
  IntegrationRelease,
} from '../client/wire.ts';
import type { IntegrationLink, TriggerRef } from '../model/actions.ts';
import type { FieldDeclaration, IntegrationRecord, IntegrationReleaseRecord } from '../model/integrations.ts';

/** A declared field as Auth0's `IntegrationRequiredParam`. */
function param(field: FieldDeclaration) {
  return {
    type: 'STRING',
    name: field.name,
    required: field.default_value === undefined,
    optional: field.default_value !== undefined,
    label: field.label,
    description: field.description,
    ...(field.default_value === undefined ? {} : { default_value: field.default_value }),
    ...(field.options ? { options: field.options } : {}),
  } satisfies IntegrationParam;
}

export function releaseView(release: IntegrationReleaseRecord, trigger: TriggerRef | undefined) {
  return {
    id: release.id,
    version: release.version,
    trigger,
    semver: { major: release.version, minor: 0 },
    runtime: release.runtime,
    dependencies: release.dependencies,
    required_secrets: release.secrets.map(param),
    required_configuration: release.configuration.map(param),
    ...(release.notes ? { notes: release.notes } : {}),
    created_at: release.created_at,
  } satisfies IntegrationRelease;
}

function listing(integration: IntegrationRecord) {
  return {
    id: integration.id,
    catalog_id: integration.id,
    url_slug: integration.id,
    ...(integration.partner ? { partner_id: integration.partner } : {}),
    name: integration.display_name,
    description: integration.description,
    short_description: integration.short_description,
    feature_type: 'action',
  } satisfies IntegrationListing;
}

/** A catalog entry, with its latest release in full when the caller read it. */
export function integrationView(integration: IntegrationRecord, latest?: IntegrationReleaseRecord) {
  const trigger = integration.supported_triggers[0];
  return {
    ...listing(integration),
    supported_triggers: integration.supported_triggers,
    latest_version: integration.latest_release?.version ?? 0,
    ...(latest ? { current_release: releaseView(latest, trigger) } : {}),
    created_at: integration.created_at,
    updated_at: integration.updated_at,
  } satisfies Integration;
}

/**
 * An installed action's `integration`: the release its draft runs (`version`), and the catalog's
 * latest (`latest_version`), so a client can offer the upgrade without a second request.
 */
export function installedIntegrationView(
  link: IntegrationLink,
  trigger: TriggerRef | undefined,
  catalog: IntegrationRecord | undefined,
) {
  const latest = catalog?.latest_release?.version ?? link.version;
  return {
    ...(catalog
      ? listing(catalog)
      : { id: link.integration_id, name: link.integration_id, feature_type: 'action' }),
    version: link.version,
    latest_version: latest,
    upgrade_available: latest > link.version,
    current_release: {
      id: link.release_id,
      version: link.version,
      trigger,
      semver: { major: link.version, minor: 0 },
    },
    ...(catalog ? { created_at: catalog.created_at, updated_at: catalog.updated_at } : {}),
  } satisfies InstalledIntegration;
}
