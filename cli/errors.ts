/**
 * What the CLI can fail with. Every error carries what to do next (`hint`) and the exit code:
 * 1 is reserved for "the trigger denied or failed" (a result, not a fault), 2 for everything else.
 * The client's typed errors (shared/client) say what happened; `explain` adds the CLI's advice.
 */
import {
  ApiError,
  BuildFailedError,
  ClientError,
  UnreachableError,
  WaitTimeoutError,
} from '../shared/client/index.ts';

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

export interface Explained {
  message: string;
  hint?: string;
  exitCode: number;
}

const withHint = (message: string, hint?: string): Explained => ({
  message,
  ...(hint ? { hint } : {}),
  exitCode: EXIT.error,
});

/** The server's answer, in the CLI's words: what to do next depends on the status. */
function explainApiError(error: ApiError): Explained {
  if (error instanceof UnreachableError) {
    const code = error.networkCode ? ` (${error.networkCode})` : '';
    return withHint(
      `Could not reach Hookchain at ${error.baseUrl} — is \`npm start\` running?${code}`,
      'Start the local stack with `npm start`, or point the CLI at another server with --url, HOOKCHAIN_URL or `hookchain login`.',
    );
  }
  if (error.status === 401) {
    return withHint(
      `${error.baseUrl} refused the token: ${error.message}`,
      error.tokenSent
        ? 'Run `hookchain login --url <url> --token <token>` with a valid token, or set HOOKCHAIN_TOKEN.'
        : 'No token was sent: run `hookchain login --url <url> --token <token>`, or set HOOKCHAIN_TOKEN.',
    );
  }
  if (error.status === 403) {
    return withHint(
      error.message,
      'Use a token with that scope; an operator can issue one with `hookchain tokens create <tenant> --name <name>`.',
    );
  }
  if (error.status === 429) return withHint(error.message, 'Too many requests: wait a moment and retry.');
  if (error.status >= 500) {
    return withHint(
      `Hookchain failed (${error.status}): ${error.message}`,
      'This is a server problem, not your input; check the server logs (the `npm start` terminal locally).',
    );
  }
  return withHint(error.message);
}

/** A failure as the CLI reports it, or undefined for one it does not know (a bug: print the stack). */
export function explain(error: unknown): Explained | undefined {
  if (error instanceof CliError) return { ...withHint(error.message, error.hint), exitCode: error.exitCode };
  if (error instanceof ApiError) return explainApiError(error);
  if (error instanceof BuildFailedError) {
    return withHint(
      error.message,
      'Fix the code or dependencies and push (or `hookchain actions update`) again.',
    );
  }
  if (error instanceof WaitTimeoutError) {
    return withHint(error.message, 'The builder may be stuck or busy: check the server logs, then retry.');
  }
  if (error instanceof ClientError) return withHint(error.message);
  return undefined;
}
