/**
 * The hot path's Invoke, without the SDK's middleware, must still be the request AWS accepts: the
 * SDK's endpoint, a SigV4 signature AWS verifies, the SDK's error names. Each spec talks to a
 * loopback server through a real socket; signatures are checked by a verifier written here from
 * AWS's published algorithm, itself checked against the SDK's own request.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaApiError, lambdaInvoker } from '../../../shared/aws/lambda-invoker.ts';

const CREDENTIALS = { accessKeyId: 'AKIDTESTINVOKER', secretAccessKey: 'invoker-secret' };
const TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000 };

interface Captured {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  remotePort: number;
}

let server: Server | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A loopback Lambda that records each request and answers with `answer`. */
async function fakeLambda(
  answer: (req: Captured, res: ServerResponse) => void = (_req, res) => res.end('null'),
) {
  const requests: Captured[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const captured = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        remotePort: req.socket.remotePort ?? 0,
      };
      requests.push(captured);
      answer(captured, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, requests };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** AWS Signature Version 4 as documented (non-S3: each path segment encoded once more). */
function verifySigV4(req: Captured, secretAccessKey: string): boolean {
  const authorization = String(req.headers.authorization ?? '');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return false;
  const [, , date, region, service, signedHeaders, signature] = match as unknown as string[];
  const names = (signedHeaders as string).split(';');
  const canonicalPath = req.path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const canonicalHeaders = names.map((name) => `${name}:${String(req.headers[name]).trim()}\n`).join('');
  const canonicalRequest = [
    req.method,
    canonicalPath,
    '',
    canonicalHeaders,
    signedHeaders,
    sha256(req.body),
  ].join('\n');
  const amzDate = String(req.headers['x-amz-date']);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date as string), region as string), service as string),
    'aws4_request',
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex') === signature;
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

    const [fromSdk, ours] = requests as [Captured, Captured];
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
    const [request] = requests as [Captured];
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
    expect(throttled).toBeInstanceOf(LambdaApiError);
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
