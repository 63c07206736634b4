/**
 * What a Hookchain client call can fail with. The errors carry facts (status, code, the server's
 * message, what was waited on), never advice: each front end says what to do next in its own
 * words (the CLI maps them to terminal hints in cli/errors.ts, the dashboard shows the message).
 */

/** The family of every failure this client throws. */
export class ClientError extends Error {
  override name = 'ClientError';
}

/** The server answered with an error body (`{statusCode, error, message, errorCode}`). */
export class ApiError extends ClientError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode: string | undefined,
    /** The base URL the client talks to, to name the server in messages. */
    readonly baseUrl: string,
    /** Whether the request carried a token (a 401 without one needs a different fix). */
    readonly tokenSent: boolean,
  ) {
    super(message);
  }

  /** The token is missing, wrong or expired: the user must sign in again. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** Nothing answered at the base URL (refused, unknown host, timeout): status 0, `network_error`. */
export class UnreachableError extends ApiError {
  override name = 'UnreachableError';
  constructor(
    baseUrl: string,
    tokenSent: boolean,
    /** The network's reason when the platform names one (`ECONNREFUSED`, `ETIMEDOUT`, ...). */
    readonly networkCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      0,
      `Could not reach Hookchain at ${baseUrl}${networkCode ? ` (${networkCode})` : ''}.`,
      'network_error',
      baseUrl,
      tokenSent,
    );
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A draft's or version's build failed: the errors are the tenant's to fix. */
export class BuildFailedError extends ClientError {
  override name = 'BuildFailedError';
  constructor(
    readonly actionName: string,
    readonly errors: ReadonlyArray<{ id: string; msg: string }>,
  ) {
    super(
      `The build of '${actionName}' failed:\n${errors.map((e) => `  - ${e.msg}`).join('\n') || '  (no details)'}`,
    );
  }
}

/** A wait for a build or a deploy ran past its bound. */
export class WaitTimeoutError extends ClientError {
  override name = 'WaitTimeoutError';
  constructor(
    /** What was waited for, e.g. "the build of 'greet'". */
    readonly awaited: string,
  ) {
    super(`Timed out waiting for ${awaited}.`);
  }
}
