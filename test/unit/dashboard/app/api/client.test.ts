/**
 * The dashboard's API client against a real HTTP server on loopback: aimed at the API that served
 * the page. What every request does is the shared client's (test/unit/client/http.test.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, apiBaseFrom } from '../../../../../dashboard/src/api/client.ts';

describe('the dashboard API client', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  let reply = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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

    it('sends the calls of a page served under /dev/dashboard/ to /dev/api/v2, with the token', async () => {
      vi.stubGlobal('location', new URL(`${baseUrl}/dev/dashboard/#/actions`));
      reply = { status: 200, body: JSON.stringify({ actions: [], total: 0 }) };
      await new ApiClient({ token: 't' }).checkToken();
      expect(seen.at(-1)).toEqual({
        url: '/dev/api/v2/actions/actions?per_page=1',
        authorization: 'Bearer t',
      });
    });
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
});
