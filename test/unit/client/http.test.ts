/** The shared client's request path, against a real HTTP server on loopback. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, HookchainClient, queryString, UnreachableError } from '../../../shared/client/index.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

type Answer = { status: number; body: string };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the Hookchain client', () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  let reply: Answer | ((url: URL) => Answer) = { status: 200, body: '{}' };

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
          contentType: req.headers['content-type'],
          body,
        });
        const answer = typeof reply === 'function' ? reply(new URL(req.url ?? '/', 'http://x')) : reply;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the token as a bearer header and JSON bodies to the Auth0 paths', async () => {
    reply = { status: 200, body: JSON.stringify({ bindings: [] }) };
    const client = new HookchainClient({ url, token: 'hc_abc' });
    await client.setBindings('post-login', [{ ref: { type: 'action_id', value: 'a/1' }, display_name: 'A' }]);
    expect(seen.at(-1)).toEqual({
      method: 'PATCH',
      url: '/api/v2/actions/triggers/post-login/bindings',
      authorization: 'Bearer hc_abc',
      contentType: 'application/json',
      body: JSON.stringify({ bindings: [{ ref: { type: 'action_id', value: 'a/1' }, display_name: 'A' }] }),
    });
  });

  it('escapes ids in paths and keeps a base path such as an API Gateway stage', async () => {
    reply = { status: 200, body: '{}' };
    await new HookchainClient({ url: `${url}/dev/`, token: 't' }).rollback('act 1', 'ver/2');
    expect(seen.at(-1)).toMatchObject({
      url: '/dev/api/v2/actions/actions/act%201/versions/ver%2F2/deploy',
      body: '{}',
    });
  });

  it("raises the server's own message and error code as an ApiError", async () => {
    reply = {
      status: 409,
      body: JSON.stringify({ statusCode: 409, message: 'Name taken.', errorCode: 'conflict' }),
    };
    const failure = await new HookchainClient({ url, token: 't' })
      .createAction({ name: 'x', supported_triggers: [{ id: 'post-login', version: 'v3' }], code: '' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 409,
      message: 'Name taken.',
      errorCode: 'conflict',
      baseUrl: url,
    });
  });

  it('says whether a refused request carried a token, and tells whoever asked to know', async () => {
    reply = { status: 401, body: JSON.stringify({ message: 'Invalid token' }) };
    let told = 0;
    const signedIn = new HookchainClient({ url, token: 't', onUnauthorized: () => told++ });
    await expect(signedIn.listActions()).rejects.toMatchObject({
      status: 401,
      unauthorized: true,
      tokenSent: true,
    });
    expect(told).toBe(1);
    await expect(new HookchainClient({ url }).listTriggers()).rejects.toMatchObject({ tokenSent: false });
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('answers an allowed status instead of throwing (probing for an action by id)', async () => {
    reply = { status: 404, body: JSON.stringify({ statusCode: 404, message: 'Not found' }) };
    expect(await new HookchainClient({ url, token: 't' }).probeAction('act_1')).toBeUndefined();
  });

  it('keeps the start of a body that is not JSON as the message', async () => {
    reply = { status: 502, body: 'Bad gateway' };
    await expect(new HookchainClient({ url, token: 't' }).getAction('a')).rejects.toMatchObject({
      status: 502,
      message: 'Bad gateway',
    });
  });

  it('turns a server nobody answers at into an UnreachableError with the network reason', async () => {
    const nowhere = `http://127.0.0.1:${await closedPort()}`;
    const failure = await new HookchainClient({ url: nowhere, token: 't' })
      .listActions()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect(failure).toMatchObject({
      status: 0,
      errorCode: 'network_error',
      networkCode: 'ECONNREFUSED',
      message: `Could not reach Hookchain at ${nowhere} (ECONNREFUSED).`,
      baseUrl: nowhere,
    });
  });

  it('reads every page of a long list (the API gives at most 100 at a time)', async () => {
    const all = Array.from({ length: 230 }, (_, i) => ({ id: `act_${i}`, name: `a${i}` }));
    reply = (asked) => {
      const page = Number(asked.searchParams.get('page'));
      const perPage = Number(asked.searchParams.get('per_page'));
      const actions = all.slice(page * perPage, page * perPage + perPage);
      return { status: 200, body: JSON.stringify({ actions, total: all.length, page, per_page: perPage }) };
    };
    const before = seen.length;
    const listed = await new HookchainClient({ url, token: 't' }).listActions();
    expect(listed.map((a) => a.id)).toEqual(all.map((a) => a.id));
    expect(seen.slice(before).map((s) => s.url)).toEqual([
      '/api/v2/actions/actions?page=0&per_page=100',
      '/api/v2/actions/actions?page=1&per_page=100',
      '/api/v2/actions/actions?page=2&per_page=100',
    ]);
  });

  it('builds query strings from the defined, non-empty values only', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ action: 'a b', trigger: undefined, execution: '', since: 5 })).toBe(
      '?action=a+b&since=5',
    );
  });
});
