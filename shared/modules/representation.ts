/** Modules as the Auth0 Management API shows them, checked against the wire types in shared/client. */
import type { ModuleUse as ModuleUseWire, ModuleVersion, Module as ModuleWire } from '../client/wire.ts';
import type { ModuleRecord, ModuleVersionRecord } from '../model/modules.ts';
import type { ModuleUse } from './usage.ts';

export function moduleVersionView(version: ModuleVersionRecord) {
  return {
    id: version.id,
    module_id: version.module_id,
    version_number: version.version_number,
    code: version.code,
    dependencies: version.dependencies,
    secrets: version.secrets.names,
    created_at: version.created_at,
  } satisfies ModuleVersion;
}

/** `latest` is the full latest version when the caller read it (single reads), else a summary. */
export function moduleView(module: ModuleRecord, usingTotal: number, latest?: ModuleVersionRecord) {
  const summary = module.latest_version;
  return {
    id: module.id,
    name: module.name,
    code: module.code,
    dependencies: module.dependencies,
    secrets: module.secrets.names,
    api_version: module.api_version,
    actions_using_module_total: usingTotal,
    all_changes_published: module.published_revision === module.draft_revision,
    latest_version_number: summary?.version_number ?? 0,
    ...(latest
      ? {
          latest_version: {
            id: latest.id,
            version_number: latest.version_number,
            code: latest.code,
            dependencies: latest.dependencies,
            secrets: latest.secrets.names,
            created_at: latest.created_at,
          },
        }
      : summary
        ? { latest_version: summary }
        : {}),
    created_at: module.created_at,
    updated_at: module.updated_at,
  } satisfies ModuleWire;
}

export function moduleActionView(use: ModuleUse) {
  return {
    action_id: use.action_id,
    action_name: use.action_name,
    module_version_id: use.pin.module_version_id,
    module_version_number: use.pin.module_version_number,
    supported_triggers: use.supported_triggers,
  } satisfies ModuleUseWire;
}
