/**
 * The one place errors become HTTP: Auth0's body `{ statusCode, error, message, errorCode }`.
 * A dependency that is down, throttling or failing for now (DynamoDB, SQS, Lambda, KMS, Logs) is
 * a 503 `service_unavailable` the caller may retry; anything else that is not a HookchainError
 * is a bug: a 500 whose details go to the log.
 */
import { STATUS_CODES } from 'node:http';
import { isTransientAwsError } from '../../shared/aws/transient-errors.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  HookchainError,
  InsufficientScopeError,
  InvalidContinueStateError,
  InvalidEventError,
  LimitExceededError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthorizedError,
  UnknownTriggerError,
  ValidationError,
} from '../../shared/errors.ts';

export class HttpError extends HookchainError {
  constructor(
    readonly statusCode: number,
    message: string,
    code = 'http_error',
  ) {
    super(code, message);
  }
}

const STATUS_BY_CLASS: Array<[new (...args: never[]) => HookchainError, number]> = [
  [ValidationError, 400],
  [InvalidEventError, 400],
  [InvalidContinueStateError, 400],
  [LimitExceededError, 400],
  [UnauthorizedError, 401],
  [InsufficientScopeError, 403],
  [NotFoundError, 404],
  [UnknownTriggerError, 404],
  [ConflictError, 409],
  [ConcurrentModificationError, 409],
  [ServiceUnavailableError, 503],
];

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
}

export function errorBody(error: unknown): ErrorBody {
  if (!(error instanceof HookchainError) && isTransientAwsError(error))
    return errorBody(new ServiceUnavailableError(undefined, { cause: error }));
  if (error instanceof HttpError) {
    return {
      statusCode: error.statusCode,
      error: STATUS_CODES[error.statusCode] ?? 'Error',
      message: error.message,
      errorCode: error.code,
    };
  }
  if (error instanceof HookchainError) {
    const status = STATUS_BY_CLASS.find(([type]) => error instanceof type)?.[1] ?? 400;
    return {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message: error.message,
      errorCode: error.code,
    };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'An internal server error occurred' };
}

/**
 * A body over API Gateway's own 10 MB never reaches a function: the gateway answers it with this,
 * configured as a gateway response on AWS (infra/aws/api.ts) and mirrored by the local front.
 */
export const GATEWAY_REQUEST_TOO_LARGE: ErrorBody = {
  statusCode: 413,
  error: 'Payload Too Large',
  message: 'Request body too large: at most 1048576 bytes.',
  errorCode: 'payload_too_large',
};
