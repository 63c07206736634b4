/**
 * Records as the Auth0 Management API shows them: the wire shapes the official SDKs parse. Each view
 * `satisfies` its type in shared/client/wire.ts, the one declaration the CLI and the dashboard read.
 */

import type {
  ActionSummary,
  ActionVersion,
  Action as ActionWire,
  Binding,
  DeployedVersion,
  TriggerInfo,
} from '../client/wire.ts';
import { installedIntegrationView } from '../integrations/representation.ts';
import type { ActionRecord, BindingRecord, VersionRecord } from '../model/actions.ts';
import type { IntegrationRecord } from '../model/integrations.ts';
import { allTriggers } from '../triggers/registry.ts';

/** An installed integration's code is closed: no view of an action, version or binding shows it. */
const codeOf = (code: string, closed: boolean) => (closed ? {} : { code });

export function versionView(version: VersionRecord, action: ActionRecord) {
  return {
    id: version.id,
    action_id: version.action_id,
    number: version.number,
    ...codeOf(
      version.code,
      version.integration !== undefined || action.installed_integration_id !== undefined,
    ),
    dependencies: version.dependencies,
    runtime: version.runtime,
    secrets: version.secrets.names,
    supported_triggers: version.supported_triggers,
    modules: version.modules ?? [],
    status: version.status,
    errors: version.errors,
    deployed: action.deployed?.version_id === version.id,
    ...(version.built_at ? { built_at: version.built_at } : {}),
    created_at: version.created_at,
    updated_at: version.updated_at,
    action: actionBase(action),
  } satisfies ActionVersion;
}

function actionBase(action: ActionRecord) {
  return {
    id: action.id,
    name: action.name,
    supported_triggers: action.supported_triggers,
    all_changes_deployed: action.deployed_revision === action.draft_revision,
    created_at: action.created_at,
    updated_at: action.updated_at,
  } satisfies ActionSummary;
}

/**
 * `deployedVersion` is the full live version when the caller has it (single reads), else a
 * summary; `catalog` is the catalog entry of an installed integration, when the caller read it.
 */
export function actionView(
  action: ActionRecord,
  deployedVersion?: VersionRecord,
  catalog?: IntegrationRecord,
) {
  const deployed = deployedVersion
    ? versionView(deployedVersion, action)
    : action.deployed
      ? ({
          id: action.deployed.version_id,
          action_id: action.id,
          number: action.deployed.number,
          deployed: true,
          status: 'built',
          created_at: action.deployed.deployed_at,
          updated_at: action.deployed.deployed_at,
        } satisfies DeployedVersion)
      : undefined;
  return {
    ...actionBase(action),
    ...codeOf(action.code, action.installed_integration_id !== undefined),
    dependencies: action.dependencies,
    runtime: action.runtime,
    secrets: action.secrets.names,
    modules: action.modules ?? [],
    status: action.status,
    ...(action.errors.length > 0 ? { errors: action.errors } : {}),
    ...(action.built_at ? { built_at: action.built_at } : {}),
    ...(deployed ? { deployed_version: deployed } : {}),
    ...(action.installed_integration_id && action.integration
      ? {
          installed_integration_id: action.installed_integration_id,
          integration: installedIntegrationView(action.integration, action.supported_triggers[0], catalog),
          configuration: action.configuration ?? {},
        }
      : {}),
  } satisfies ActionWire;
}

export function bindingView(
  binding: BindingRecord,
  triggerId: string,
  action: ActionRecord,
  catalog?: IntegrationRecord,
) {
  return {
    id: binding.id,
    trigger_id: triggerId,
    display_name: binding.display_name,
    action: actionView(action, undefined, catalog),
    created_at: binding.created_at,
    updated_at: binding.updated_at,
  } satisfies Binding;
}

export function triggersView() {
  return {
    triggers: allTriggers().map((trigger) => ({
      id: trigger.id,
      version: trigger.version,
      status: 'CURRENT',
      runtimes: ['node22'],
      default_runtime: 'node22',
      compatible_triggers: [],
      binding_policy: 'trigger-bound',
    })) satisfies TriggerInfo[],
  };
}

export function page<T>(items: T[], query: { page?: number; per_page?: number }, defaultPerPage = 50) {
  const perPage = query.per_page ?? defaultPerPage;
  const pageIndex = query.page ?? 0;
  return {
    total: items.length,
    page: pageIndex,
    per_page: perPage,
    items: items.slice(pageIndex * perPage, pageIndex * perPage + perPage),
  };
}
