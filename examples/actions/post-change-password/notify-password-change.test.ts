import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { jsonBody, startFakeServer } from '../../support/fake-http-server.ts';

const filename = fileURLToPath(new URL('./notify-password-change.js', import.meta.url));
const code = readFileSync(filename, 'utf8');
const SECRET = 'whsec_4f8b2c1d9e7a';

const notify = (url: string, secrets: Record<string, string> = {}) =>
  runChain({
    trigger: 'post-change-password',
    actions: [
      {
        name: 'notify-password-change',
        code,
        filename,
        secrets: {
          PASSWORD_WEBHOOK_URL: `${url}/hooks/password`,
          PASSWORD_WEBHOOK_SECRET: SECRET,
          ...secrets,
        },
      },
      {
        name: 'next',
        code: `exports.onExecutePostChangePassword = async () => { console.log('next ran'); };`,
      },
    ],
    event: sampleEvent('post-change-password'),
  });

describe('post-change-password: signed webhook notification', () => {
  it('posts the change to the webhook, signed with the shared secret', async () => {
    const server = await startFakeServer(() => ({ status: 204 }));
    const run = await notify(server.url);

    expect(run.status).toBe('final');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/password');
    expect(jsonBody(request)).toEqual({
      type: 'user.password_changed',
      user_id: 'auth0|64b7f2c9e1a2b3c4d5e6f708',
      email: 'ada.lovelace@acme.test',
      changed_at: '2026-11-23T10:30:00.000Z',
      connection: 'Username-Password-Authentication',
      ip: '203.0.113.42',
      user_agent: expect.stringContaining('Safari'),
      correlation_id: 'corr_7e6d5c4b',
    });
    expect(request?.headers['idempotency-key']).toBe(
      'password-changed:auth0|64b7f2c9e1a2b3c4d5e6f708:2026-11-23T10:30:00.000Z',
    );

    // What the receiver checks: the signature over "<timestamp>.<raw body>", and a fresh timestamp.
    const timestamp = String(request?.headers['x-webhook-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${request?.body}`).digest('hex');
    expect(request?.headers['x-webhook-signature']).toBe(`sha256=${expected}`);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);

    expect(run.executions[0]?.logs[0]?.message).toBe(
      `Notified ${new URL(server.url).host} of the password change of auth0|64b7f2c9e1a2b3c4d5e6f708`,
    );
  });

  it('records a failed delivery without blocking the actions after it (async trigger)', async () => {
    const server = await startFakeServer(() => ({ status: 500, json: { error: 'boom' } }));
    const run = await notify(server.url);
    expect(run.status).toBe('partial');
    expect(run.executions.map((e) => [e.action_name, e.error?.message ?? null])).toEqual([
      ['notify-password-change', 'Password-change webhook answered HTTP 500'],
      ['next', null],
    ]);
    expect(run.executions[1]?.logs[0]?.message).toBe('next ran');
  });

  it('gives the same idempotency key to a redelivery of the same change', async () => {
    const server = await startFakeServer(() => ({ status: 200 }));
    await notify(server.url);
    await notify(server.url);
    const [first, second] = server.requests;
    expect(first?.headers['idempotency-key']).toBe(second?.headers['idempotency-key']);
  });

  it('fails, without calling anything, when the secrets are missing', async () => {
    const server = await startFakeServer();
    const run = await notify(server.url, { PASSWORD_WEBHOOK_SECRET: '' });
    expect(run.executions[0]?.error?.message).toBe(
      'PASSWORD_WEBHOOK_URL and PASSWORD_WEBHOOK_SECRET must be set.',
    );
    expect(server.requests).toEqual([]);
  });
});
