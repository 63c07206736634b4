/**
 * The hot path's Invoke, without the SDK's middleware, must still be the request AWS accepts: the
 * SDK's endpoint, a SigV4 signature AWS verifies, the SDK's error names. Each spec talks to a
 * loopback server through a real socket; signatures are checked by a verifier written here from
 * AWS's published algorithm, itself checked against the SDK's own request.
 */
import type { ServerResponse } from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaInvoker } from '../../../shared/aws/lambda-invoker.ts';
import { AwsApiError } from '../../../shared/aws/signed-http.ts';
import {
  type CapturedRequest,
  type CaptureServer,
  startCaptureServer,
  verifySigV4,
} from '../../support/aws-api-capture.ts';

const CREDENTIALS = { accessKeyId: 'AKIDTESTINVOKER', secretAccessKey: 'invoker-secret' };
const TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000 };

let server: CaptureServer | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.stop();
  server = undefined;
});

/** A loopback Lambda that records each request and answers with `answer`. */
async function fakeLambda(answer?: (req: CapturedRequest, res: ServerResponse) => void) {
  server = await startCaptureServer(answer);
  return server;
}

const client = (
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = CREDENTIALS,
) => new LambdaClient({ region: 'eu-west-1', endpoint, credentials });

describe('lambdaInvoker', () => {
  it('sends the request the SDK sends, signed so that AWS verifies it', async () => {
    const { endpoint, requests } = await fakeLambda();
    const sdk = client(endpoint);
    const payload = Buffer.from(JSON.stringify({ event: { user: 'ü' } }));
    // A qualified name: its ':' is encoded in the path, and once more in the signed path.
    await sdk.send(new InvokeCommand({ FunctionName: 'hc-fn:live', Payload: payload }));
    await lambdaInvoker(sdk, TIMEOUTS)('hc-fn:live', payload);
    sdk.destroy();

    const [fromSdk, ours] = requests as [CapturedRequest, CapturedRequest];
    expect(verifySigV4(fromSdk, CREDENTIALS.secretAccessKey)).toBe(true);
    expect(verifySigV4(ours, CREDENTIALS.secretAccessKey)).toBe(true);
    expect(ours.method).toBe('POST');
    expect(ours.path).toBe(fromSdk.path);
    expect(ours.body.equals(payload)).toBe(true);
    expect(ours.headers.authorization).toMatch(
      /Credential=AKIDTESTINVOKER\/\d{8}\/eu-west-1\/lambda\/aws4_request/,
    );
  });

  it('signs with a session token when the credentials carry one', async () => {
    const { endpoint, requests } = await fakeLambda();
    const sdk = client(endpoint, { ...CREDENTIALS, sessionToken: 'role-session' });
    await lambdaInvoker(sdk, TIMEOUTS)('fn', Buffer.from('{}'));
    sdk.destroy();
    const [request] = requests as [CapturedRequest];
    expect(request.headers['x-amz-security-token']).toBe('role-session');
    expect(String(request.headers.authorization)).toContain('x-amz-security-token');
    expect(verifySigV4(request, CREDENTIALS.secretAccessKey)).toBe(true);
  });

  it('finds its endpoint as the SDK does, from AWS_ENDPOINT_URL_LAMBDA', async () => {
    const { endpoint, requests } = await fakeLambda();
    vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', endpoint);
    const sdk = new LambdaClient({ region: 'eu-west-1', credentials: CREDENTIALS });
    await lambdaInvoker(sdk, TIMEOUTS)('fn', Buffer.from('{}'));
    sdk.destroy();
    expect(requests).toHaveLength(1);
  });

  it("answers the function's payload, and Lambda's function error when the function failed", async () => {
    const { endpoint } = await fakeLambda((req, res) => {
      if (req.path.includes('/failing/')) {
        res.writeHead(200, { 'X-Amz-Function-Error': 'Unhandled' });
        res.end('{"errorType":"Error","errorMessage":"boom"}');
      } else res.end('{"ok":true}');
    });
    const invoke = lambdaInvoker(client(endpoint), TIMEOUTS);
    const ok = await invoke('working', Buffer.from('{}'));
    expect(JSON.parse(ok.payload.toString())).toEqual({ ok: true });
    expect(ok.functionError).toBeUndefined();
    const failed = await invoke('failing', Buffer.from('{}'));
    expect(failed.functionError).toBe('Unhandled');
    expect(JSON.parse(failed.payload.toString())).toMatchObject({ errorMessage: 'boom' });
  });

  it('names an API error as the SDK names its exception, from the header or the body', async () => {
    const { endpoint } = await fakeLambda((req, res) => {
      if (req.path.includes('/throttled/')) {
        res.writeHead(429, { 'X-Amzn-ErrorType': 'TooManyRequestsException:http://internal.amazon.com/' });
        res.end('{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","message":"Rate exceeded"}');
      } else {
        res.writeHead(404);
        res.end('{"__type":"com.amazonaws.lambda#ResourceNotFoundException","Message":"Function not found"}');
      }
    });
    const invoke = lambdaInvoker(client(endpoint), TIMEOUTS);
    const throttled = await invoke('throttled', Buffer.from('{}')).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(AwsApiError);
    expect(throttled).toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate exceeded',
      statusCode: 429,
    });
    await expect(invoke('missing', Buffer.from('{}'))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found',
      statusCode: 404,
    });
  });

  it('gives up at the abort signal, and at its own request timeout', async () => {
    const { endpoint } = await fakeLambda(() => {
      // Never answers: a function still running.
    });
    const sdk = client(endpoint);
    const aborted = lambdaInvoker(sdk, TIMEOUTS)('slow', Buffer.from('{}'), {
      signal: AbortSignal.timeout(50),
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const timedOut = lambdaInvoker(sdk, { connectionTimeoutMs: 1_000, requestTimeoutMs: 50 })(
      'slow',
      Buffer.from('{}'),
    );
    await expect(timedOut).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('fails, without retrying, when the connection is reset before the answer', async () => {
    const { endpoint, requests } = await fakeLambda((req, res) => {
      void req;
      res.socket?.destroy();
    });
    await expect(lambdaInvoker(client(endpoint), TIMEOUTS)('fn', Buffer.from('{}'))).rejects.toThrow();
    expect(requests).toHaveLength(1);
  });

  it('keeps its connection alive between invokes', async () => {
    const { endpoint, requests } = await fakeLambda();
    const invoke = lambdaInvoker(client(endpoint), TIMEOUTS);
    for (let i = 0; i < 3; i++) await invoke('fn', Buffer.from('{}'));
    expect(new Set(requests.map((r) => r.remotePort)).size).toBe(1);
  });
});
