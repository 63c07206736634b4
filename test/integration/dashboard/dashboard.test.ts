/**
 * The dashboard through the real local stack: the API front on a socket, the dashboard handler
 * behind it, a fixture build in a temp dir, read by fetch as a browser would and by node:http as
 * bytes on the wire.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../functions/dashboard/security-headers.ts';
import {
  type DashboardFixture,
  FIXTURE_INDEX,
  writeDashboardFixture,
} from '../../support/dashboard-fixture.ts';
import { stagePrefixOnly, startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';
import { type RawReply, rawRequest } from '../../support/raw-http.ts';

const SCRIPT = 'assets/index-B7x2kQ9a.js';

let hc: TestHookchain;
let fixture: DashboardFixture;

beforeAll(async () => {
  // Not built yet: the first test builds it while the stack runs.
  fixture = await writeDashboardFixture({ built: false });
  hc = await startTestHookchain({ dashboardRoot: fixture.dir });
});
afterAll(async () => {
  await hc?.stop();
  await fixture?.remove();
});

/** A request exactly as written (no URL normalization, no decompression). */
const raw = (method: string, path: string, headers: Record<string, string> = {}): Promise<RawReply> =>
  rawRequest(hc.url, path, { method, headers });

describe('the dashboard on the local stack', () => {
  it('is a 503 until it is built, then served without a restart', async () => {
    const unbuilt = await fetch(`${hc.url}/dashboard/`);
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toContain('npm run build:dashboard');
    await writeFile(join(fixture.dir, 'index.html'), FIXTURE_INDEX);
    expect((await fetch(`${hc.url}/dashboard/`)).status).toBe(200);
  });

  it('/dashboard redirects to /dashboard/, which is index.html with its security headers', async () => {
    const redirect = await fetch(`${hc.url}/dashboard?tab=logs`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('dashboard/?tab=logs');

    const res = await fetch(`${hc.url}/dashboard`);
    expect(res.url).toBe(`${hc.url}/dashboard/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(FIXTURE_INDEX);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('fetch (which asks for gzip) gets the script compressed and reads it as it was built', async () => {
    const res = await fetch(`${hc.url}/dashboard/${SCRIPT}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe(fixture.files[SCRIPT]?.toString('utf8'));
  });

  it('on the wire: gzip bytes to a client that takes them, the file itself to one that does not', async () => {
    const gzipped = await raw('GET', `/dashboard/${SCRIPT}`, { 'accept-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBe(gzipped.body.length);
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(fixture.files[SCRIPT]?.toString('utf8'));

    const plain = await raw('GET', `/dashboard/${SCRIPT}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(fixture.files[SCRIPT]?.toString('utf8'));
    expect(plain.headers.etag).not.toBe(gzipped.headers.etag);
  });

  it('binary files arrive byte for byte', async () => {
    const font = await raw('GET', '/dashboard/assets/codicon-Ee4rT6yU.ttf', { 'accept-encoding': 'gzip' });
    expect(font.headers['content-type']).toBe('font/ttf');
    expect(font.body).toEqual(fixture.files['assets/codicon-Ee4rT6yU.ttf']);
  });

  it('HEAD has the headers and no body; a known ETag is a 304', async () => {
    const head = await raw('HEAD', `/dashboard/${SCRIPT}`, { 'accept-encoding': 'gzip' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers).toMatchObject({ 'content-encoding': 'gzip', etag: expect.stringMatching(/^"/) });

    const etag = (await fetch(`${hc.url}/dashboard/`)).headers.get('etag') as string;
    const revalidated = await fetch(`${hc.url}/dashboard/`, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(await revalidated.text()).toBe('');
  });

  it('unknown files, dotfiles and traversal attempts are not served', async () => {
    const missing = await fetch(`${hc.url}/dashboard/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    for (const path of [
      '/dashboard/.env',
      '/dashboard/assets/.hidden',
      '/dashboard/assets/escape.txt',
      '/dashboard/..%2f..%2fpackage.json',
      '/dashboard/assets/%2e%2e%2f%2e%2e%2foutside.txt',
    ]) {
      const reply = await raw('GET', path);
      expect(reply.status, path).toBe(404);
      expect(reply.body.toString(), path).not.toMatch(/DASHBOARD_SECRET|never served|outside the dashboard/);
    }
    // The front resolves dot segments before routing, as URLs do: these never reach the dashboard.
    for (const path of ['/dashboard/../package.json', '/dashboard/%2e%2e/package.json']) {
      const reply = await raw('GET', path);
      expect(reply.status, path).toBe(403);
      expect(reply.body.toString(), path).not.toContain('"name"');
    }
  });

  it('answers GET and HEAD only, as the API Gateway methods declare', async () => {
    const post = await fetch(`${hc.url}/dashboard/`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(403);
    expect(await post.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('the API is where it was', async () => {
    const actions = await hc.api('GET', '/api/v2/actions/actions');
    expect(actions.status).toBe(200);
    expect(actions.body).toMatchObject({ actions: [] });
    const execute = await hc.api('POST', '/api/v2/actions/triggers/post-login/execute', {
      event: { user: { user_id: 'auth0|1' }, client: { client_id: 'web' }, request: { ip: '203.0.113.7' } },
    });
    expect(execute.status).toBe(200);
    expect(execute.body).toMatchObject({ status: 'final' });
  });
});

describe('the dashboard under an API Gateway stage', () => {
  let staged: TestHookchain;
  beforeAll(async () => {
    staged = await startTestHookchain({ dashboardRoot: fixture.dir, fidelity: stagePrefixOnly('dev') });
  });
  afterAll(async () => {
    await staged?.stop();
  });

  it('redirects /dev/dashboard to /dev/dashboard/ (the stage is kept) and serves its files there', async () => {
    expect(staged.url).toMatch(/\/dev$/);
    const res = await fetch(`${staged.url}/dashboard?tab=logs`);
    expect(res.url).toBe(`${staged.url}/dashboard/?tab=logs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(FIXTURE_INDEX);
    expect((await fetch(`${staged.url}/dashboard/${SCRIPT}`)).status).toBe(200);
    // Not at the origin's root: API Gateway has nothing there.
    expect((await fetch(`${staged.stack.origin}/dashboard/`)).status).toBe(403);
  });
});
