/**
 * Lambda's Invoke (RequestResponse) as the hot path makes it, once per action in sequence on every
 * login: one signed request (signed-http.ts), without the SDK's per-call middleware.
 *
 * One attempt, no retries: an Invoke that failed after the function ran must not run it again
 * (the caller retries throttles, which Lambda answers before running anything). A Lambda API error
 * is an AwsApiError named as the SDK names its exceptions (`TooManyRequestsException`, ...).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { signedService, type Timeouts } from './signed-http.ts';

export interface InvokeAnswer {
  /** The function's answer, as the bytes it returned. */
  payload: Buffer;
  /** Lambda's X-Amz-Function-Error: the function failed (`Unhandled`), and `payload` says how. */
  functionError?: string;
}

export type LambdaInvoker = (
  functionName: string,
  payload: Uint8Array,
  options?: { signal?: AbortSignal },
) => Promise<InvokeAnswer>;

export function lambdaInvoker(client: LambdaClient, timeouts: Timeouts): LambdaInvoker {
  // Lambda's endpoint rules do not depend on the function: any name resolves the same endpoint.
  const lambda = signedService(client, 'lambda', InvokeCommand, { FunctionName: 'any' }, timeouts);
  return async (functionName, payload, { signal } = {}) => {
    const answer = await lambda.send({
      path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
      headers: { 'content-type': 'application/json' },
      body: payload,
      ...(signal ? { signal } : {}),
    });
    const functionError = answer.headers['x-amz-function-error'];
    return typeof functionError === 'string'
      ? { payload: answer.body, functionError }
      : { payload: answer.body };
  };
}
