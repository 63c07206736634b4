/**
 * The whole local platform in one process: DynamoDB (dynalite), SQS (local-aws-sqs), the Lambda
 * function host, the CloudWatch Logs server and the API front, all on 127.0.0.1, with state under
 * `stateDir`. The product's handlers run in this process and reach the servers through the
 * standard `AWS_ENDPOINT_URL_<SERVICE>` variables, exactly as they would reach AWS.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { METRICS_NAMESPACE } from '../../shared/aws/emf-metrics.ts';
import { PLATFORM_RESOURCES } from '../shared/resources.ts';
import { startDynamoDb } from './dynamodb-server.ts';
import { type Fidelity, LOCAL_FIDELITY } from './fidelity.ts';
import { type LambdaServer, startFunctionHost } from './function-host/server.ts';
import { type Gateway, type GatewayRoute, startGateway } from './gateway.ts';
import type { RunningServer } from './http.ts';
import { generateLocalCredentials, type LocalCredentials } from './local-credentials.ts';
import { type LocalManifest, loadBootstrap, writeManifest } from './local-manifest.ts';
import { createLogger, type Logger, type LogLevel } from './logger.ts';
import { type LogsServer, startLogsServer } from './logs-server/server.ts';
import { LogStore } from './logs-server/store.ts';
import { MetricsView } from './metrics-view.ts';
import { provisionQueues, provisionTable, type QueueUrls } from './provision.ts';
import { LOCAL_ACCOUNT } from './resources.ts';
import { type QueueConsumer, type QueuePoller, startQueuePoller } from './sqs-poller.ts';
import { startSqs } from './sqs-server.ts';

export interface LocalStackOptions {
  /** Where state lives (LevelDB, functions, logs, local.json). Default `.hookchain` in the cwd. */
  stateDir?: string;
  /** The API front's port; 0 picks a free one. Default 3000. */
  port?: number;
  routes?: GatewayRoute[];
  consumers?: QueueConsumer[];
  /** Set AWS_ENDPOINT_URL_* and the stack's credentials in process.env for in-process handlers. Default true. */
  exportEnv?: boolean;
  logLevel?: LogLevel;
  logger?: Logger;
  functionHost?: { maxWorkersPerFunction?: number; maxWorkers?: number; maxLogBytesPerInvocation?: number };
  /** API Gateway's integration timeout; default 29 s. */
  integrationTimeoutMs?: number;
  /** How kind the stack is (fidelity.ts): `local` by default, or AWS-faithful. */
  fidelity?: Fidelity;
}

export interface LocalEndpoints {
  dynamodb: string;
  sqs: string;
  lambda: string;
  logs: string;
}

export interface LocalStack {
  /**
   * The API front, e.g. http://127.0.0.1:3000; in the AWS-faithful mode under the stage, as
   * API Gateway's execute-api URL is (http://127.0.0.1:3000/dev). Paths append to it: `${url}/api/v2/...`.
   */
  url: string;
  /** http://127.0.0.1:<port>: the front's origin, where the local-only /health is. */
  origin: string;
  fidelity: Fidelity;
  stateDir: string;
  endpoints: LocalEndpoints;
  /** The local tenant's bootstrap credentials (a store of token hashes comes later). */
  bootstrap: { tenant: string; token: string; created: boolean };
  resources: { tableName: string; queues: QueueUrls };
  /** Client configuration for an AWS SDK v3 client of one service (explicit endpoint, the stack's credentials). */
  clientConfig(service: keyof LocalEndpoints): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  addRoute(route: GatewayRoute): void;
  addQueueConsumer(consumer: QueueConsumer): QueuePoller;
  /** Live function worker pids (tests and diagnostics). */
  functionWorkerPids(functionName?: string): number[];
  /** The local stand-in for CloudWatch metrics: functions publish EMF here; `GET /metrics` shows it. */
  metrics: MetricsView;
  /** Fault injection for tests: take a local service down and bring it back. */
  faults: {
    /** Stops DynamoDB; the function it answers starts it again on the same port with the same data. */
    stopDynamoDb(): Promise<() => Promise<void>>;
  };
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = resolve(options.stateDir ?? '.hookchain');
  const logger =
    options.logger ?? createLogger({ level: options.logLevel ?? 'info', component: 'local-stack' });
  await mkdir(stateDir, { recursive: true });
  const bootstrap = await loadBootstrap(stateDir);
  // New at every start and kept in memory (and in the owner-only local.json for tools): the local
  // servers answer no one else, functions included.
  const credentials = generateLocalCredentials();
  const fidelity = options.fidelity ?? LOCAL_FIDELITY;

  // Everything started so far, stopped in reverse order on failure or stop().
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.splice(0).reverse()) {
      await stop().catch((error: unknown) => logger.warn('stop failed', { error }));
    }
  };
  let ready = false;
  try {
    const logStore = await LogStore.open({
      dir: join(stateDir, 'logs'),
      onError: (error) => logger.warn('log journal write failed', { error }),
    });
    stoppers.push(() => logStore.close());
    const dynamoDbOptions = { path: join(stateDir, 'dynamodb'), credentials, fidelity };
    const [dynamodb, sqs, logs, lambda] = await Promise.all([
      startDynamoDb(dynamoDbOptions).then(track),
      startSqs({ credentials, fidelity }).then(track),
      startLogsServer({ store: logStore, logger: logger.child('logs'), credentials, fidelity }).then(track),
      startFunctionHost({
        dir: join(stateDir, 'functions'),
        logStore,
        logger: logger.child('function-host'),
        credentials,
        fidelity,
        ...options.functionHost,
      }).then(track),
    ]);
    const endpoints: LocalEndpoints = {
      dynamodb: dynamodb.endpoint,
      sqs: sqs.endpoint,
      lambda: lambda.endpoint,
      logs: logs.endpoint,
    };
    const clientConfig = (service: keyof LocalEndpoints) => ({
      endpoint: endpoints[service],
      region: LOCAL_ACCOUNT.region,
      credentials: { ...credentials },
    });

    if (options.exportEnv ?? true) stoppers.push(exportEnvironment(endpoints, credentials));

    const ddbClient = new DynamoDBClient(clientConfig('dynamodb'));
    const sqsClient = new SQSClient(clientConfig('sqs'));
    stoppers.push(async () => {
      ddbClient.destroy();
      sqsClient.destroy();
    });
    const [, queues] = await Promise.all([provisionTable(ddbClient), provisionQueues(sqsClient)]);

    const metrics = new MetricsView();
    const gateway: Gateway = await startGateway({
      port: options.port ?? 3000,
      routes: options.routes,
      logger: logger.child('api'),
      integrationTimeoutMs: options.integrationTimeoutMs,
      fidelity,
      health: () => ({ ready, stateDir, endpoints }),
      metrics: () => ({ namespace: METRICS_NAMESPACE, series: metrics.snapshot() }),
    });
    // The API front stops first, so no request arrives while the services behind it go away.
    stoppers.push(() => gateway.stop());

    const addQueueConsumer = (consumer: QueueConsumer): QueuePoller => {
      const poller = startQueuePoller(consumer, { sqs: sqsClient, logger: logger.child('sqs') });
      stoppers.push(() => poller.stop());
      return poller;
    };
    for (const consumer of options.consumers ?? []) addQueueConsumer(consumer);

    const manifest: LocalManifest = {
      url: gateway.url,
      tenant: bootstrap.tenant,
      token: bootstrap.token,
      endpoints,
      credentials,
    };
    await writeManifest(stateDir, manifest);
    ready = true;

    return {
      url: gateway.url,
      origin: gateway.origin,
      fidelity,
      stateDir,
      endpoints,
      bootstrap,
      resources: { tableName: PLATFORM_RESOURCES.table.name, queues },
      clientConfig,
      addRoute: (route) => gateway.addRoute(route),
      addQueueConsumer,
      functionWorkerPids: (name) => lambda.workerPids(name),
      metrics,
      faults: {
        stopDynamoDb: async () => {
          await dynamodb.stop();
          return async () => {
            const port = Number(new URL(endpoints.dynamodb).port);
            track(await startDynamoDb({ ...dynamoDbOptions, port }));
          };
        },
      },
      stop: async () => {
        ready = false;
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }

  function track<T extends RunningServer | LogsServer | LambdaServer>(server: T): T {
    stoppers.push(() => server.stop());
    return server;
  }
}

/**
 * Points the SDK's standard variables at the local servers for in-process handlers, with the
 * stack's credentials (a developer's own AWS keys would be refused); a region only where none is
 * set. Returns the undo, run on stop().
 */
function exportEnvironment(endpoints: LocalEndpoints, credentials: LocalCredentials): () => Promise<void> {
  const values: Record<string, string> = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoints.logs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
  const defaults: Record<string, string> = { AWS_REGION: LOCAL_ACCOUNT.region };
  const previous = new Map<string, string | undefined>();
  const set = (key: string, value: string | undefined): void => {
    previous.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  };
  for (const [key, value] of Object.entries(values)) set(key, value);
  // A session token of the developer's would ride along with our key id; it means nothing here.
  set('AWS_SESSION_TOKEN', undefined);
  for (const [key, value] of Object.entries(defaults)) if (process.env[key] === undefined) set(key, value);
  return async () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
