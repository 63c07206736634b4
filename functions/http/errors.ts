/**
 * The one place errors become HTTP: Auth0's body `{ statusCode, error, message, errorCode }`.
 * Anything that is not a HookchainError is a bug or an outage: a 500 whose details go to the log.
 */
import { STATUS_CODES } from 'node:http';
import {
  ConcurrentModificationError,
  ConflictError,
  HookchainError,
  InsufficientScopeError,
  InvalidContinueStateError,
  InvalidEventError,
  LimitExceededError,
  NotFoundError,
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
];

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errorCode?: string;
}

export function errorBody(error: unknown): ErrorBody {
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
