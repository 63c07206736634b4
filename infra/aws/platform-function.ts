/**
 * One of the platform's own functions: a NodejsFunction bundled by the project's esbuild (no
 * Docker), ESM on nodejs22.x, with its own role and an explicit log group with retention. The
 * group has Lambda's default name (`/aws/lambda/<function>`), so every target, LocalStack included,
 * writes to it without advanced logging settings.
 */
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, type Size } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LambdaArchitecture } from './naming.ts';

/** The repository root: entries, package.json and the lock file are found from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every Lambda Hookchain runs, platform and action functions alike. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

/**
 * Bundled code may still `require()` (CommonJS dependencies of ESM code): give the ESM bundle a
 * real `require`. The alias keeps the name from clashing with anything esbuild emits.
 */
const REQUIRE_BANNER =
  "import { createRequire as __hookchainCreateRequire } from 'node:module'; const require = __hookchainCreateRequire(import.meta.url);";

export interface PlatformFunctionProps {
  functionName: string;
  description: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  architecture: LambdaArchitecture;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** Log groups are kept when the stack is deleted. */
  retainLogs: boolean;
  ephemeralStorage?: Size;
  /** Concurrency set aside for this function alone (and its cap); none by default. */
  reservedConcurrency?: number;
  /**
   * Ship a source map and have Node apply it to stack traces (default false). Off on the hot path:
   * with `--enable-source-maps` every stack trace built parses the map (megabytes for a bundle
   * with the SDK's dependencies), so each logged error slows the request that logs it.
   */
  sourceMaps?: boolean;
  /** Added to the common bundling options (e.g. node_modules shipped as files). */
  bundling?: Partial<BundlingOptions>;
}

export class PlatformFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Its own role, granted only its own log group here; each construct that it uses adds the rest.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: LAMBDA_RUNTIME,
      architecture: props.architecture === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      ...(props.ephemeralStorage ? { ephemeralStorageSize: props.ephemeralStorage } : {}),
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: {
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: 'Hookchain',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        keepNames: true,
        sourceMap: props.sourceMaps ?? false,
        // nodejs22.x provides AWS SDK v3: leave it out of the bundle.
        externalModules: ['@aws-sdk/*'],
        ...props.bundling,
      },
    });
    // The group must exist before the first invocation, or Lambda creates one without retention.
    this.function.node.addDependency(this.logGroup);
  }
}
