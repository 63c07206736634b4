/** Lambda handler of the management API (API Gateway REST proxy integration). */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { onceUntilSuccess, secretsManagerOperatorToken } from '../../shared/aws/operator-token.ts';
import { redrive } from '../../shared/aws/redrive.ts';
import { createAuthorizer } from '../../shared/tenancy/authorize.ts';
import { createRouter } from '../http/router.ts';
import { lazyPlatform, type Platform } from '../platform.ts';
import { managementRoutes } from './routes.ts';
import type { ManagementContext } from './scoped.ts';

const logger = new Logger({ serviceName: 'hookchain-management' });

export function createManagementHandler(platform: () => Platform) {
  let context: ManagementContext | undefined;
  const route = createRouter(managementRoutes, {
    onError: (error) => logger.error('Unhandled error in the management API', error as Error),
  });
  let registerOperator: (() => Promise<void>) | undefined;
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => {
    if (!context) {
      const { actions, store, logs, sqs, config } = platform();
      context = {
        actions,
        authorizer: createAuthorizer(store.tokens),
        logs,
        redriveTriggers: () => redrive(sqs, config.triggerDlqUrl, config.triggerQueueUrl),
      };
      // On AWS the bootstrap operator token lives in Secrets Manager; its hash is registered here.
      if (config.operatorTokenSecretArn) {
        const secrets = new SecretsManagerClient({ region: config.region });
        registerOperator = onceUntilSuccess(
          secretsManagerOperatorToken(store, config.operatorTokenSecretArn, secrets),
          (error) => logger.error('Could not register the bootstrap operator token', error as Error),
        );
      }
    }
    await registerOperator?.();
    return route(event, context);
  });
}

export const handler = createManagementHandler(lazyPlatform());
