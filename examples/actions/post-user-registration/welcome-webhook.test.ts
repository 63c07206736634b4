import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CacheSnapshot, runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { jsonBody, startFakeServer } from '../../support/fake-http-server.ts';

const filename = fileURLToPath(new URL('./welcome-webhook.js', import.meta.url));
const code = readFileSync(filename, 'utf8');

const register = (url: string, options: { event?: Record<string, unknown>; cache?: CacheSnapshot } = {}) =>
  runChain({
    trigger: 'post-user-registration',
    actions: [
      { name: 'welcome-webhook', code, filename, secrets: { CRM_API_URL: url, CRM_API_KEY: 'crm_live_key' } },
    ],
    event: options.event ?? sampleEvent('post-user-registration'),
    ...(options.cache ? { cache: options.cache } : {}),
  });

describe('post-user-registration: welcome webhook', () => {
  it('creates the contact in the CRM with an idempotency key', async () => {
    const server = await startFakeServer(() => ({ status: 201, json: { id: 'ct_1' } }));
    const event = sampleEvent('post-user-registration');
    (event.user as Record<string, unknown>).user_metadata = { marketing_opt_in: true };
    const run = await register(server.url, { event });

    expect(run.status).toBe('final');
    const [request] = server.requests;
    expect(`${request?.method} ${request?.path}`).toBe('POST /v1/contacts');
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer crm_live_key',
      'idempotency-key': 'auth0|65c1a2b3c4d5e6f708192a3b',
    });
    expect(jsonBody(request)).toEqual({
      external_id: 'auth0|65c1a2b3c4d5e6f708192a3b',
      email: 'grace.hopper@acme.test',
      email_verified: false,
      first_name: 'Grace',
      last_name: 'Hopper',
      locale: 'en',
      source: 'Username-Password-Authentication',
      marketing_opt_in: true,
      campaign: 'welcome',
    });
  });

  it('skips a redelivery of the same signup thanks to api.cache', async () => {
    const server = await startFakeServer(() => ({ status: 201 }));
    const first = await register(server.url);
    const again = await register(server.url, { cache: first.cache });
    expect(server.requests).toHaveLength(1);
    expect(again.executions[0]?.logs[0]?.message).toBe(
      'auth0|65c1a2b3c4d5e6f708192a3b was already welcomed; skipping the redelivery.',
    );
    const [key] = Object.keys(first.cache);
    expect(key).toMatch(/^welcomed:[\w-]{32}$/);
    expect(Buffer.byteLength(key ?? '')).toBeLessThanOrEqual(64);
  });

  it('skips users without an email address', async () => {
    const server = await startFakeServer();
    const event = sampleEvent('post-user-registration');
    delete (event.user as Record<string, unknown>).email;
    const run = await register(server.url, { event });
    expect(run.status).toBe('final');
    expect(server.requests).toEqual([]);
  });

  it('records a CRM failure, does not remember the welcome, so a redelivery tries again', async () => {
    let answer = 502;
    const server = await startFakeServer(() => ({ status: answer }));
    const failed = await register(server.url);
    expect(failed.status).toBe('partial');
    expect(failed.executions[0]?.error?.message).toBe(
      'CRM answered HTTP 502 for auth0|65c1a2b3c4d5e6f708192a3b',
    );
    expect(failed.cache).toEqual({});

    answer = 201;
    const retried = await register(server.url, { cache: failed.cache });
    expect(retried.status).toBe('final');
    expect(server.requests).toHaveLength(2);
  });
});
