/**
 * The Store port (shared/ports/store.ts) in memory, with the DynamoDB adapter's observable
 * semantics: conditional writes and their typed errors, unique names, forward-only pointers,
 * atomic counters, leases and TTL as its reads see them. For fast tests of the logic; the contract
 * suite (test/contract/store.test.ts) holds both adapters to the same specification.
 */
import type { Store } from '../ports/store.ts';
import { memoryActions, memoryVersions } from './store/actions.ts';
import { memoryContinueStates, memoryExecutions } from './store/executions.ts';
import { memoryFlows } from './store/flows.ts';
import { memoryIntegrations } from './store/integrations.ts';
import { memoryModules, memoryModuleVersions } from './store/modules.ts';
import { memoryTenants, memoryTokens } from './store/tenants.ts';

export function createMemoryStore(): Store {
  return {
    tenants: memoryTenants(),
    tokens: memoryTokens(),
    actions: memoryActions(),
    versions: memoryVersions(),
    flows: memoryFlows(),
    modules: memoryModules(),
    moduleVersions: memoryModuleVersions(),
    integrations: memoryIntegrations(),
    executions: memoryExecutions(),
    continueStates: memoryContinueStates(),
  };
}
