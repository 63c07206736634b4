/**
 * A function's configuration in the Lambda API's own shape, and the validation Lambda applies to
 * CreateFunction / UpdateFunctionConfiguration input (same exception names, same limits).
 */
import { z } from 'zod';
import { AwsApiError } from '../aws-error.ts';
import { LOCAL_ACCOUNT } from '../resources.ts';

/** What GetFunctionConfiguration answers. */
export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  CodeSha256: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: '$LATEST';
  Environment: { Variables: Record<string, string> };
  RevisionId: string;
  State: 'Pending' | 'Active';
  StateReason?: string;
  StateReasonCode?: string;
  LastUpdateStatus: 'InProgress' | 'Successful';
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  PackageType: 'Zip';
  Architectures: string[];
  EphemeralStorage: { Size: number };
  LoggingConfig: { LogFormat: 'Text'; LogGroup: string };
}

export const LIMITS = {
  timeoutSeconds: { min: 1, max: 900, default: 3 },
  memoryMb: { min: 128, max: 10_240, default: 128 },
  environmentBytes: 4096,
  /** The account's code storage, every function's packages together (75 GB). */
  codeStorageBytes: 75 * 1024 ** 3,
  /** Zipped deployment package uploaded directly (50 MB) and its unzipped size (250 MB). */
  zipBytes: 50 * 1024 * 1024,
  unzippedBytes: 262_144_000,
} as const;

/** Lambda's reserved variables: a function may not set them. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const ROLE_ARN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;

const environment = z.object({ Variables: z.record(z.string(), z.string()).optional() }).optional();

export const createFunctionInput = z.object({
  FunctionName: z.string().min(1).max(140),
  Role: z.string(),
  Runtime: z.string().optional(),
  Handler: z.string().min(1).max(128).optional(),
  Code: z.object({
    ZipFile: z.string().optional(),
    S3Bucket: z.string().optional(),
    S3Key: z.string().optional(),
    ImageUri: z.string().optional(),
  }),
  Description: z.string().max(256).optional(),
  Timeout: z.number().int().optional(),
  MemorySize: z.number().int().optional(),
  Environment: environment,
  PackageType: z.string().optional(),
  Architectures: z.array(z.string()).optional(),
  Publish: z.boolean().optional(),
});
export type CreateFunctionInput = z.infer<typeof createFunctionInput>;

export const updateConfigurationInput = z.object({
  Role: z.string().optional(),
  Runtime: z.string().optional(),
  Handler: z.string().min(1).max(128).optional(),
  Description: z.string().max(256).optional(),
  Timeout: z.number().int().optional(),
  MemorySize: z.number().int().optional(),
  Environment: environment,
  RevisionId: z.string().optional(),
});
export type UpdateConfigurationInput = z.infer<typeof updateConfigurationInput>;

export const updateCodeInput = z.object({
  ZipFile: z.string().optional(),
  S3Bucket: z.string().optional(),
  S3Key: z.string().optional(),
  ImageUri: z.string().optional(),
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
});
export type UpdateCodeInput = z.infer<typeof updateCodeInput>;

export function functionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.accountId}:function:${name}`;
}

export function logGroupOf(name: string): string {
  return `/aws/lambda/${name}`;
}

/**
 * Accepts what the API accepts in `{FunctionName}`: a name, a partial ARN (`123456789012:function:x`)
 * or a full ARN, optionally qualified. Only `$LATEST` exists here (no published versions).
 */
export function resolveFunctionName(raw: string, qualifier?: string): string {
  const match =
    /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/.exec(
      raw,
    );
  const name = match?.[1];
  const version = match?.[2] ?? qualifier;
  if (!name || name.length > 64) {
    throw new AwsApiError(
      'ValidationException',
      400,
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`,
    );
  }
  if (version !== undefined && version !== '$LATEST') {
    throw new AwsApiError(
      'ResourceNotFoundException',
      404,
      `Function not found: ${functionArn(name)}:${version}`,
    );
  }
  return name;
}

export function notFound(name: string): AwsApiError {
  return new AwsApiError('ResourceNotFoundException', 404, `Function not found: ${functionArn(name)}`);
}

export function validateName(name: string): void {
  if (!FUNCTION_NAME.test(name)) {
    throw new AwsApiError(
      'ValidationException',
      400,
      `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+`,
    );
  }
}

/** Checks the settable fields; used for both create and configuration updates. */
export function validateSettings(input: {
  Role?: string;
  Runtime?: string;
  Timeout?: number;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, string> };
}): void {
  if (input.Role !== undefined && !ROLE_ARN.test(input.Role)) {
    throw new AwsApiError(
      'ValidationException',
      400,
      `1 validation error detected: Value '${input.Role}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`,
    );
  }
  if (input.Runtime !== undefined && !/^nodejs\d+\.x$/.test(input.Runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${input.Runtime} is not supported by the local function host; use a nodejs runtime (e.g. nodejs22.x).`,
    );
  }
  const { timeoutSeconds: t, memoryMb: m } = LIMITS;
  if (input.Timeout !== undefined && (input.Timeout < t.min || input.Timeout > t.max)) {
    throw new AwsApiError(
      'ValidationException',
      400,
      `1 validation error detected: Value '${input.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value between ${t.min} and ${t.max}`,
    );
  }
  if (input.MemorySize !== undefined && (input.MemorySize < m.min || input.MemorySize > m.max)) {
    throw new AwsApiError(
      'ValidationException',
      400,
      `1 validation error detected: Value '${input.MemorySize}' at 'memorySize' failed to satisfy constraint: Member must have value between ${m.min} and ${m.max}`,
    );
  }
  const variables = input.Environment?.Variables ?? {};
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const badKey = Object.keys(variables).find((key) => !/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key));
  if (badKey !== undefined) {
    throw new AwsApiError(
      'ValidationException',
      400,
      `1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > LIMITS.environmentBytes) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

export function invalidParameter(message: string): AwsApiError {
  return new AwsApiError('InvalidParameterValueException', 400, message);
}

/** Lambda's timestamp format: ISO-8601 with a `+0000` offset. */
export function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}
