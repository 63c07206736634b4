import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CacheSnapshot, runChain, sampleEvent } from '../../../shared/testing/index.ts';
import {
  type FakeResponse,
  jsonBody,
  type RecordedRequest,
  startFakeServer,
} from '../../support/fake-http-server.ts';

const filename = fileURLToPath(new URL('./sms-via-provider.js', import.meta.url));
const code = readFileSync(filename, 'utf8');

/** The provider: hands out `tok-<n>` tokens and accepts messages sent with a token it issued. */
function provider(options: { message?: FakeResponse } = {}) {
  let issued = 0;
  const valid = new Set<string>();
  return (request: RecordedRequest): FakeResponse => {
    if (request.path === '/oauth/token') {
      const token = `tok-${++issued}`;
      valid.add(token);
      return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: 3600 } };
    }
    if (request.path === '/v1/messages') {
      const token = String(request.headers.authorization).replace('Bearer ', '');
      if (!valid.has(token)) return { status: 401, json: { error: 'invalid_token' } };
      return options.message ?? { status: 201, json: { id: 'msg_001', status: 'queued' } };
    }
    return { status: 404 };
  };
}

async function send(
  url: string,
  options: { event?: Record<string, unknown>; cache?: CacheSnapshot; secrets?: object } = {},
) {
  return runChain({
    trigger: 'send-phone-message',
    actions: [
      {
        name: 'sms-via-provider',
        code,
        filename,
        secrets: {
          SMS_API_URL: url,
          SMS_CLIENT_ID: 'hookchain-mfa',
          SMS_CLIENT_SECRET: 'provider-client-secret',
          SMS_FROM: 'ACME',
          ...options.secrets,
        },
      },
    ],
    event: options.event ?? sampleEvent('send-phone-message'),
    ...(options.cache ? { cache: options.cache } : {}),
  });
}

describe('send-phone-message: SMS via a provider', () => {
  it('gets a provider token, then posts the message to the provider', async () => {
    const server = await startFakeServer(provider());
    const run = await send(server.url);

    expect(run.status).toBe('final');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /oauth/token',
      'POST /v1/messages',
    ]);
    expect(jsonBody(server.requests[0])).toEqual({
      grant_type: 'client_credentials',
      client_id: 'hookchain-mfa',
      client_secret: 'provider-client-secret',
    });
    const message = server.requests[1];
    expect(message?.headers).toMatchObject({
      authorization: 'Bearer tok-1',
      'content-type': 'application/json',
      'idempotency-key': 'corr_2b3c4d5e',
    });
    expect(jsonBody(message)).toEqual({
      from: 'ACME',
      to: '+447700900123',
      channel: 'sms',
      body: 'Your Acme verification code is 482913',
    });
    expect(run.executions[0]?.logs.map((l) => l.message)).toEqual([
      'Sent sms message msg_001 to +44*******123',
    ]);
  });

  it('never logs the one-time code', async () => {
    const server = await startFakeServer(provider());
    const run = await send(server.url);
    expect(JSON.stringify(run.executions[0]?.logs)).not.toContain('482913');
  });

  it('sends voice messages on the voice channel', async () => {
    const server = await startFakeServer(provider());
    const event = sampleEvent('send-phone-message');
    Object.assign(event.message_options as object, { message_type: 'voice', action: 'enrollment' });
    const run = await send(server.url, { event });
    expect(run.status).toBe('final');
    expect(jsonBody(server.requests[1])).toMatchObject({ channel: 'voice' });
  });

  it('caches the provider token for the next executions, a minute short of its lifetime', async () => {
    const server = await startFakeServer(provider());
    const before = Date.now();
    const first = await send(server.url);
    const record = first.cache['sms-provider-token'];
    expect(record?.value).toBe('tok-1');
    expect(record?.expires_at).toBeGreaterThanOrEqual(before + 3_540_000);
    expect(record?.expires_at).toBeLessThanOrEqual(Date.now() + 3_540_000);

    const second = await send(server.url, { cache: first.cache });
    expect(second.status).toBe('final');
    expect(server.requests.map((r) => r.path)).toEqual(['/oauth/token', '/v1/messages', '/v1/messages']);
  });

  it('replaces a cached token the provider no longer accepts, once', async () => {
    const server = await startFakeServer(provider());
    const stale = { 'sms-provider-token': { value: 'revoked', expires_at: Date.now() + 600_000 } };
    const run = await send(server.url, { cache: stale });
    expect(run.status).toBe('final');
    expect(server.requests.map((r) => `${r.path} ${r.headers.authorization ?? ''}`.trim())).toEqual([
      '/v1/messages Bearer revoked',
      '/oauth/token',
      '/v1/messages Bearer tok-1',
    ]);
    expect(run.cache['sms-provider-token']?.value).toBe('tok-1');
  });

  it('fails the chain when the provider refuses the message, so the caller knows', async () => {
    const server = await startFakeServer(
      provider({ message: { status: 503, json: { error: 'unavailable' } } }),
    );
    const run = await send(server.url);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({
      class: 'action_error',
      action_name: 'sms-via-provider',
      message: 'SMS provider refused the sms message: HTTP 503',
    });
  });

  it('fails the chain when the provider hangs, after SMS_TIMEOUT_MS', async () => {
    const server = await startFakeServer(
      provider({ message: { status: 201, json: { id: 'late' }, delay_ms: 5_000 } }),
    );
    const started = Date.now();
    const run = await send(server.url, { secrets: { SMS_TIMEOUT_MS: '200' } });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(run.status).toBe('failed');
    expect(run.error?.message).toBe(`SMS provider did not answer within 200 ms (${server.url}/v1/messages)`);
  });

  it('fails with a clear message when SMS_API_URL is not set', async () => {
    const run = await send('', {});
    expect(run.status).toBe('failed');
    expect(run.error?.message).toBe('SMS_API_URL is not set: cannot deliver the message.');
  });
});
