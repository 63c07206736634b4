import { gunzipSync, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';
import { rawRequest } from '../../support/raw-http.ts';

let stack: TestStack;
let seen: APIGatewayProxyEvent | undefined;

beforeAll(async () => {
  stack = await startTestStack({
    integrationTimeoutMs: 300,
    routes: [
      {
        pathPrefix: '/api/v2',
        name: 'management-api',
        handler: async (event, context) => {
          seen = event;
          return {
            statusCode: 201,
            headers: { 'x-function': context.functionName },
            multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
            body: JSON.stringify({ remaining: context.getRemainingTimeInMillis() > 0 }),
          };
        },
      },
    ],
  });
  stack.addRoute({
    method: 'POST',
    pathPrefix: '/api/v2/crash',
    handler: async () => {
      throw new Error('boom');
    },
  });
  stack.addRoute({ pathPrefix: '/slow', handler: () => new Promise(() => {}) });
  stack.addRoute({
    pathPrefix: '/static',
    handler: async (event) => {
      const gzipped = gzipSync('x'.repeat(2000));
      const headers = { 'content-type': 'text/plain', 'content-encoding': 'gzip', etag: '"v1"' };
      if (event.headers['if-none-match'] === '"v1"') return { statusCode: 304, headers, body: '' };
      if (event.httpMethod === 'HEAD') return { statusCode: 200, headers, body: '' };
      return { statusCode: 200, headers, body: gzipped.toString('base64'), isBase64Encoded: true };
    },
  });
  stack.addRoute({ pathPrefix: '/malformed', handler: async () => ({ body: 'no status' }) as never });
  stack.addRoute({
    pathPrefix: '/binary',
    handler: async (event) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: event.isBase64Encoded ? (event.body ?? '') : Buffer.from(event.body ?? '').toString('base64'),
      isBase64Encoded: true,
    }),
  });
});
afterAll(async () => {
  await stack?.stop();
});

const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
  rawRequest(stack.url, path, { method, headers });

describe('API front (REST API v1 proxy integration)', () => {
  it('answers /health once everything is ready', async () => {
    const res = await fetch(`${stack.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', endpoints: stack.endpoints });
  });

  it('turns a request into a proxy event and the result back into a response', async () => {
    const res = await fetch(`${stack.url}/api/v2/actions/actions?page=1&tag=a&tag=b`, {
      method: 'PATCH',
      headers: { 'X-Custom': 'yes', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-function')).toBe('management-api');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ remaining: true });
    expect(seen).toMatchObject({
      httpMethod: 'PATCH',
      path: '/api/v2/actions/actions',
      resource: '/api/v2/{proxy+}',
      pathParameters: { proxy: 'actions/actions' },
      queryStringParameters: { page: '1', tag: 'b' },
      multiValueQueryStringParameters: { page: ['1'], tag: ['a', 'b'] },
      headers: { 'X-Custom': 'yes' },
      multiValueHeaders: { 'X-Custom': ['yes'] },
      // The API's binary media types are */* (for the dashboard): on AWS every body arrives base64.
      body: Buffer.from('{"name":"x"}').toString('base64'),
      isBase64Encoded: true,
      requestContext: {
        stage: 'local',
        path: '/api/v2/actions/actions',
        httpMethod: 'PATCH',
        resourcePath: '/api/v2/{proxy+}',
      },
    });
    expect(seen?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-amzn-requestid')).toBe(seen?.requestContext.requestId);
  });

  it('passes binary bodies base64-encoded both ways', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x10]);
    const res = await fetch(`${stack.url}/binary`, { method: 'POST', body: bytes });
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('passes Content-Encoding and base64 bytes through; HEAD and 304 carry no body and no length of their own', async () => {
    const get = await raw('GET', '/static');
    expect(get.headers['content-encoding']).toBe('gzip');
    expect(Number(get.headers['content-length'])).toBe(get.body.length);
    expect(gunzipSync(get.body).toString()).toBe('x'.repeat(2000));
    // Node's fetch decompresses, as a browser does.
    expect(await (await fetch(`${stack.url}/static`)).text()).toBe('x'.repeat(2000));

    const head = await raw('HEAD', '/static');
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({ 'content-encoding': 'gzip', etag: '"v1"' });
    expect(head.headers['content-length']).toBeUndefined();
    expect(head.body.length).toBe(0);

    const notModified = await raw('GET', '/static', { 'if-none-match': '"v1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-length']).toBeUndefined();
    expect(notModified.headers.etag).toBe('"v1"');
  });

  it('answers 502 when the handler throws or returns a malformed result', async () => {
    const crash = await fetch(`${stack.url}/api/v2/crash`, { method: 'POST' });
    expect(crash.status).toBe(502);
    expect(await crash.json()).toEqual({ message: 'Internal server error' });
    const malformed = await fetch(`${stack.url}/malformed`);
    expect(malformed.status).toBe(502);
  });

  it('answers 504 past the integration timeout', async () => {
    const res = await fetch(`${stack.url}/slow`);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ message: 'Endpoint request timed out' });
  });

  it('answers 403 Missing Authentication Token for unknown routes and methods', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['GET', '/api/v2x'],
    ]) {
      const res = await fetch(`${stack.url}${path}`, { method });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    }
    // A method-specific route does not answer other methods; the ANY route behind it does.
    const get = await fetch(`${stack.url}/api/v2/crash`);
    expect(get.status).toBe(201);
  });
});

describe('API front in the AWS-faithful mode: everything under the stage, as on execute-api', () => {
  let aws: TestStack;
  let event: APIGatewayProxyEvent | undefined;

  beforeAll(async () => {
    aws = await startTestStack({ fidelity: awsFidelity({ gateway: { stage: 'dev' } }) });
    aws.addRoute({
      pathPrefix: '/api/v2',
      handler: async (e) => {
        event = e;
        return { statusCode: 200, body: '{}' };
      },
    });
  });
  afterAll(async () => {
    await aws?.stop();
  });

  it('is reached at <origin>/dev, and /health stays at the origin (it is the local stack’s, not the API’s)', async () => {
    expect(aws.url).toBe(`${aws.origin}/dev`);
    expect((await fetch(`${aws.origin}/health`)).status).toBe(200);
    expect((await fetch(`${aws.url}/health`)).status).toBe(200);
  });

  it('puts the resource path in event.path and the stage and the full path in the request context', async () => {
    const res = await fetch(`${aws.url}/api/v2/actions/actions?x=1`, { headers: { 'x-custom': 'yes' } });
    expect(res.status).toBe(200);
    expect(event).toMatchObject({
      path: '/api/v2/actions/actions',
      resource: '/api/v2/{proxy+}',
      pathParameters: { proxy: 'actions/actions' },
      headers: { host: new URL(aws.origin).host, 'x-custom': 'yes' },
      requestContext: {
        stage: 'dev',
        path: '/dev/api/v2/actions/actions',
        resourcePath: '/api/v2/{proxy+}',
        domainName: new URL(aws.origin).host,
      },
    });
  });

  it('answers a path without the stage as API Gateway does: 403 Forbidden, before any route', async () => {
    for (const path of ['/', '/api/v2/actions/actions', '/dashboard/']) {
      const res = await fetch(`${aws.origin}${path}`);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
      expect(await res.json()).toEqual({ message: 'Forbidden' });
    }
    expect(event?.path).not.toBe('/api/v2/actions/actions/x');
  });

  it('answers the stage root and unknown resources under it 403 Missing Authentication Token', async () => {
    for (const path of ['', '/', '/nowhere']) {
      const res = await fetch(`${aws.url}${path}`);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    }
  });
});

describe("Lambda's 6 MiB payload limits behind the front, in every mode, as on AWS", () => {
  let hc: TestHookchain;
  beforeAll(async () => {
    hc = await startTestHookchain();
    hc.stack.addRoute({
      pathPrefix: '/huge',
      handler: async () => ({ statusCode: 200, body: 'x'.repeat(7 * 1024 * 1024) }),
    });
  });
  afterAll(async () => {
    await hc?.stop();
  });

  const postJson = (bytes: number) =>
    fetch(`${hc.url}/api/v2/actions/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hc.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', code: 'x'.repeat(bytes) }),
    });

  it('a JSON body over the API limit that fits Lambda base64-encoded gets Auth0’s 413 from the function', async () => {
    const res = await postJson(2 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413, errorCode: 'payload_too_large' });
  });

  it('a ~5 MB JSON body, base64-encoded past 6 MiB, is refused before the function: 413 Request Too Long', async () => {
    const res = await postJson(5 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await res.json()).toEqual({ message: 'Request Too Long' });
  });

  it('an answer over 6 MiB is a 502, as when Lambda fails the invocation', async () => {
    const res = await fetch(`${hc.url}/huge`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });
});
