/**
 * The composition root shared by every handler: configuration read once, AWS clients created once
 * per container (keep-alive is the SDK default), adapters wired into the logic in shared/.
 */

import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import type { ActionsContext, BuildJob } from '../shared/actions/context.ts';
import { cloudWatchTenantLogs } from '../shared/aws/cloudwatch-tenant-logs.ts';
import { createDynamoStore } from '../shared/aws/dynamo/store.ts';
import { createMetrics, type EmfPublisher, stdoutEmf } from '../shared/aws/emf-metrics.ts';
import { kmsCipher } from '../shared/aws/kms-cipher.ts';
import { invokeTimeouts, lambdaFunctionHost } from '../shared/aws/lambda-function-host.ts';
import { lambdaInvoker } from '../shared/aws/lambda-invoker.ts';
import { sqsJobQueue } from '../shared/aws/sqs-job-queue.ts';
import { type HookchainConfig, loadConfig } from '../shared/config.ts';
import { CHAIN_CACHE_MS, createChainResolver } from '../shared/dispatch/chain-resolver.ts';
import type { AsyncJob, DispatchContext } from '../shared/dispatch/dispatcher.ts';
import { localKeyCipher } from '../shared/memory/key-cipher.ts';
import type { FunctionHost } from '../shared/ports/functions.ts';
import type { PlatformMetrics } from '../shared/ports/metrics.ts';
import type { SecretCipher } from '../shared/ports/secrets.ts';
import type { Store } from '../shared/ports/store.ts';
import type { TenantLogSink } from '../shared/ports/tenant-logs.ts';

export interface Platform {
  config: HookchainConfig;
  store: Store;
  cipher: SecretCipher;
  functions: FunctionHost;
  sqs: SQSClient;
  logs: TenantLogSink;
  metrics: PlatformMetrics;
  actions: ActionsContext;
  dispatch: DispatchContext;
}

function cipherFor(config: HookchainConfig): SecretCipher {
  if (config.kmsKeyId)
    return kmsCipher({ keyId: config.kmsKeyId, client: new KMSClient({ region: config.region }) });
  if (config.secretKey) return localKeyCipher(config.secretKey);
  throw new Error(
    'No secrets key is configured: set HOOKCHAIN_SECRET_KEY (local) or HOOKCHAIN_KMS_KEY_ID (AWS).',
  );
}

/** The AWS services the platform calls; a local stack gives each an endpoint of its own. */
export type AwsService = 'dynamodb' | 'sqs' | 'lambda' | 'logs';

/** What an SDK client of one service is created with, beyond the region. */
export interface AwsClientSettings {
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface PlatformOptions {
  /** Where metrics go off Lambda (the local stack's metrics view); on Lambda they are EMF on stdout. */
  publishMetrics?: EmfPublisher;
  /**
   * Endpoint and credentials per service (the local stack's servers). Without it the SDK finds its
   * own, as on Lambda: the role's credentials, AWS's endpoints or `AWS_ENDPOINT_URL_<SERVICE>`.
   */
  awsClients?: (service: AwsService) => AwsClientSettings;
  /**
   * The only dispatcher runs in this process and shares its chain cache (the local stack's default
   * mode): a chain change reaches it at once, so deploys need not wait out other containers' caches.
   */
  soleDispatcher?: boolean;
}

export function createPlatform(
  config: HookchainConfig = loadConfig(),
  options: PlatformOptions = {},
): Platform {
  const client = (service: AwsService) => ({ region: config.region, ...options.awsClients?.(service) });
  const store = createDynamoStore(config.tableName, new DynamoDBClient(client('dynamodb')));
  const sqs = new SQSClient(client('sqs'));
  const logsClient = new CloudWatchLogsClient(client('logs'));
  const functions = lambdaFunctionHost({
    admin: new LambdaClient(client('lambda')),
    invoke: lambdaInvoker(new LambdaClient(client('lambda')), invokeTimeouts(config.actionTimeoutSeconds)),
    logs: logsClient,
    logRetentionDays: config.actionLogRetentionDays,
  });
  const cipher = cipherFor(config);
  const chains = createChainResolver(store, { cacheMs: config.chainCacheMs });
  const logs = cloudWatchTenantLogs(
    { groupPrefix: config.logGroupPrefix, stage: config.stage, retentionDays: config.tenantLogRetentionDays },
    logsClient,
  );
  // On Lambda, EMF lines on stdout; elsewhere wherever the host shows metrics (the local stack's view).
  const metrics = createMetrics({
    serviceName: config.serviceName,
    publish: config.lambdaFunctionName ? stdoutEmf : options.publishMetrics,
  });
  return {
    config,
    store,
    cipher,
    functions,
    sqs,
    logs,
    metrics,
    dispatch: {
      store,
      cipher,
      functions,
      chains,
      asyncJobs: sqsJobQueue<AsyncJob>(config.triggerQueueUrl, sqs),
      logs,
      metrics,
      logger: new Logger(),
      newExecutionId: ulid,
      now: Date.now,
      budgetMs: config.chainBudgetMs,
      secrets: new Map(),
      triggerCaches: new Map(),
      pendingLogs: new Set(),
    },
    actions: {
      store,
      cipher,
      functions,
      builds: sqsJobQueue<BuildJob>(config.buildQueueUrl, sqs),
      functionSettings: {
        prefix: config.functionPrefix,
        stage: config.stage,
        roleArn: config.actionRoleArn,
        architecture: config.actionArchitecture,
        memoryMb: config.actionMemoryMb,
        timeoutSeconds: config.actionTimeoutSeconds,
      },
      now: Date.now,
      newId: randomUUID,
      retireFunctionsAfterSeconds: Math.min(
        900,
        Math.ceil((CHAIN_CACHE_MS + config.chainBudgetMs) / 1000) + 1,
      ),
      chainsChanged: () => chains.invalidate(),
      chainSettleMs: options.soleDispatcher ? 0 : config.chainCacheMs,
    },
  };
}

/** One platform per container, built on first use so importing a handler has no side effects. */
export function lazyPlatform(): () => Platform {
  let platform: Platform | undefined;
  return () => {
    platform ??= createPlatform();
    return platform;
  };
}
