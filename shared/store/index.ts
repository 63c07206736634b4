/** Builds the DynamoDB-backed store. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoActions } from './dynamo/actions.ts';
import { dynamoContinueStates, dynamoExecutions } from './dynamo/executions.ts';
import { dynamoFlows } from './dynamo/flows.ts';
import { dynamoIntegrations } from './dynamo/integrations.ts';
import { dynamoModules, dynamoModuleVersions } from './dynamo/modules.ts';
import { createTable } from './dynamo/table.ts';
import { dynamoTenants, dynamoTokens } from './dynamo/tenants.ts';
import { dynamoVersions } from './dynamo/versions.ts';
import type { Store } from './types.ts';

export type { Store } from './types.ts';

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
