/**
 * The whole platform as one construct, for `cdk deploy` (stack.ts) or a user's own CDK app:
 *
 *   API Gateway ─► management ─► table, build queue ─► builder ─► action functions (CreateFunction)
 *               ├► dispatcher ─► action functions (Invoke), trigger queue ─► async worker ─► ...
 *               └► dashboard (the built single-page app, shipped in its asset; no grants at all)
 *
 * Each function gets exactly the grants its code uses (see the `grant*` calls below).
 */
import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { configEnvironment } from '../../shared/config.ts';
import { PLATFORM_RESOURCES } from '../shared/resources.ts';
import { ActionFunctions } from './action-functions.ts';
import { ActionExecutionRole } from './action-role.ts';
import { HookchainApi, INTEGRATION_TIMEOUT } from './api.ts';
import { builderBundling, RUNTIME_ENTRY_IN_ASSET } from './builder-bundling.ts';
import { DEFAULT_DASHBOARD_DIST, dashboardBundling, prepareDashboard } from './dashboard-bundling.ts';
import { AlarmTopic, PlatformAlarms } from './monitoring.ts';
import { HookchainNaming, type HookchainNamingProps, type LambdaArchitecture } from './naming.ts';
import { PlatformFunction, type PlatformFunctionProps } from './platform-function.ts';
import { WorkQueue } from './queue.ts';
import { HookchainKey } from './secrets-key.ts';
import { HookchainTable } from './table.ts';

export interface HookchainProps extends HookchainNamingProps {
  /** Architecture of the platform functions and of every action function (default arm64). */
  architecture?: LambdaArchitecture;
  /** Memory of each action function (default 256 MB). */
  actionMemoryMb?: number;
  /** Retention of the platform functions' log groups (default one month). */
  logRetention?: RetentionDays;
  /** Registry the builder installs action dependencies from (default registry.npmjs.org). */
  npmRegistry?: string;
  /** Where every alarm is sent; by default an SNS topic `hookchain-<stage>-alarms` the stack creates. */
  alarmAction?: IAlarmAction;
  /** Subscribed to the default alarm topic. */
  alarmEmail?: string;
  /**
   * Concurrency reserved for the dispatcher (default 100; 0 for none): logins keep it whatever the
   * builder, the async worker or the actions they run take. Lambda keeps 100 of the account's
   * quota unreserved, so the account needs a quota of at least this plus 100.
   */
  dispatcherReservedConcurrency?: number;
  /** Builds running at once (the build queue's event-source maximum concurrency; default 2). */
  builderMaxConcurrency?: number;
  /** Async batches running at once (the trigger queue's event-source maximum concurrency; default 10). */
  asyncWorkerMaxConcurrency?: number;
  /** Keep data (table, key, secret, logs) and protect the table; default: outside dev/test stages. */
  protectData?: boolean;
  /**
   * The built dashboard shipped with the dashboard function (default dashboard/dist, which
   * `npm run build:dashboard` writes). A synth that bundles fails without its index.html.
   */
  dashboardDist?: string;
}

/** What differs between the four platform functions that share the configuration; the rest is common. */
type FunctionSpec = Omit<
  PlatformFunctionProps,
  'functionName' | 'architecture' | 'logRetention' | 'retainLogs' | 'environment'
> & { environment?: Record<string, string> };

/**
 * Lambda caps. The API functions stop a second before API Gateway's 29 s integration timeout, so
 * an overrun is their own error (logged, counted, in Auth0's shape) rather than a bare 504.
 */
const API_TIMEOUT = INTEGRATION_TIMEOUT.minus(Duration.seconds(1));
const WORKER_TIMEOUT = Duration.seconds(60);
const BUILDER_TIMEOUT = Duration.minutes(5);
/** Reading and gzipping a 7 MB script once per container takes about a second on 256 MB. */
const DASHBOARD_TIMEOUT = Duration.seconds(10);
export const DEFAULT_DISPATCHER_RESERVED_CONCURRENCY = 100;
export const DEFAULT_BUILDER_MAX_CONCURRENCY = 2;
export const DEFAULT_ASYNC_WORKER_MAX_CONCURRENCY = 10;
const TENANT_LOG_WRITE = [
  'logs:CreateLogGroup',
  'logs:PutRetentionPolicy',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
];

export class Hookchain extends Construct {
  readonly naming: HookchainNaming;
  readonly key: HookchainKey;
  readonly table: HookchainTable;
  readonly buildQueue: WorkQueue;
  readonly triggerQueue: WorkQueue;
  readonly actionRole: ActionExecutionRole;
  readonly actionFunctions: ActionFunctions;
  readonly operatorToken: Secret;
  readonly management: PlatformFunction;
  readonly dispatcher: PlatformFunction;
  readonly asyncWorker: PlatformFunction;
  readonly builder: PlatformFunction;
  readonly dashboard: PlatformFunction;
  readonly api: HookchainApi;
  readonly alarms: PlatformAlarms;

  constructor(scope: Construct, id: string, props: HookchainProps) {
    super(scope, id);
    const naming = new HookchainNaming(props);
    this.naming = naming;
    const protect = props.protectData ?? !naming.isDevelopmentStage;
    const architecture = props.architecture ?? 'arm64';
    if (architecture !== 'arm64' && architecture !== 'x86_64') {
      throw new Error(`Unknown architecture '${architecture}': use arm64 or x86_64.`);
    }
    const dashboardDist = props.dashboardDist ?? DEFAULT_DASHBOARD_DIST;
    // Before any function bundles: the default build is made (or refreshed) here, so `cdk deploy`
    // works on a fresh clone; a missing build fails the synth at once. A synth that does not
    // bundle (template tests, `cdk destroy`) needs no build.
    if (Stack.of(this).bundlingRequired) prepareDashboard(dashboardDist);

    this.key = new HookchainKey(this, 'Key', {
      description: `Hookchain ${naming.stage}: table encryption and action secrets`,
      retain: protect,
    });
    this.table = new HookchainTable(this, 'Table', {
      tableName: naming.resource('data'),
      key: this.key,
      protect,
    });
    const alarmAction =
      props.alarmAction ??
      new AlarmTopic(this, 'Alarms', {
        topicName: naming.resource('alarms'),
        key: this.key.key,
        ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
      }).action;
    const queues = PLATFORM_RESOURCES.queues;
    this.buildQueue = new WorkQueue(this, 'BuildQueue', {
      queueName: naming.resource('builds'),
      consumerTimeout: BUILDER_TIMEOUT,
      maxReceiveCount: queues.builds.maxReceiveCount,
      maxMessageAge: Duration.minutes(15),
      alarmAction,
    });
    this.triggerQueue = new WorkQueue(this, 'TriggerQueue', {
      queueName: naming.resource('triggers'),
      consumerTimeout: WORKER_TIMEOUT,
      maxReceiveCount: queues.triggers.maxReceiveCount,
      maxMessageAge: Duration.minutes(5),
      alarmAction,
    });
    this.actionRole = new ActionExecutionRole(this, 'ActionRole', { naming });
    this.actionFunctions = new ActionFunctions(this, naming, this.actionRole);
    this.operatorToken = new Secret(this, 'OperatorToken', {
      description: `Hookchain ${naming.stage}: bootstrap operator token (creates tenants and their tokens)`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // What every function's configuration (shared/config.ts) is read from.
    const environment = configEnvironment({
      stage: naming.stage,
      tableName: this.table.table.tableName,
      buildQueueUrl: this.buildQueue.queue.queueUrl,
      triggerQueueUrl: this.triggerQueue.queue.queueUrl,
      triggerDlqUrl: this.triggerQueue.deadLetterQueue.queueUrl,
      functionPrefix: naming.functionPrefix,
      actionRoleArn: this.actionRole.role.roleArn,
      actionArchitecture: architecture,
      actionMemoryMb: props.actionMemoryMb ?? 256,
      kmsKeyId: this.key.key.keyArn,
      logGroupPrefix: naming.tenantLogGroupPrefix,
    });
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const platformFunction = (id: string, role: string, spec: FunctionSpec) =>
      new PlatformFunction(this, id, {
        ...spec,
        functionName: naming.resource(role),
        architecture,
        logRetention,
        retainLogs: protect,
        environment: {
          ...configEnvironment({ serviceName: `hookchain-${role}` }),
          ...environment,
          ...spec.environment,
        },
      });

    this.management = platformFunction('Management', 'management', {
      description: 'Hookchain management API: actions, versions, bindings, tenants, logs',
      entry: 'functions/management-api/handler.ts',
      memorySize: 512,
      timeout: API_TIMEOUT,
      environment: configEnvironment({ operatorTokenSecretArn: this.operatorToken.secretArn }),
    });
    this.dispatcher = platformFunction('Dispatcher', 'dispatcher', {
      description: 'Hookchain trigger API: runs bound action chains',
      entry: 'functions/dispatcher/handler.ts',
      memorySize: 1024,
      timeout: API_TIMEOUT,
      // 0 means no reservation here (a reservation of 0 would throttle every login).
      reservedConcurrency: props.dispatcherReservedConcurrency ?? DEFAULT_DISPATCHER_RESERVED_CONCURRENCY,
    });
    this.asyncWorker = platformFunction('AsyncWorker', 'async-worker', {
      description: 'Hookchain async triggers: runs queued chains',
      entry: 'functions/async-worker/handler.ts',
      memorySize: 1024,
      timeout: WORKER_TIMEOUT,
    });
    this.builder = platformFunction('Builder', 'builder', {
      description: 'Hookchain builder: installs dependencies, bundles with esbuild, creates action functions',
      entry: 'functions/builder/handler.ts',
      // esbuild and npm installs are CPU-bound: memory buys CPU.
      memorySize: 2048,
      timeout: BUILDER_TIMEOUT,
      ephemeralStorage: Size.gibibytes(2),
      // Off the hot path, a build's failure is worth a readable stack trace.
      sourceMaps: true,
      environment: configEnvironment({
        npmRegistry: props.npmRegistry ?? 'https://registry.npmjs.org/',
        buildCacheDir: '/tmp/hookchain-build-cache',
        runtimeEntry: RUNTIME_ENTRY_IN_ASSET,
        // On the job's last delivery a build that cannot finish is recorded `failed`.
        buildMaxReceives: queues.builds.maxReceiveCount,
      }),
      bundling: builderBundling(architecture),
    });
    // Static files only: none of the configuration above, and no grant beyond its own log group.
    this.dashboard = new PlatformFunction(this, 'Dashboard', {
      functionName: naming.resource('dashboard'),
      description: 'Hookchain dashboard: the single-page app under /dashboard',
      entry: 'functions/dashboard/handler.ts',
      architecture,
      memorySize: 256,
      timeout: DASHBOARD_TIMEOUT,
      logRetention,
      retainLogs: protect,
      environment: { POWERTOOLS_SERVICE_NAME: 'hookchain-dashboard' },
      bundling: dashboardBundling(dashboardDist),
    });

    this.buildQueue.consumeWith(this.builder.function, {
      batchSize: 1,
      maxConcurrency: props.builderMaxConcurrency ?? DEFAULT_BUILDER_MAX_CONCURRENCY,
    });
    this.triggerQueue.consumeWith(this.asyncWorker.function, {
      batchSize: 10,
      maxConcurrency: props.asyncWorkerMaxConcurrency ?? DEFAULT_ASYNC_WORKER_MAX_CONCURRENCY,
    });

    // Grants: each function gets what its code calls, on Hookchain's resources only.
    const management = this.management.function;
    const dispatcher = this.dispatcher.function;
    const worker = this.asyncWorker.function;
    const builder = this.builder.function;
    for (const fn of [management, dispatcher, worker, builder]) this.table.grantData(fn);

    this.buildQueue.queue.grantSendMessages(management); // create, update, deploy, rollback
    this.buildQueue.queue.grantSendMessages(builder); // deploy-on-build queues the version's build
    this.triggerQueue.queue.grantSendMessages(dispatcher); // async triggers
    this.triggerQueue.queue.grantSendMessages(management); // DLQ redrive...
    this.triggerQueue.deadLetterQueue.grantConsumeMessages(management); // ...from the DLQ

    this.actionFunctions.grantDeploy(builder);
    // Each action function's log group is made by the builder, with retention, before the function.
    Grant.addToPrincipal({
      grantee: builder,
      actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteLogGroup'],
      resourceArns: [naming.actionLogGroupsArn(Stack.of(this))],
    });
    this.actionFunctions.grantInvoke(management); // test a draft
    this.actionFunctions.grantDelete(management); // delete an action
    this.actionFunctions.grantInvoke(dispatcher);
    this.actionFunctions.grantInvoke(worker);

    // Secrets: written by the management API, read by whoever hands them to actions. Not the builder.
    this.key.grantSecretsEncrypt(management);
    for (const fn of [management, dispatcher, worker]) this.key.grantSecretsDecrypt(fn);

    this.grantTenantLogs(dispatcher, TENANT_LOG_WRITE);
    this.grantTenantLogs(worker, TENANT_LOG_WRITE);
    // Each tenant's log group is created, with retention, with the tenant; tails read it.
    this.grantTenantLogs(management, [
      'logs:CreateLogGroup',
      'logs:PutRetentionPolicy',
      'logs:FilterLogEvents',
    ]);
    this.operatorToken.grantRead(management);

    this.api = new HookchainApi(this, 'Api', {
      restApiName: naming.resource('api'),
      stageName: naming.stage,
      management: this.management.function,
      dispatcher: this.dispatcher.function,
      dashboard: this.dashboard.function,
      logRetention,
      retainLogs: protect,
    });

    this.alarms = new PlatformAlarms(this, 'Monitoring', {
      stage: naming.stage,
      functions: {
        management,
        dispatcher,
        'async-worker': worker,
        builder,
        dashboard: this.dashboard.function,
      },
      api: this.api.restApi,
      table: this.table.table,
      action: alarmAction,
    });
    this.acknowledgeNagFindings();
  }

  /**
   * cdk-nag (AwsSolutions) findings that are Hookchain's design, each with why. IAM wildcards are
   * name patterns of resources created at run time, never `*` on a service.
   */
  private acknowledgeNagFindings(): void {
    const stack = Stack.of(this);
    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    const pattern = (arn: string) =>
      `AwsSolutions-IAM5[Resource::${arn.replace(/\$\{Token\[AWS\.(\w+)\.\d+\]\}/g, '<AWS::$1>')}]`;
    acknowledge(
      pattern(this.naming.actionFunctionsArn(stack)),
      'Action functions are created at run time, one per version: grants follow their name prefix and are conditioned on the stage tag.',
    );
    acknowledge(
      pattern(this.naming.actionLogGroupsArn(stack)),
      'Each action function’s log group (/aws/lambda/<prefix>-<stage>-*), created at run time with the function.',
    );
    acknowledge(
      pattern(this.naming.tenantLogGroupsArn(stack)),
      'Tenant log groups (/hookchain/<stage>/<tenant>) are created at run time, one per tenant.',
    );
    acknowledge(
      `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.table.table.node.defaultChild as CfnTable)}.Arn>/index/*]`,
      'Queries on the table’s own secondary indexes.',
    );
    acknowledge(
      'AwsSolutions-IAM5[Resource::*]',
      'lambda:GetAccountSettings (the code-storage quota and use) is an account-level read with no resource to scope to.',
    );
    acknowledge(
      'AwsSolutions-SMG4',
      'The operator token is a bootstrap credential an operator reads once to create tenants; rotate it by hand with `aws secretsmanager put-secret-value` (documented), no rotation function.',
    );
    acknowledge(
      'AwsSolutions-L1',
      'Platform functions run the same Node.js runtime as the action functions (shared/aws/lambda-function-host.ts), which tenants write code for; the runtime moves as one, deliberately.',
    );
  }

  /** Tenant log groups (`/hookchain/<stage>/<tenant>`, shared/aws/cloudwatch-tenant-logs.ts). */
  private grantTenantLogs(grantee: IGrantable, actions: string[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.naming.tenantLogGroupsArn(Stack.of(this))],
    });
  }
}
