/**
 * Which failures of an AWS dependency may pass: the service is unreachable (connection refused or
 * reset, a timeout), throttling, or answering its own 5xx. The AWS SDK v3 marks its errors with
 * `$metadata`, `$fault` and `$retryable`; a network error reaches us as Node's, with an errno code.
 * Anything else (a validation error, a missing table, a bug) is not transient.
 */

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'KMSInternalException',
]);

const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface SdkLike {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: unknown;
  cause?: unknown;
}

function transient(error: SdkLike): boolean {
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true;
  if (typeof error.name === 'string' && (THROTTLING.has(error.name) || TIMEOUTS.has(error.name))) return true;
  // An SDK error the service itself answered with a 5xx, or one the SDK considers retryable.
  return error.$metadata !== undefined && (error.$fault === 'server' || Boolean(error.$retryable));
}

export function isTransientAwsError(error: unknown): boolean {
  // The error itself, or what it wraps (a few levels at most: causes may be cyclic).
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    if (transient(current as SdkLike)) return true;
    current = (current as SdkLike).cause;
  }
  return false;
}
