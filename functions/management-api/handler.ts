/** Lambda handler of the management API (API Gateway REST proxy integration). */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { redrive } from '../../shared/aws/redrive.ts';
import { createAuthorizer } from '../../shared/tenancy/authorize.ts';
import { createRouter } from '../http/router.ts';
import { lazyPlatform, type Platform } from '../platform.ts';
import { type ManagementContext, managementRoutes } from './routes.ts';

const logger = new Logger({ serviceName: 'hookchain-management' });

export function createManagementHandler(platform: () => Platform) {
  let context: ManagementContext | undefined;
  const route = createRouter(managementRoutes, {
    onError: (error) => logger.error('Unhandled error in the management API', error as Error),
  });
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => {
    if (!context) {
      const { actions, store, logs, sqs, config } = platform();
      context = {
        actions,
        authorizer: createAuthorizer(store.tokens),
        logs,
        redriveTriggers: () => redrive(sqs, config.triggerDlqUrl, config.triggerQueueUrl),
      };
    }
    return route(event, context);
  });
}

export const handler = createManagementHandler(lazyPlatform());
