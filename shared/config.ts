/**
 * Configuration, declared once: each setting names its environment variable and the schema its
 * text must satisfy, and both the typed config object and the environment written by the CDK stack
 * and the local stack derive from that one table (`loadConfig` reads it, `configEnvironment`
 * writes it). No other module reads `process.env`: handlers call `loadConfig()` at start and pass
 * what they need down.
 */
import { z } from 'zod';

/** One setting: the environment variable it is read from and how its text becomes a value. */
const setting = <S extends z.ZodType>(env: string, schema: S) => ({ env, schema }) as const;

export const SETTINGS = {
  stage: setting(
    'HOOKCHAIN_STAGE',
    z
      .string()
      .regex(/^[a-z0-9-]{1,16}$/)
      .default('dev'),
  ),
  tableName: setting('HOOKCHAIN_TABLE', z.string().min(1).default('hookchain')),
  buildQueueUrl: setting('HOOKCHAIN_BUILD_QUEUE_URL', z.string().default('')),
  triggerQueueUrl: setting('HOOKCHAIN_TRIGGER_QUEUE_URL', z.string().default('')),
  triggerDlqUrl: setting('HOOKCHAIN_TRIGGER_DLQ_URL', z.string().default('')),
  /** The build queue's maxReceiveCount: on its last delivery a build that cannot finish is recorded `failed`. */
  buildMaxReceives: setting(
    'HOOKCHAIN_BUILD_MAX_RECEIVES',
    z.coerce.number().int().min(1).max(1000).default(3),
  ),
  /** Every function Hookchain creates is named `<prefix>-<stage>-...`; IAM grants follow the prefix. */
  functionPrefix: setting(
    'HOOKCHAIN_FUNCTION_PREFIX',
    z
      .string()
      .regex(/^[A-Za-z0-9-_]{1,20}$/)
      .default('hc'),
  ),
  actionRoleArn: setting(
    'HOOKCHAIN_ACTION_ROLE_ARN',
    z.string().default('arn:aws:iam::000000000000:role/hookchain-action'),
  ),
  actionArchitecture: setting('HOOKCHAIN_ACTION_ARCHITECTURE', z.enum(['arm64', 'x86_64']).default('arm64')),
  actionMemoryMb: setting(
    'HOOKCHAIN_ACTION_MEMORY_MB',
    z.coerce.number().int().min(128).max(10240).default(256),
  ),
  /** Each action function's own hard stop (Lambda's Timeout). */
  actionTimeoutSeconds: setting(
    'HOOKCHAIN_ACTION_TIMEOUT_SECONDS',
    z.coerce.number().int().min(1).max(900).default(30),
  ),
  /** One sync execution's whole-chain time budget (Auth0's 20 s). */
  chainBudgetMs: setting(
    'HOOKCHAIN_CHAIN_BUDGET_MS',
    z.coerce.number().int().min(100).max(900_000).default(20_000),
  ),
  /** How long a dispatcher container keeps a resolved chain; a deploy or bindings change answers after it. */
  chainCacheMs: setting(
    'HOOKCHAIN_CHAIN_CACHE_MS',
    z.coerce.number().int().min(0).max(60_000).default(1_000),
  ),
  npmRegistry: setting('HOOKCHAIN_NPM_REGISTRY', z.string().url().default('https://registry.npmjs.org/')),
  buildCacheDir: setting('HOOKCHAIN_BUILD_CACHE_DIR', z.string().default('/tmp/hookchain-build-cache')),
  /**
   * Size cap of the installed dependency sets in the build cache (least recently used evicted
   * first). Keep it well inside the builder's /tmp (512 MB unless its ephemeral storage is raised).
   */
  buildCacheMaxMb: setting('HOOKCHAIN_BUILD_CACHE_MAX_MB', z.coerce.number().int().min(1).default(256)),
  /** Lambda's deployment package quotas for a direct upload; lowered only by tests. */
  bundleMaxZippedBytes: setting(
    'HOOKCHAIN_BUNDLE_MAX_ZIPPED_BYTES',
    z.coerce.number().int().positive().default(50_000_000),
  ),
  bundleMaxUnzippedBytes: setting(
    'HOOKCHAIN_BUNDLE_MAX_UNZIPPED_BYTES',
    z.coerce.number().int().positive().default(250_000_000),
  ),
  /** Base64 AES-256 key for the local secrets cipher; AWS deployments use KMS instead. */
  secretKey: setting('HOOKCHAIN_SECRET_KEY', z.string().optional()),
  kmsKeyId: setting('HOOKCHAIN_KMS_KEY_ID', z.string().optional()),
  logGroupPrefix: setting('HOOKCHAIN_LOG_GROUP_PREFIX', z.string().default('/hookchain')),
  /** Retention of tenant log groups; CloudWatch accepts 1, 3, 5, 7, 14, 30, ... days. */
  tenantLogRetentionDays: setting(
    'HOOKCHAIN_TENANT_LOG_RETENTION_DAYS',
    z.coerce.number().int().positive().default(30),
  ),
  /** Retention of each action function's log group (`/aws/lambda/<function>`); same values as above. */
  actionLogRetentionDays: setting(
    'HOOKCHAIN_ACTION_LOG_RETENTION_DAYS',
    z.coerce.number().int().positive().default(14),
  ),
  /** Secrets Manager secret holding the bootstrap operator token (AWS deployments). */
  operatorTokenSecretArn: setting('HOOKCHAIN_OPERATOR_TOKEN_SECRET_ARN', z.string().optional()),
  /** The action runtime entry a bundled builder ships pre-bundled (shared/runtime/lambda-entry.ts otherwise). */
  runtimeEntry: setting('HOOKCHAIN_RUNTIME_ENTRY', z.string().optional()),
  /** The service dimension of the platform's metrics and logs: one per function (Powertools' own variable). */
  serviceName: setting('POWERTOOLS_SERVICE_NAME', z.string().default('hookchain')),
  /** Set by Lambda itself: metrics are printed as EMF only there, where CloudWatch reads them. */
  lambdaFunctionName: setting('AWS_LAMBDA_FUNCTION_NAME', z.string().optional()),
  region: setting('AWS_REGION', z.string().default('us-east-1')),
} as const;

type Settings = typeof SETTINGS;
export type HookchainConfig = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** Values to write into an environment, by setting: CDK tokens and plain values alike. */
export type ConfigValues = { [K in keyof Settings]?: NonNullable<HookchainConfig[K]> };

const schema = z.object(
  Object.fromEntries(Object.values(SETTINGS).map(({ env, schema }) => [env, schema])) as {
    [K in keyof Settings as Settings[K]['env']]: Settings[K]['schema'];
  },
);

/** Reads the configuration from an environment; an empty variable counts as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): HookchainConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Hookchain configuration: ${problems}`);
  }
  const byEnv = parsed.data as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(SETTINGS).map(([key, { env }]) => [key, byEnv[env]]),
  ) as HookchainConfig;
}

/** The environment variables that carry these values, for a function's or the local stack's environment. */
export function configEnvironment(values: ConfigValues): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) environment[SETTINGS[key as keyof Settings].env] = String(value);
  }
  return environment;
}
