/**
 * Configuration, read once from the environment into one typed object. No other module reads
 * `process.env`: handlers call `loadConfig()` at start and pass what they need down.
 */
import { z } from 'zod';

const schema = z.object({
  HOOKCHAIN_STAGE: z
    .string()
    .regex(/^[a-z0-9-]{1,16}$/)
    .default('dev'),
  HOOKCHAIN_TABLE: z.string().min(1).default('hookchain'),
  HOOKCHAIN_BUILD_QUEUE_URL: z.string().default(''),
  HOOKCHAIN_TRIGGER_QUEUE_URL: z.string().default(''),
  HOOKCHAIN_TRIGGER_DLQ_URL: z.string().default(''),
  /** The build queue's maxReceiveCount: on its last delivery a build that cannot finish is recorded `failed`. */
  HOOKCHAIN_BUILD_MAX_RECEIVES: z.coerce.number().int().min(1).max(1000).default(3),
  HOOKCHAIN_FUNCTION_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9-_]{1,20}$/)
    .default('hc'),
  HOOKCHAIN_ACTION_ROLE_ARN: z.string().default('arn:aws:iam::000000000000:role/hookchain-action'),
  HOOKCHAIN_ACTION_ARCHITECTURE: z.enum(['arm64', 'x86_64']).default('arm64'),
  HOOKCHAIN_ACTION_MEMORY_MB: z.coerce.number().int().min(128).max(10240).default(256),
  /** Each action function's own hard stop (Lambda's Timeout). */
  HOOKCHAIN_ACTION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(900).default(30),
  /** One sync execution's whole-chain time budget (Auth0's 20 s). */
  HOOKCHAIN_CHAIN_BUDGET_MS: z.coerce.number().int().min(100).max(900_000).default(20_000),
  /** How long a dispatcher container keeps a resolved chain; a deploy or bindings change answers after it. */
  HOOKCHAIN_CHAIN_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  HOOKCHAIN_NPM_REGISTRY: z.string().url().default('https://registry.npmjs.org/'),
  HOOKCHAIN_BUILD_CACHE_DIR: z.string().default('/tmp/hookchain-build-cache'),
  /**
   * Size cap of the installed dependency sets in the build cache (least recently used evicted
   * first). Keep it well inside the builder's /tmp (512 MB unless its ephemeral storage is raised).
   */
  HOOKCHAIN_BUILD_CACHE_MAX_MB: z.coerce.number().int().min(1).default(256),
  /** Lambda's deployment package quotas for a direct upload; lowered only by tests. */
  HOOKCHAIN_BUNDLE_MAX_ZIPPED_BYTES: z.coerce.number().int().positive().default(50_000_000),
  HOOKCHAIN_BUNDLE_MAX_UNZIPPED_BYTES: z.coerce.number().int().positive().default(250_000_000),
  /** Base64 AES-256 key for the local secrets cipher; AWS deployments use KMS instead. */
  HOOKCHAIN_SECRET_KEY: z.string().optional(),
  HOOKCHAIN_KMS_KEY_ID: z.string().optional(),
  HOOKCHAIN_LOG_GROUP_PREFIX: z.string().default('/hookchain'),
  /** Retention of tenant log groups; CloudWatch accepts 1, 3, 5, 7, 14, 30, ... days. */
  HOOKCHAIN_TENANT_LOG_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  /** Retention of each action function's log group (`/aws/lambda/<function>`); same values as above. */
  HOOKCHAIN_ACTION_LOG_RETENTION_DAYS: z.coerce.number().int().positive().default(14),
  /** Secrets Manager secret holding the bootstrap operator token (AWS deployments). */
  HOOKCHAIN_OPERATOR_TOKEN_SECRET_ARN: z.string().optional(),
  /** The action runtime entry a bundled builder ships pre-bundled (shared/runtime/lambda-entry.ts otherwise). */
  HOOKCHAIN_RUNTIME_ENTRY: z.string().optional(),
  AWS_REGION: z.string().default('us-east-1'),
});

export interface HookchainConfig {
  stage: string;
  tableName: string;
  buildQueueUrl: string;
  triggerQueueUrl: string;
  triggerDlqUrl: string;
  buildMaxReceives: number;
  /** Every function Hookchain creates is named `<prefix>-<stage>-...`; IAM grants follow the prefix. */
  functionPrefix: string;
  actionRoleArn: string;
  actionArchitecture: 'arm64' | 'x86_64';
  actionMemoryMb: number;
  actionTimeoutSeconds: number;
  chainBudgetMs: number;
  chainCacheMs: number;
  npmRegistry: string;
  buildCacheDir: string;
  buildCacheMaxBytes: number;
  bundleMaxZippedBytes: number;
  bundleMaxUnzippedBytes: number;
  secretKey?: string;
  kmsKeyId?: string;
  logGroupPrefix: string;
  tenantLogRetentionDays: number;
  actionLogRetentionDays: number;
  operatorTokenSecretArn?: string;
  runtimeEntry?: string;
  region: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): HookchainConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Hookchain configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    stage: e.HOOKCHAIN_STAGE,
    tableName: e.HOOKCHAIN_TABLE,
    buildQueueUrl: e.HOOKCHAIN_BUILD_QUEUE_URL,
    triggerQueueUrl: e.HOOKCHAIN_TRIGGER_QUEUE_URL,
    triggerDlqUrl: e.HOOKCHAIN_TRIGGER_DLQ_URL,
    buildMaxReceives: e.HOOKCHAIN_BUILD_MAX_RECEIVES,
    functionPrefix: e.HOOKCHAIN_FUNCTION_PREFIX,
    actionRoleArn: e.HOOKCHAIN_ACTION_ROLE_ARN,
    actionArchitecture: e.HOOKCHAIN_ACTION_ARCHITECTURE,
    actionMemoryMb: e.HOOKCHAIN_ACTION_MEMORY_MB,
    actionTimeoutSeconds: e.HOOKCHAIN_ACTION_TIMEOUT_SECONDS,
    chainBudgetMs: e.HOOKCHAIN_CHAIN_BUDGET_MS,
    chainCacheMs: e.HOOKCHAIN_CHAIN_CACHE_MS,
    npmRegistry: e.HOOKCHAIN_NPM_REGISTRY,
    buildCacheDir: e.HOOKCHAIN_BUILD_CACHE_DIR,
    buildCacheMaxBytes: e.HOOKCHAIN_BUILD_CACHE_MAX_MB * 1024 * 1024,
    bundleMaxZippedBytes: e.HOOKCHAIN_BUNDLE_MAX_ZIPPED_BYTES,
    bundleMaxUnzippedBytes: e.HOOKCHAIN_BUNDLE_MAX_UNZIPPED_BYTES,
    ...(e.HOOKCHAIN_SECRET_KEY ? { secretKey: e.HOOKCHAIN_SECRET_KEY } : {}),
    ...(e.HOOKCHAIN_KMS_KEY_ID ? { kmsKeyId: e.HOOKCHAIN_KMS_KEY_ID } : {}),
    logGroupPrefix: e.HOOKCHAIN_LOG_GROUP_PREFIX,
    tenantLogRetentionDays: e.HOOKCHAIN_TENANT_LOG_RETENTION_DAYS,
    actionLogRetentionDays: e.HOOKCHAIN_ACTION_LOG_RETENTION_DAYS,
    ...(e.HOOKCHAIN_OPERATOR_TOKEN_SECRET_ARN
      ? { operatorTokenSecretArn: e.HOOKCHAIN_OPERATOR_TOKEN_SECRET_ARN }
      : {}),
    ...(e.HOOKCHAIN_RUNTIME_ENTRY ? { runtimeEntry: e.HOOKCHAIN_RUNTIME_ENTRY } : {}),
    region: e.AWS_REGION,
  };
}
