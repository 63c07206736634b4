/** Lambda handler of the trigger API (API Gateway REST proxy integration): the hot path. */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createAuthorizer } from '../../shared/tenancy/authorize.ts';
import { createRouter } from '../http/router.ts';
import { lazyPlatform, type Platform } from '../platform.ts';
import { type DispatcherContext, dispatcherRoutes } from './routes.ts';

const logger = new Logger({ serviceName: 'hookchain-dispatcher' });

export function createDispatcherHandler(platform: () => Platform) {
  let context: DispatcherContext | undefined;
  const route = createRouter(dispatcherRoutes, {
    onError: (error) => logger.error('Unhandled error in the dispatcher', error as Error),
  });
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => {
    if (!context) {
      const { dispatch, store } = platform();
      context = { dispatch, authorizer: createAuthorizer(store.tokens) };
    }
    return route(event, context);
  });
}

export const handler = createDispatcherHandler(lazyPlatform());
