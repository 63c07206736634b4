/**
 * An error answered to an AWS SDK client. `code` is the exception name the SDK raises
 * (e.g. `ResourceNotFoundException`); each server serialises it in its own protocol's shape.
 */
export class AwsApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Lambda's `Type` field: the caller's fault or the service's. */
  readonly faultType: 'User' | 'Service';

  constructor(code: string, status: number, message: string, faultType: 'User' | 'Service' = 'User') {
    super(message);
    this.name = 'AwsApiError';
    this.code = code;
    this.status = status;
    this.faultType = faultType;
  }
}

/** The body limit of a request was exceeded while reading it. */
export class PayloadTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`Request must be smaller than ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
    this.limit = limit;
  }
}
