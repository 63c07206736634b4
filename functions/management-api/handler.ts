/** Lambda handler of the management API (API Gateway REST proxy integration). */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createAuthorizer } from '../../shared/tenancy/authorize.ts';
import { createRouter } from '../http/router.ts';
import { lazyPlatform } from '../platform.ts';
import { type ManagementContext, managementRoutes } from './routes.ts';

const logger = new Logger({ serviceName: 'hookchain-management' });
const platform = lazyPlatform();
let context: ManagementContext | undefined;

const route = createRouter(managementRoutes, {
  onError: (error) => logger.error('Unhandled error in the management API', error as Error),
});

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => {
  const { actions, store } = platform();
  context ??= { actions, authorizer: createAuthorizer(store.tokens) };
  return route(event, context);
});
