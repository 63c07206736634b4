/**
 * What the CLI can fail with. Every error carries what to do next (`hint`) and the exit code:
 * 1 is reserved for "the trigger denied or failed" (a result, not a fault), 2 for everything else.
 */

export const EXIT = { ok: 0, outcome: 1, error: 2 } as const;

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
  }
}

/** Bad flags, files or project contents: the user's input, not the server. */
export class UsageError extends CliError {
  override name = 'UsageError';
}

/** The server answered with an error body (`{statusCode, error, message, errorCode}`). */
export class ApiError extends CliError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode: string | undefined,
    hint?: string,
  ) {
    super(message, hint);
  }
}

/** Nothing answered at the URL (refused, unknown host, timeout). */
export class UnreachableError extends CliError {
  override name = 'UnreachableError';
}
