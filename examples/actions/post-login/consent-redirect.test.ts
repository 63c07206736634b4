import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ChainRun, continueChain, runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./consent-redirect.js', import.meta.url));
const code = readFileSync(filename, 'utf8');
const secrets = {
  CONSENT_URL: 'https://consent.acme.test/terms',
  CONSENT_SECRET: 'a-long-random-shared-secret',
  TERMS_VERSION: '2026-11',
};
const USER_ID = 'auth0|64b7f2c9e1a2b3c4d5e6f708';

// A second action proves the chain resumes after the redirecting one, and only once.
const after = {
  name: 'after',
  code: `exports.onExecutePostLogin = async (event, api) => {
    api.idToken.setCustomClaim('https://acme.test/terms', event.user.app_metadata.terms_accepted_version ?? null);
  };`,
};
const actions = [{ name: 'consent-redirect', code, filename, secrets }, after];

// --- what the consent page does, with the shared secret -----------------------------------------
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (input: string, secret: string) =>
  createHmac('sha256', secret).update(input).digest('base64url');

function sign(claims: Record<string, unknown>, secret = secrets.CONSENT_SECRET): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${hmac(input, secret)}`;
}

function verify(token: string, secret = secrets.CONSENT_SECRET): Record<string, unknown> {
  const [header = '', payload = '', signature] = token.split('.');
  expect(signature).toBe(hmac(`${header}.${payload}`, secret));
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

/** Reads the redirect like the consent page would and answers with a signed consent token. */
function consentPage(run: ChainRun, answer: Record<string, unknown> = {}) {
  const redirect = run.result.redirect as { url: string };
  const url = new URL(redirect.url);
  const session = verify(url.searchParams.get('session_token') ?? '');
  const now = Math.floor(Date.now() / 1000);
  const token = sign({
    sub: session.sub,
    iss: session.iss,
    state: url.searchParams.get('state'),
    terms_version: session.terms_version,
    accepted: true,
    iat: now,
    exp: now + 300,
    ...answer,
  });
  return { state: url.searchParams.get('state') ?? '', session, token };
}

/** The caller's `/continue` call: a fresh event carrying the consent page's POST body. */
function continueWith(state: string, token: string, event = sampleEvent('post-login')) {
  (event.request as Record<string, unknown>).body = { consent_token: token };
  return continueChain({ trigger: 'post-login', actions, state, event });
}

describe('post-login: consent page via redirect and continue', () => {
  it('sends a user who has not accepted the terms to the consent page, with a signed token', async () => {
    const run = await runChain({ trigger: 'post-login', actions });
    expect(run.status).toBe('suspended');
    expect(run.executions.map((e) => e.action_name)).toEqual(['consent-redirect']);
    const { state, session } = consentPage(run);
    expect(run.state).toBe(state);
    const { url } = run.result.redirect as { url: string };
    expect(url.startsWith(`${secrets.CONSENT_URL}?`)).toBe(true);
    expect(session).toMatchObject({
      sub: USER_ID,
      iss: 'login.acme.test',
      ip: '203.0.113.42',
      terms_version: '2026-11',
      email: 'ada.lovelace@acme.test',
      continue_uri: 'https://login.acme.test/continue',
    });
    expect((session.exp as number) - (session.iat as number)).toBe(600);
  });

  it('resumes in onContinuePostLogin, records the acceptance, then runs the rest of the chain', async () => {
    const first = await runChain({ trigger: 'post-login', actions });
    const { state, token } = consentPage(first);
    const run = await continueWith(state, token);

    expect(run.status).toBe('final');
    expect(run.executions.map((e) => [e.action_name, e.entrypoint])).toEqual([
      ['consent-redirect', 'onContinuePostLogin'],
      ['after', 'onExecutePostLogin'],
    ]);
    const user = run.result.user as { app_metadata: Record<string, unknown> };
    expect(user.app_metadata.terms_accepted_version).toBe('2026-11');
    expect(Date.parse(user.app_metadata.terms_accepted_at as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(run.result.id_token_claims).toEqual({ 'https://acme.test/terms': '2026-11' });
    expect(run.result.redirect).toBeNull();
  });

  it('does not redirect a user who already accepted the current version', async () => {
    const event = sampleEvent('post-login');
    (event.user as Record<string, unknown>).app_metadata = { terms_accepted_version: '2026-11' };
    const run = await runChain({ trigger: 'post-login', actions, event });
    expect(run.status).toBe('final');
    expect(run.result.redirect).toBeNull();
  });

  it('denies when the user declines', async () => {
    const first = await runChain({ trigger: 'post-login', actions });
    const { state, token } = consentPage(first, { accepted: false });
    const run = await continueWith(state, token);
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({
      denied: true,
      reason: 'You need to accept the terms of service to continue.',
    });
    expect(run.executions.map((e) => e.action_name)).toEqual(['consent-redirect']);
  });

  it.each([
    ['signed for another transaction', { state: 'someone-elses-state' }, 'state does not match'],
    ['for another user', { sub: 'auth0|intruder' }, 'subject does not match'],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 5 }, 'expired'],
    ['for another terms version', { terms_version: '2025-01' }, null],
  ])('denies a consent token %s', async (_what, answer, logged) => {
    const first = await runChain({ trigger: 'post-login', actions });
    const { state, token } = consentPage(first, answer);
    const run = await continueWith(state, token);
    expect(run.status).toBe('denied');
    expect(run.result.user).toEqual({ app_metadata: {}, user_metadata: {} });
    if (logged) expect(run.executions[0]?.logs[0]?.message).toContain(logged);
  });

  it('denies a forged token and a missing one', async () => {
    const first = await runChain({ trigger: 'post-login', actions });
    const { state } = consentPage(first);
    const now = Math.floor(Date.now() / 1000);
    const forged = sign(
      { sub: USER_ID, state, accepted: true, terms_version: '2026-11', exp: now + 60 },
      'guess',
    );
    for (const token of [forged, '']) {
      const run = await continueWith(state, token);
      expect(run.status).toBe('denied');
      expect(run.result.access).toEqual({
        denied: true,
        reason: 'We could not confirm your consent. Please sign in again.',
      });
    }
  });

  it('denies logins that cannot redirect instead of redirecting them', async () => {
    for (const tweak of [{ protocol: 'oauth2-refresh-token' }, { prompt: ['none'] }]) {
      const event = sampleEvent('post-login');
      Object.assign(event.transaction as object, tweak);
      const run = await runChain({ trigger: 'post-login', actions, event });
      expect(run.status).toBe('denied');
      expect(run.result.redirect).toBeNull();
    }
  });
});
