/** Builds the DynamoDB-backed store. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Store } from '../../ports/store.ts';
import { dynamoActions } from './actions.ts';
import { dynamoContinueStates, dynamoExecutions } from './executions.ts';
import { dynamoFlows } from './flows.ts';
import { dynamoIntegrations } from './integrations.ts';
import { dynamoModules, dynamoModuleVersions } from './modules.ts';
import { createTable } from './table.ts';
import { dynamoTenants, dynamoTokens } from './tenants.ts';
import { dynamoVersions } from './versions.ts';

export type { Store } from '../../ports/store.ts';

export function createDynamoStore(tableName: string, client?: DynamoDBClient): Store {
  const table = createTable(tableName, client);
  return {
    tenants: dynamoTenants(table),
    tokens: dynamoTokens(table),
    actions: dynamoActions(table),
    versions: dynamoVersions(table),
    flows: dynamoFlows(table),
    modules: dynamoModules(table),
    moduleVersions: dynamoModuleVersions(table),
    integrations: dynamoIntegrations(table),
    executions: dynamoExecutions(table),
    continueStates: dynamoContinueStates(table),
  };
}
