/**
 * The dashboard handler on proxy events shaped as API Gateway sends them (`/dashboard` and
 * `/dashboard/{proxy+}` resources, `{proxy+}` decoded), serving a fixture build from a temp dir.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardHandler, MAX_PAYLOAD_BYTES } from '../../../functions/dashboard/handler.ts';
import { CONTENT_SECURITY_POLICY } from '../../../functions/dashboard/security-headers.ts';
import { type DashboardFixture, writeDashboardFixture } from '../../support/dashboard-fixture.ts';

const SCRIPT = 'assets/index-B7x2kQ9a.js';

interface Request {
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string[]>;
  /** The prefix before the API's own path: the stage on an execute-api URL. */
  stage?: string;
}

/** A REST API proxy event for `path` (as the client sent it, still percent-encoded). */
function proxyEvent(path: string, request: Request = {}): APIGatewayProxyEvent {
  const method = request.method ?? 'GET';
  const rest = path.slice('/dashboard/'.length);
  const proxy = path.startsWith('/dashboard/') && rest !== '' ? decodeURIComponent(rest) : undefined;
  const headers = request.headers ?? {};
  const query = request.query;
  const stage = request.stage ?? 'dev';
  return {
    resource: proxy === undefined ? '/dashboard' : '/dashboard/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v[v.length - 1] as string]))
      : null,
    multiValueQueryStringParameters: query ?? null,
    pathParameters: proxy === undefined ? null : { proxy },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { path: `/${stage}${path}`, stage, httpMethod: method } as never,
  };
}

let fixture: DashboardFixture;
let serve: (path: string, request?: Request) => Promise<APIGatewayProxyResult>;
const headersOf = (reply: APIGatewayProxyResult) => reply.headers as Record<string, string>;
const bytesOf = (reply: APIGatewayProxyResult) =>
  Buffer.from(reply.body, reply.isBase64Encoded ? 'base64' : 'utf8');

beforeAll(async () => {
  fixture = await writeDashboardFixture();
  const handler = createDashboardHandler({ root: fixture.dir });
  serve = (path, request) => handler(proxyEvent(path, request), {} as Context);
});
afterAll(() => fixture?.remove());

describe('GET /dashboard/: the single-page app', () => {
  it('answers index.html as HTML, revalidated on every visit, with the security headers', async () => {
    const reply = await serve('/dashboard/');
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe(fixture.files['index.html']?.toString());
    expect(reply.isBase64Encoded).toBe(false);
    expect(headersOf(reply)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      etag: expect.stringMatching(/^"[\w-]{27}"$/),
    });
    expect(headersOf(reply)['content-encoding']).toBeUndefined();
    expect((await serve('/dashboard/index.html')).body).toBe(reply.body);
  });

  it('the policy lets a Vite + Monaco app run from its own origin, and nothing else', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; " +
        "base-uri 'self'; form-action 'self'",
    );
  });

  it('/dashboard redirects to /dashboard/ with a relative Location, so the stage prefix is kept', async () => {
    const reply = await serve('/dashboard', { stage: 'prod' });
    expect(reply.statusCode).toBe(301);
    expect(headersOf(reply).location).toBe('dashboard/');
    expect(new URL(headersOf(reply).location as string, 'https://api.example/prod/dashboard').href).toBe(
      'https://api.example/prod/dashboard/',
    );
    expect(reply.body).toBe('');
  });

  it('the redirect keeps the query', async () => {
    const reply = await serve('/dashboard', { query: { tab: ['logs'], q: ['a b', 'c&d'] } });
    expect(headersOf(reply).location).toBe('dashboard/?tab=logs&q=a+b&q=c%26d');
  });
});

describe('assets', () => {
  it('are cached for a year and sent as they are to a client that does not take gzip', async () => {
    const reply = await serve(`/dashboard/${SCRIPT}`);
    expect(reply.statusCode).toBe(200);
    expect(reply.isBase64Encoded).toBe(false);
    expect(reply.body).toBe(fixture.files[SCRIPT]?.toString('utf8'));
    expect(headersOf(reply)).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    expect(headersOf(reply)['content-encoding']).toBeUndefined();
    // A script is not a document: the policy belongs on the HTML that loads it.
    expect(headersOf(reply)['content-security-policy']).toBeUndefined();
  });

  it('go gzip-compressed and base64-encoded to a client that takes gzip', async () => {
    const reply = await serve(`/dashboard/${SCRIPT}`, {
      headers: { 'Accept-Encoding': 'gzip, deflate, br' },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.isBase64Encoded).toBe(true);
    expect(headersOf(reply)).toMatchObject({ 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
    const gzipped = Buffer.from(reply.body, 'base64');
    expect(gzipped.length).toBeLessThan((fixture.files[SCRIPT] as Buffer).length / 4);
    expect(gunzipSync(gzipped)).toEqual(fixture.files[SCRIPT]);
  });

  it.each([
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['*', true],
    ['br;q=1.0, gzip;q=0.5', true],
    ['br', false],
    ['identity', false],
    ['gzip;q=0', false],
    ['*, gzip;q=0', false],
    ['*;q=0', false],
    ['', false],
  ])('Accept-Encoding: %s -> gzip %s', async (acceptEncoding, gzipped) => {
    const reply = await serve(`/dashboard/${SCRIPT}`, { headers: { 'accept-encoding': acceptEncoding } });
    expect(headersOf(reply)['content-encoding'] === 'gzip').toBe(gzipped);
    expect(bytesOf(reply).equals(fixture.files[SCRIPT] as Buffer)).toBe(!gzipped);
  });

  it('small text is not worth compressing: sent as it is, whatever the client takes', async () => {
    const reply = await serve('/dashboard/assets/index-Cw3dE1fG.css', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(reply.body).toBe('body{margin:0}#root{height:100vh}');
    expect(headersOf(reply)['content-type']).toBe('text/css; charset=utf-8');
    expect(headersOf(reply)['content-encoding']).toBeUndefined();
    expect(headersOf(reply).vary).toBeUndefined();
  });

  it('svg over the threshold is compressed like other text', async () => {
    const reply = await serve('/dashboard/assets/logo-Dq8sV2hJ.svg', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(headersOf(reply)).toMatchObject({ 'content-type': 'image/svg+xml', 'content-encoding': 'gzip' });
    expect(gunzipSync(bytesOf(reply))).toEqual(fixture.files['assets/logo-Dq8sV2hJ.svg']);
  });

  it('binary files are always base64, never compressed again', async () => {
    for (const [file, type] of [
      ['assets/codicon-Ee4rT6yU.ttf', 'font/ttf'],
      ['favicon.png', 'image/png'],
    ] as const) {
      const reply = await serve(`/dashboard/${file}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(reply.isBase64Encoded, file).toBe(true);
      expect(Buffer.from(reply.body, 'base64')).toEqual(fixture.files[file]);
      expect(headersOf(reply)['content-type']).toBe(type);
      expect(headersOf(reply)['content-encoding']).toBeUndefined();
    }
    expect(headersOf(await serve('/dashboard/favicon.png'))['cache-control']).toBe('no-cache');
  });

  it('compress: false sends every file as it is', async () => {
    const handler = createDashboardHandler({ root: fixture.dir, compress: false });
    const reply = await handler(
      proxyEvent(`/dashboard/${SCRIPT}`, { headers: { 'accept-encoding': 'gzip' } }),
      {} as Context,
    );
    expect(reply.body).toBe(fixture.files[SCRIPT]?.toString('utf8'));
    expect(headersOf(reply)['content-encoding']).toBeUndefined();
  });
});

describe('conditional requests', () => {
  it('If-None-Match with the current ETag is a 304 without a body', async () => {
    const first = await serve(`/dashboard/${SCRIPT}`);
    const etag = headersOf(first).etag as string;
    const again = await serve(`/dashboard/${SCRIPT}`, { headers: { 'If-None-Match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(headersOf(again)).toMatchObject({
      etag,
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
    });
  });

  it('weak, listed and wildcard validators match; another file’s does not', async () => {
    const etag = headersOf(await serve('/dashboard/')).etag as string;
    for (const ifNoneMatch of [`W/${etag}`, `"other", ${etag}`, '*']) {
      expect((await serve('/dashboard/', { headers: { 'if-none-match': ifNoneMatch } })).statusCode).toBe(
        304,
      );
    }
    const other = headersOf(await serve(`/dashboard/${SCRIPT}`)).etag as string;
    expect((await serve('/dashboard/', { headers: { 'if-none-match': other } })).statusCode).toBe(200);
  });

  it('the gzip and plain answers have ETags of their own', async () => {
    const plain = headersOf(await serve(`/dashboard/${SCRIPT}`)).etag as string;
    const gzipped = await serve(`/dashboard/${SCRIPT}`, { headers: { 'accept-encoding': 'gzip' } });
    const gzipEtag = headersOf(gzipped).etag as string;
    expect(gzipEtag).not.toBe(plain);
    const revalidate = (etag: string) =>
      serve(`/dashboard/${SCRIPT}`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    expect((await revalidate(gzipEtag)).statusCode).toBe(304);
    expect((await revalidate(plain)).statusCode).toBe(200);
  });

  it('a rebuilt file has a new ETag and is served at once', async () => {
    const own = await writeDashboardFixture();
    try {
      const handler = createDashboardHandler({ root: own.dir });
      const get = () => handler(proxyEvent('/dashboard/'), {} as Context);
      const before = await get();
      await writeFile(join(own.dir, 'index.html'), '<!doctype html><title>rebuilt</title>');
      const after = await get();
      expect(after.body).toBe('<!doctype html><title>rebuilt</title>');
      expect(headersOf(after).etag).not.toBe(headersOf(before).etag);
    } finally {
      await own.remove();
    }
  });
});

describe('HEAD', () => {
  it('has the headers GET has, and no body', async () => {
    const get = await serve(`/dashboard/${SCRIPT}`, { headers: { 'accept-encoding': 'gzip' } });
    const head = await serve(`/dashboard/${SCRIPT}`, {
      method: 'HEAD',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.isBase64Encoded).toBeFalsy();
    expect(head.headers).toEqual(get.headers);
    const missing = await serve('/dashboard/nope.js', { method: 'HEAD' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toBe('');
  });
});

describe('refusals', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '%s is 405 with Allow: GET, HEAD',
    async (method) => {
      const reply = await serve('/dashboard/', { method });
      expect(reply.statusCode).toBe(405);
      expect(headersOf(reply)).toMatchObject({
        allow: 'GET, HEAD',
        'content-type': 'text/html; charset=utf-8',
      });
    },
  );

  it('an unknown file is a small HTML 404 that echoes nothing from the request', async () => {
    const reply = await serve('/dashboard/assets/%3Cscript%3Ealert(1)%3C%2Fscript%3E.js');
    expect(reply.statusCode).toBe(404);
    expect(headersOf(reply)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    expect(reply.body).toContain('<h1>Not found</h1>');
    expect(reply.body).not.toContain('alert');
    expect((await serve('/dashboard/assets/index-0000.js')).statusCode).toBe(404);
    expect((await serve('/dashboard/assets')).statusCode).toBe(404);
  });

  it.each([
    '/dashboard/.env',
    '/dashboard/assets/.hidden',
    '/dashboard/%2eenv',
    '/dashboard/assets/escape.txt',
    '/dashboard/assets/%2e%2e/%2e%2e/outside.txt',
    '/dashboard/..%2foutside.txt',
    '/dashboard/%2e%2e%2f%2e%2e%2fpackage.json',
  ])('dotfiles, traversal and links out of the root are 404: %s', async (path) => {
    const reply = await serve(path);
    expect(reply.statusCode).toBe(404);
    expect(reply.body).not.toMatch(/never served|outside the dashboard|DASHBOARD_SECRET/);
  });

  it('an unbuilt dashboard is a 503 telling how to build it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hookchain-dashboard-empty-'));
    try {
      for (const root of [empty, join(empty, 'does-not-exist')]) {
        const handler = createDashboardHandler({ root });
        for (const path of ['/dashboard/', '/dashboard/assets/index.js']) {
          const reply = await handler(proxyEvent(path), {} as Context);
          expect(reply.statusCode).toBe(503);
          expect(reply.body).toContain('npm run build:dashboard');
          expect(headersOf(reply)['content-type']).toBe('text/html; charset=utf-8');
        }
      }
      const unbuilt = await writeDashboardFixture({ built: false });
      const handler = createDashboardHandler({ root: unbuilt.dir });
      expect((await handler(proxyEvent(`/dashboard/${SCRIPT}`), {} as Context)).statusCode).toBe(503);
      await unbuilt.remove();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('Lambda’s 6 MB response limit', () => {
  let big: DashboardFixture;
  const LARGE = 'assets/ts.worker-Fg5hJ7kL.js';
  let large: Buffer;
  beforeAll(async () => {
    big = await writeDashboardFixture();
    // Like Monaco's TypeScript worker: more than Lambda can answer as it is, a fraction gzipped.
    large = Buffer.from(`${'export const x = "a\\tb";\n'.repeat(Math.ceil(MAX_PAYLOAD_BYTES / 20))}`);
    await writeFile(join(big.dir, LARGE), large);
  });
  afterAll(() => big?.remove());
  const get = (acceptEncoding?: string) =>
    createDashboardHandler({ root: big.dir })(
      proxyEvent(
        `/dashboard/${LARGE}`,
        acceptEncoding === undefined ? {} : { headers: { 'accept-encoding': acceptEncoding } },
      ),
      {} as Context,
    );

  it('a file too large as it is goes gzip, also to a client that said nothing', async () => {
    for (const reply of [await get('gzip'), await get()]) {
      expect(reply.statusCode).toBe(200);
      expect(headersOf(reply)['content-encoding']).toBe('gzip');
      expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(6 * 1024 * 1024);
      // Buffer.equals: comparing megabytes byte by byte through expect would take a minute.
      expect(gunzipSync(Buffer.from(reply.body, 'base64')).equals(large)).toBe(true);
    }
  });

  it('a client that refuses gzip gets a 406 rather than an answer Lambda would fail on', async () => {
    const reply = await get('identity');
    expect(reply.statusCode).toBe(406);
    expect(reply.body).toContain('Accept-Encoding: gzip');
  });
});
