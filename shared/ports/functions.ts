/**
 * Where action code runs: one function per action version (Lambda on AWS, the local function host
 * on a laptop). What the platform needs from it, in its own words; adapters: `lambdaFunctionHost`
 * (shared/aws/lambda-function-host.ts) and `memoryFunctionHost` (shared/memory/function-host.ts).
 */
export interface FunctionSpec {
  name: string;
  zip: Uint8Array;
  roleArn: string;
  architecture: 'arm64' | 'x86_64';
  memoryMb: number;
  timeoutSeconds: number;
  tags: Record<string, string>;
  environment?: Record<string, string>;
}

export interface InvokeResult {
  /** The parsed JSON response, or the error payload when `functionError` is set. */
  payload: unknown;
  /** Lambda's `X-Amz-Function-Error`: the function crashed, timed out or threw. */
  functionError?: string;
}

export interface InvokeOptions {
  /** Aborts the request (and any wait before a retry) when the caller stops waiting. */
  signal?: AbortSignal;
}

export interface DeployOptions {
  /**
   * Asked (with a consistent read) right before an existing function's code changes. A function
   * that several builds share (an action's draft) must only ever take the newest build's code: a
   * slower build of an older revision finds itself superseded and leaves the function alone. (A
   * function that does not exist yet is created without asking: no newer build has put code there,
   * and a newer build still to come will update it.)
   */
  stillWanted?: () => Promise<boolean>;
}

/** `superseded`: `stillWanted` said no, and the function was left as it was. */
export type DeployOutcome = 'deployed' | 'superseded';

export interface FunctionHost {
  /**
   * Creates the function (its log group first, with retention), or replaces its code and settings
   * (memory, timeout, role, environment) when it exists; its architecture and tags stay as it was
   * created with (they follow from its name: whose it is, and the platform's). With `stillWanted`
   * saying no, nothing about an existing function changes. Resolves once it can be invoked. Throws CodeStorageFullError when the account's
   * code storage is exhausted.
   */
  deploy(spec: FunctionSpec, options?: DeployOptions): Promise<DeployOutcome>;
  /**
   * At most one run per call: only a throttle (nothing ran) is retried, within `signal`. A throw,
   * a timeout or code that does not load comes back as `functionError: 'Unhandled'` with Lambda's
   * error document (`errorType`, `errorMessage`) as the payload. A function that does not exist
   * rejects with an error named `ResourceNotFoundException` (Lambda's own name for it).
   */
  invoke(name: string, payload: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  /** Deletes the function and its log group. Idempotent. */
  delete(name: string): Promise<void>;
  /** The account's code storage: what every function's code takes, and the quota (75 GB by default). */
  codeStorage(): Promise<{ usedBytes: number; limitBytes: number }>;
}

/** The account's Lambda code storage (75 GB by default) is full: no function can be created. */
export class CodeStorageFullError extends Error {
  override name = 'CodeStorageFullError';
}
