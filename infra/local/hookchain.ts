/**
 * The Hookchain platform on the local stack: the same handlers that run on Lambda, wired to the
 * local servers. API routes go to the management or dispatcher handler as API Gateway's
 * resources do on AWS, /dashboard to the dashboard's; the build and trigger queues feed the
 * builder and the async worker.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createAsyncWorkerHandler } from '../../functions/async-worker/handler.ts';
import { createBuilderHandler } from '../../functions/builder/handler.ts';
import { createDashboardHandler } from '../../functions/dashboard/handler.ts';
import { DASHBOARD_METHODS } from '../../functions/dashboard/static-files.ts';
import { createDispatcherHandler } from '../../functions/dispatcher/handler.ts';
import { createManagementHandler } from '../../functions/management-api/handler.ts';
import { createPlatform, type Platform } from '../../functions/platform.ts';
import { configEnvironment, loadConfig } from '../../shared/config.ts';
import { bootstrap } from '../../shared/tenancy/service.ts';
import { generateToken } from '../../shared/tenancy/tokens.ts';
import { PLATFORM_RESOURCES } from '../shared/resources.ts';
import { LOCAL_ACCOUNT } from './resources.ts';
import type { QueuePoller } from './sqs-poller.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './stack.ts';

export interface HookchainLocalOptions extends LocalStackOptions {
  /** npm registry the builder resolves dependencies from (tests point it at a loopback registry). */
  npmRegistry?: string;
  /**
   * Configuration variables over the environment's (e.g. HOOKCHAIN_CHAIN_BUDGET_MS for tests);
   * the stack's own resources (table, queues, keys) always win.
   */
  config?: Record<string, string>;
  /**
   * The built dashboard served under /dashboard (default: the repository's dashboard/dist, which
   * `npm run build:dashboard` writes; tests point it at a fixture). Nothing is built at start.
   */
  dashboardRoot?: string;
}

/** Where `npm run build:dashboard` puts Vite's output. */
export const DEFAULT_DASHBOARD_ROOT = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

/**
 * The platform each function runs on. By default they are one and the same; in the AWS-faithful
 * mode each is its own, as Lambda containers share no memory (tests read metrics or patch a port
 * on the one that matters).
 */
export interface FunctionPlatforms {
  management: Platform;
  dispatchers: Platform[];
  builder: Platform;
  asyncWorker: Platform;
}

export interface HookchainLocal extends LocalStack {
  /** The management function's platform (the only one, outside the AWS-faithful mode). */
  platform: Platform;
  platforms: FunctionPlatforms;
  /** Manages tenants and tokens (`/api/v2/hookchain/...`). */
  operatorToken: string;
  /** The folder served under /dashboard. */
  dashboardRoot: string;
  /**
   * The queue consumers the platform runs in this process. Fault tests stop one (e.g. to run the
   * async worker in a child process they can kill) and add their own with addQueueConsumer.
   */
  consumers: { builder: QueuePoller; asyncWorker: QueuePoller };
}

/** The trigger API's paths; everything else under /api/v2 is the management API. */
const DISPATCHER_PATH = /^\/api\/v2\/actions\/triggers\/[^/]+\/(execute|continue)\/?$/;

/** A value generated once and kept in the state directory, like the bootstrap token. */
async function persistent(path: string, create: () => string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const value = create();
    await writeFile(path, `${value}\n`, { mode: 0o600 });
    return value;
  }
}

export async function startHookchain(options: HookchainLocalOptions = {}): Promise<HookchainLocal> {
  // The platform's clients are given the stack's endpoints and credentials: nothing in this
  // process's environment is changed unless a caller asks for it (exportEnv).
  const stack = await startLocalStack({ ...options, exportEnv: options.exportEnv ?? false });
  try {
    const secretKey = await persistent(join(stack.stateDir, 'secret.key'), () =>
      randomBytes(32).toString('base64'),
    );
    const operatorToken = await persistent(join(stack.stateDir, 'operator.token'), generateToken);
    const { queues } = stack.resources;
    const config = loadConfig({
      ...process.env,
      ...options.config,
      ...configEnvironment({
        stage: 'local',
        tableName: stack.resources.tableName,
        buildQueueUrl: queues.builds.url,
        triggerQueueUrl: queues.triggers.url,
        triggerDlqUrl: queues.triggers.dlqUrl,
        buildMaxReceives: PLATFORM_RESOURCES.queues.builds.maxReceiveCount,
        secretKey,
        buildCacheDir: join(stack.stateDir, 'build-cache'),
        npmRegistry: options.npmRegistry,
        region: LOCAL_ACCOUNT.region,
      }),
    });
    // The AWS-faithful mode shares no memory between functions, as Lambda containers share none: the
    // dispatcher runs in two containers taking turns, each with its own chain cache, and the builder
    // and async worker in their own. By default one process shares one platform.
    const awsFaithful = stack.fidelity.mode === 'aws';
    // Every function's platform reaches the stack's servers and publishes its metrics to its view.
    const shared = { awsClients: stack.clientConfig, publishMetrics: stack.metrics.publish };
    const platform = createPlatform(config, { ...shared, soleDispatcher: !awsFaithful });
    const container = () => (awsFaithful ? createPlatform(config, shared) : platform);
    const platforms: FunctionPlatforms = {
      management: platform,
      dispatchers: awsFaithful ? [container(), container()] : [platform],
      builder: container(),
      asyncWorker: container(),
    };
    await bootstrap(
      { store: platform.store, logs: platform.logs, logger: platform.dispatch.logger },
      {
        tenant: stack.bootstrap.tenant,
        token: stack.bootstrap.token,
        operatorToken,
      },
    );

    const management = createManagementHandler(() => platform);
    const dispatcherHandlers = platforms.dispatchers.map((own) => createDispatcherHandler(() => own));
    let turn = 0;
    const dispatcher = (event: APIGatewayProxyEvent, context: Context) => {
      turn = (turn + 1) % dispatcherHandlers.length;
      return (dispatcherHandlers[turn] ?? management)(event, context);
    };
    stack.addRoute({
      pathPrefix: '/api/v2',
      name: 'hookchain-api',
      handler: (event: APIGatewayProxyEvent, context: Context) =>
        DISPATCHER_PATH.test(event.path) ? dispatcher(event, context) : management(event, context),
    });
    // GET and HEAD, as the CDK API declares them: API Gateway serves no HEAD through a GET method.
    const dashboardRoot = options.dashboardRoot ?? DEFAULT_DASHBOARD_ROOT;
    const dashboard = createDashboardHandler({ root: dashboardRoot });
    for (const method of DASHBOARD_METHODS) {
      stack.addRoute({ method, pathPrefix: '/dashboard', name: 'hookchain-dashboard', handler: dashboard });
    }
    const builder = stack.addQueueConsumer({
      queueUrl: queues.builds.url,
      name: 'hookchain-builder',
      handler: createBuilderHandler(() => platforms.builder),
      batchSize: 1,
      concurrency: 2,
      timeoutMs: 300_000,
    });
    const asyncWorker = stack.addQueueConsumer({
      queueUrl: queues.triggers.url,
      name: 'hookchain-async-worker',
      handler: createAsyncWorkerHandler(() => platforms.asyncWorker),
      batchSize: 10,
      concurrency: 2,
    });
    return {
      ...stack,
      platform,
      platforms,
      operatorToken,
      dashboardRoot,
      consumers: { builder, asyncWorker },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
