import { describe, expect, it } from 'vitest';
import { continueChain, runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { passwordResetPostChallenge } from '../../../shared/triggers/password-reset-post-challenge.ts';
import {
  type AnyApi,
  describeEventSchema,
  describeTriggerCache,
  expectArgumentError,
  openApi,
} from './harness.ts';

const open = (options: Parameters<typeof openApi>[1] = {}) => openApi(passwordResetPostChallenge, options);

describe('password-reset-post-challenge', () => {
  it('is a sync trigger that fails closed, resumable after a redirect', () => {
    expect(passwordResetPostChallenge.mode).toBe('sync');
    expect(passwordResetPostChallenge.failurePolicy).toBe('fail-closed');
    expect(passwordResetPostChallenge.entrypoints).toEqual({
      execute: 'onExecutePostChallenge',
      continue: 'onContinuePostChallenge',
    });
  });

  it('offers access, authentication, redirect, prompt, transaction and cache', () => {
    const { api } = open();
    expect(Object.keys(api).sort()).toEqual([
      'access',
      'authentication',
      'cache',
      'prompt',
      'redirect',
      'transaction',
    ]);
    // Only challenges here: enrolment, custom methods and account linking belong to post-login.
    expect(Object.keys(api.authentication).sort()).toEqual(['challengeWith', 'challengeWithAny']);
    expect(Object.keys(api.transaction)).toEqual(['setResultUrl']);
  });

  it('starts from a neutral result', () => {
    expect(passwordResetPostChallenge.initialResult()).toEqual({
      access: { denied: false },
      authentication: { steps: [], recorded_methods: [], primary_user_id: null },
      redirect: null,
      prompt: null,
      result_url: null,
    });
  });

  describeEventSchema(passwordResetPostChallenge, {
    'user.user_id': (event) => delete event.user.user_id,
    user: (event) => delete event.user,
    request: (event) => delete event.request,
    'client.client_id': (event) => delete event.client.client_id,
  });

  describeTriggerCache(passwordResetPostChallenge);

  describe('api.access.deny(reason)', () => {
    it('stops the reset; later actions are skipped', async () => {
      const run = await runChain({
        trigger: 'password-reset-post-challenge',
        actions: [
          {
            name: 'deny',
            code: `exports.onExecutePostChallenge = async (event, api) => { api.access.deny('Resets are disabled for this account'); };`,
          },
          {
            name: 'never',
            code: `exports.onExecutePostChallenge = async (event, api) => { api.transaction.setResultUrl('https://acme.test/never'); };`,
          },
        ],
      });
      expect(run.status).toBe('denied');
      expect(run.result.access).toEqual({ denied: true, reason: 'Resets are disabled for this account' });
      expect(run.result.result_url).toBeNull();
      expect(run.executions).toHaveLength(1);
    });

    it('records the reason, chains, and refuses an empty reason', () => {
      const h = open();
      expect(h.api.access.deny('Locked account')).toBe(h.api);
      expect(h.apply()).toEqual(['stop']);
      expect(h.state.result.access).toEqual({ denied: true, reason: 'Locked account' });
      expectArgumentError(() => open().api.access.deny(''), 'api.access.deny', 'reason must not be empty');
    });
  });

  describe('api.authentication.challengeWith / challengeWithAny', () => {
    it('add challenge steps for the caller to run before the new password is set', () => {
      const h = open();
      expect(h.api.authentication.challengeWith({ type: 'otp' })).toBe(h.api);
      expect(h.api.authentication.challengeWithAny([{ type: 'email' }, { type: 'phone' }])).toBe(h.api);
      h.apply();
      expect(h.state.result.authentication.steps).toEqual([
        { kind: 'challenge', any: false, factors: [{ type: 'otp' }] },
        { kind: 'challenge', any: true, factors: [{ type: 'email' }, { type: 'phone' }] },
      ]);
    });

    it('refuse unknown factors', () => {
      expectArgumentError(
        () => open().api.authentication.challengeWith({ type: 'carrier-pigeon' }),
        'api.authentication.challengeWith',
        'factor type must be one of',
      );
    });
  });

  describe('api.transaction.setResultUrl(url, { query })', () => {
    it('sets where the user lands after the reset; the last call wins', () => {
      const h = open();
      expect(h.api.transaction.setResultUrl('https://app.acme.test/welcome-back')).toBe(h.api);
      h.api.transaction.setResultUrl('https://app.acme.test/reset-done', { query: { source: 'reset' } });
      h.apply();
      expect(h.state.result.result_url).toEqual({
        url: 'https://app.acme.test/reset-done',
        query: { source: 'reset' },
      });
    });

    it('refuses relative URLs and non-string query values', () => {
      const { api } = open();
      expectArgumentError(
        () => api.transaction.setResultUrl('/done'),
        'api.transaction.setResultUrl',
        'absolute',
      );
      expectArgumentError(
        () => api.transaction.setResultUrl('https://app.acme.test', { query: { n: 1 } }),
        'api.transaction.setResultUrl',
        'query values must be strings',
      );
    });
  });

  describe('api.prompt.render(promptId, options)', () => {
    it('allows one render per action and refuses an empty id', () => {
      const { api } = open();
      expectArgumentError(() => api.prompt.render(''), 'api.prompt.render', 'promptId');
      expect(api.prompt.render('ap_one')).toBe(api);
      expectArgumentError(() => api.prompt.render('ap_two'), 'api.prompt.render', 'only one prompt');
    });

    it('suspends the chain with the prompt', () => {
      const h = open();
      h.api.prompt.render('ap_reset_reason', { fields: { reason: '' } });
      expect(h.apply()).toEqual(['suspend']);
      expect(h.state.result.prompt).toEqual({ id: 'ap_reset_reason', fields: { reason: '' }, vars: {} });
    });
  });

  describe('api.redirect', () => {
    it('sendUserTo records the redirect and suspends; bad URLs and mixing with a prompt are refused', () => {
      const h = open();
      expect(h.api.redirect.sendUserTo('https://verify.acme.test', { query: { a: 'b' } })).toBe(h.api);
      expect(h.apply()).toEqual(['suspend']);
      expect(h.state.result.redirect).toEqual({ url: 'https://verify.acme.test', query: { a: 'b' } });
      expectArgumentError(
        () => open().api.redirect.sendUserTo('verify.acme.test'),
        'api.redirect.sendUserTo',
        'absolute',
      );
      const mixed = open();
      mixed.api.prompt.render('ap_form');
      expectArgumentError(
        () => mixed.api.redirect.sendUserTo('https://verify.acme.test'),
        'api.redirect.sendUserTo',
      );
    });

    it('canRedirect is false when the transaction cannot show a page', () => {
      expect(open().api.redirect.canRedirect()).toBe(true);
      const event: AnyApi = sampleEvent('password-reset-post-challenge');
      event.transaction.prompt = ['none'];
      expect(open({ event }).api.redirect.canRedirect()).toBe(false);
    });

    it('encodeToken and validateToken refuse bad options, naming the method', () => {
      const { api } = open();
      expectArgumentError(
        () => api.redirect.encodeToken({ payload: {} }),
        'api.redirect.encodeToken',
        'secret',
      );
      expectArgumentError(
        () => api.redirect.validateToken({ secret: 7 }),
        'api.redirect.validateToken',
        'secret',
      );
    });

    it('sendUserTo suspends; the same action resumes in onContinuePostChallenge with the token it sent', async () => {
      const actions = [
        {
          name: 'verify-identity',
          code: `
            exports.onExecutePostChallenge = async (event, api) => {
              const token = api.redirect.encodeToken({ secret: event.secrets.SHARED, payload: { purpose: 'reset' } });
              api.redirect.sendUserTo('https://verify.acme.test/id', { query: { session_token: token } });
            };
            exports.onContinuePostChallenge = async (event, api) => {
              const payload = api.redirect.validateToken({ secret: event.secrets.SHARED });
              api.transaction.setResultUrl('https://app.acme.test/verified', { query: { by: payload.verifier } });
            };`,
          secrets: { SHARED: 'shh-reset' },
        },
      ];
      const suspended = await runChain({ trigger: 'password-reset-post-challenge', actions });
      expect(suspended.status).toBe('suspended');
      const redirect = suspended.result.redirect as { url: string };
      expect(new URL(redirect.url).searchParams.get('session_token')).toMatch(/^ey/);

      // The verifier sends the user back with its own token, carrying the state it was given.
      const { api: verifier } = open({ now: Date.now });
      const returned = verifier.redirect.encodeToken({
        secret: 'shh-reset',
        payload: { state: suspended.state, verifier: 'id-check' },
      });
      const event: AnyApi = sampleEvent('password-reset-post-challenge');
      event.request.body = { session_token: returned, state: suspended.state };
      const resumed = await continueChain({
        trigger: 'password-reset-post-challenge',
        actions,
        state: suspended.state as string,
        event,
      });
      expect(resumed.status).toBe('final');
      expect(resumed.executions[0]?.entrypoint).toBe('onContinuePostChallenge');
      expect(resumed.result.result_url).toEqual({
        url: 'https://app.acme.test/verified',
        query: { by: 'id-check' },
      });
    });
  });
});
