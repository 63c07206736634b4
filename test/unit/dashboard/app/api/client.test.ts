/** The dashboard's API client against a real HTTP server on loopback. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, apiBaseFrom, queryString } from '../../../../../dashboard/src/api/client.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

describe('the dashboard API client', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let reply: { status: number; body: string } | ((url: URL) => { status: number; body: string }) = {
    status: 200,
    body: '{}',
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body,
        });
        const answer = typeof reply === 'function' ? reply(new URL(req.url ?? '/', 'http://x')) : reply;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the token as a bearer header and JSON bodies to the Auth0 paths', async () => {
    reply = { status: 200, body: JSON.stringify({ bindings: [] }) };
    const client = new ApiClient({ token: 'hc_abc', baseUrl });
    await client.setBindings('post-login', [{ ref: { type: 'action_id', value: 'a/1' }, display_name: 'A' }]);
    expect(seen.at(-1)).toEqual({
      method: 'PATCH',
      url: '/api/v2/actions/triggers/post-login/bindings',
      authorization: 'Bearer hc_abc',
      body: JSON.stringify({ bindings: [{ ref: { type: 'action_id', value: 'a/1' }, display_name: 'A' }] }),
    });
    await client.rollback('act 1', 'ver/2');
    expect(seen.at(-1)?.url).toBe('/api/v2/actions/actions/act%201/versions/ver%2F2/deploy');
  });

  describe('where the API is, when the page does not say', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('is everything before /dashboard/ in the page address: the stage on API Gateway is kept', () => {
      const at = (href: string) => apiBaseFrom(new URL(href));
      expect(at('https://abc.execute-api.eu-west-1.amazonaws.com/dev/dashboard/')).toBe(
        'https://abc.execute-api.eu-west-1.amazonaws.com/dev',
      );
      expect(at('https://abc.execute-api.eu-west-1.amazonaws.com/prod/dashboard/index.html#/logs')).toBe(
        'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
      );
      expect(at('https://hooks.example.com/auth/v1/dashboard/')).toBe('https://hooks.example.com/auth/v1');
      expect(at('http://127.0.0.1:3000/dashboard/')).toBe('http://127.0.0.1:3000');
      // Vite's dev server serves the page at its root and proxies /api.
      expect(at('http://localhost:5173/')).toBe('http://localhost:5173');
    });

    it('sends the calls of a page served under /dev/dashboard/ to /dev/api/v2', async () => {
      vi.stubGlobal('location', new URL(`${baseUrl}/dev/dashboard/#/actions`));
      reply = { status: 200, body: JSON.stringify({ actions: [], total: 0 }) };
      await new ApiClient({ token: 't' }).checkToken();
      expect(seen.at(-1)?.url).toBe('/dev/api/v2/actions/actions?per_page=1');
    });
  });

  it("raises the server's own message and error code", async () => {
    reply = {
      status: 409,
      body: JSON.stringify({ statusCode: 409, message: 'Name taken.', errorCode: 'conflict' }),
    };
    const failure = await new ApiClient({ token: 't', baseUrl })
      .createAction({
        name: 'x',
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        code: '',
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 409, message: 'Name taken.', errorCode: 'conflict' });
  });

  it('tells the app when the token is refused, so it can ask to sign in again', async () => {
    reply = { status: 401, body: JSON.stringify({ message: 'Invalid token' }) };
    let told = 0;
    const client = new ApiClient({ token: 't', baseUrl, onUnauthorized: () => told++ });
    await expect(client.listActions()).rejects.toMatchObject({ status: 401, unauthorized: true });
    expect(told).toBe(1);
  });

  it('explains an unreachable server instead of a bare TypeError', async () => {
    const client = new ApiClient({ token: 't', baseUrl: 'http://127.0.0.1:9' });
    await expect(client.listActions()).rejects.toMatchObject({ status: 0, errorCode: 'network_error' });
  });

  it('reads every page of a long list (the API gives at most 100 at a time)', async () => {
    const all = Array.from({ length: 230 }, (_, i) => ({ id: `act_${i}`, name: `a${i}` }));
    reply = (url) => {
      const page = Number(url.searchParams.get('page'));
      const perPage = Number(url.searchParams.get('per_page'));
      const actions = all.slice(page * perPage, page * perPage + perPage);
      return { status: 200, body: JSON.stringify({ actions, total: all.length, page, per_page: perPage }) };
    };
    const before = seen.length;
    const listed = await new ApiClient({ token: 't', baseUrl }).listActions();
    expect(listed.map((a) => a.id)).toEqual(all.map((a) => a.id));
    expect(seen.slice(before).map((s) => s.url)).toEqual([
      '/api/v2/actions/actions?page=0&per_page=100',
      '/api/v2/actions/actions?page=1&per_page=100',
      '/api/v2/actions/actions?page=2&per_page=100',
    ]);
  });

  it('builds query strings from the defined values only', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ action: 'a b', trigger: undefined, execution: '', since: 5 })).toBe(
      '?action=a+b&since=5',
    );
  });
});
