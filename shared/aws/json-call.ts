/**
 * One operation of an AWS JSON-protocol API (DynamoDB's JSON 1.0, CloudWatch Logs' JSON 1.1) as a
 * signed request without the SDK's per-call middleware (signed-http.ts says why), for the writes
 * on the trigger hot path. Retried as the SDK's standard mode retries: a throttle, a 5xx, a
 * connection that failed or timed out, up to three attempts with full-jitter exponential backoff
 * (100 ms base, 500 ms for throttles), never past the caller's signal. Only for operations that
 * are safe to repeat.
 */

import { signedService, type Timeouts } from './signed-http.ts';
import { isTransientAwsError } from './transient-errors.ts';

export interface JsonApi {
  /** The SigV4 service name (`dynamodb`, `logs`). */
  service: string;
  /** X-Amz-Target's prefix, e.g. `DynamoDB_20120810`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** An SDK command class of the API and an input naming the resource: for endpoint resolution. */
  endpointCommand: Parameters<typeof signedService>[2];
  endpointInput: Record<string, unknown>;
  timeouts: Timeouts;
}

export type JsonCall = (operation: string, input: unknown, signal?: AbortSignal) => Promise<unknown>;

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const THROTTLE_BASE_DELAY_MS = 500;
const THROTTLES = /Throttl|TooManyRequests|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown/;

export function awsJsonCall(client: { config: unknown }, api: JsonApi): JsonCall {
  const service = signedService(client, api.service, api.endpointCommand, api.endpointInput, api.timeouts);
  const contentType = `application/x-amz-json-${api.jsonVersion}`;
  return async (operation, input, signal) => {
    const body = Buffer.from(JSON.stringify(input));
    const headers = { 'content-type': contentType, 'x-amz-target': `${api.targetPrefix}.${operation}` };
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await service.send({ path: '/', headers, body, ...(signal ? { signal } : {}) });
        const text = answer.body.toString('utf8');
        return text ? JSON.parse(text) : {};
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || signal?.aborted || !isTransientAwsError(error)) throw error;
        const base = THROTTLES.test((error as Error).name) ? THROTTLE_BASE_DELAY_MS : BASE_DELAY_MS;
        await backoff(Math.random() * base * 2 ** (attempt - 1), signal).catch(() => {
          throw error;
        });
      }
    }
  };
}

function backoff(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
