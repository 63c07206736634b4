/** Records for store tests: valid defaults, with ids unique within the process. */
import type { ActionRecord, DeployedPointer, VersionRecord } from '../../shared/model/actions.ts';
import type { ContinueStateRecord, ExecutionRecord } from '../../shared/model/executions.ts';
import type { IntegrationRecord, IntegrationReleaseRecord } from '../../shared/model/integrations.ts';
import type { ModuleRecord, ModuleVersionRecord } from '../../shared/model/modules.ts';

let counter = 0;
/** A fresh id, e.g. for a tenant of its own per test so listings hold only that test's records. */
export const uniqueId = (prefix: string) => {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
};

const NOW = '2026-01-01T00:00:00.000Z';

export function actionRecord(tenantId: string, overrides: Partial<ActionRecord> = {}): ActionRecord {
  const id = overrides.id ?? uniqueId('action');
  return {
    tenant_id: tenantId,
    id,
    name: `name of ${id}`,
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: 'exports.onExecutePostLogin = async () => {};',
    runtime: 'node22',
    dependencies: [],
    secrets: { names: [], ciphertext: null },
    status: 'pending',
    errors: [],
    draft_revision: 1,
    version_counter: 0,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function versionRecord(action: ActionRecord, number: number): VersionRecord {
  return {
    tenant_id: action.tenant_id,
    action_id: action.id,
    id: `${action.id}-version-${number}`,
    number,
    code: `// version ${number}`,
    runtime: 'node22',
    dependencies: [],
    secrets: { names: [], ciphertext: null },
    supported_triggers: action.supported_triggers,
    status: 'pending',
    errors: [],
    function_name: `fn-${action.id}-${number}`,
    source_revision: 1,
    created_at: NOW,
    updated_at: NOW,
  };
}

export function deployedPointer(number: number): DeployedPointer {
  return {
    version_id: `v${number}`,
    number,
    function_name: `fn-${number}`,
    deployed_at: NOW,
    secrets_ciphertext: null,
  };
}

export function moduleRecord(tenantId: string, overrides: Partial<ModuleRecord> = {}): ModuleRecord {
  const id = overrides.id ?? uniqueId('module');
  return {
    tenant_id: tenantId,
    id,
    name: `name-of-${id}`,
    code: 'module.exports = {};',
    dependencies: [],
    secrets: { names: [], ciphertext: null },
    api_version: '1',
    draft_revision: 1,
    version_counter: 0,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function moduleVersionRecord(module: ModuleRecord, number: number): ModuleVersionRecord {
  return {
    tenant_id: module.tenant_id,
    module_id: module.id,
    id: `${module.id}-version-${number}`,
    version_number: number,
    module_name: module.name,
    code: `// version ${number}`,
    dependencies: [],
    secrets: { names: [], ciphertext: null },
    api_version: '1',
    created_at: NOW,
  };
}

export function integrationRecord(overrides: Partial<IntegrationRecord> = {}): IntegrationRecord {
  return {
    id: uniqueId('integration'),
    display_name: 'Partner integration',
    description: 'Does a partner thing.',
    short_description: 'Partner thing',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    release_counter: 0,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function releaseRecord(integrationId: string, version: number): IntegrationReleaseRecord {
  return {
    integration_id: integrationId,
    id: `${integrationId}-release-${version}`,
    version,
    code: `// release ${version}`,
    runtime: 'node22',
    dependencies: [],
    secrets: [],
    configuration: [],
    created_at: NOW,
  };
}

export function executionRecord(tenantId: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    tenant_id: tenantId,
    id: uniqueId('execution'),
    trigger_id: 'post-user-registration',
    status: 'pending',
    results: [],
    event: { user: { user_id: 'auth0|1' } },
    created_at: NOW,
    updated_at: NOW,
    expires_at: 2_000_000_000,
    ...overrides,
  };
}

export function continueStateRecord(
  tenantId: string,
  overrides: Partial<ContinueStateRecord> = {},
): ContinueStateRecord {
  return {
    hash: uniqueId('state'),
    tenant_id: tenantId,
    suspension: {
      trigger: 'post-login',
      execution_id: 'execution-1',
      action_index: 0,
      chain: [{ id: 'a1', name: 'first', version_id: 'v1' }],
      result: {},
      cache: {},
    },
    chain: [],
    expires_at: 2_000_000_000,
    ...overrides,
  };
}
