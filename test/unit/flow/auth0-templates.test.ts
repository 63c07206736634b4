/**
 * Actions written for Auth0, plain CommonJS as its docs and marketplace write them (the files in
 * ./auth0-templates), run unchanged through the testing kit with the outcomes Auth0 would give.
 * Their npm dependencies (axios, twilio) are replaced by recording fakes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { continueChain, runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { signHs256, verifyHs256 } from '../../../shared/triggers/jwt.ts';

// biome-ignore lint/suspicious/noExplicitAny: events are edited freely, as in Auth0's own test harness.
type AnyEvent = any;

const template = (file: string) => ({
  name: file.replace(/\.js$/, ''),
  code: readFileSync(path.join(import.meta.dirname, 'auth0-templates', file), 'utf8'),
  filename: path.join(import.meta.dirname, 'auth0-templates', file),
});

/** `require` for the actions: fakes for their npm dependencies, Node for the rest. */
function dependencies(fakes: Record<string, unknown>) {
  const nodeRequire = createRequire(import.meta.url);
  return (id: string) => (id in fakes ? fakes[id] : nodeRequire(id));
}

function fakeAxios(responses: { post?: unknown; get?: unknown } = {}) {
  return {
    post: vi.fn(async () => ({ status: 200, data: responses.post ?? {} })),
    get: vi.fn(async () => ({ status: 200, data: responses.get ?? {} })),
  };
}

const loginEvent = (change: (event: AnyEvent) => void = () => {}) => {
  const event: AnyEvent = sampleEvent('post-login');
  change(event);
  return event;
};

describe('Auth0 templates, unchanged', () => {
  it('add-roles-to-tokens: the roles land in both tokens', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [template('add-roles-to-tokens.js')],
      event: loginEvent((e) => {
        e.authorization.roles = ['editor', 'billing'];
      }),
    });
    expect(run.status).toBe('final');
    expect(run.result.id_token_claims).toEqual({ 'https://my-app.example.com/roles': ['editor', 'billing'] });
    expect(run.result.access_token_claims).toEqual({
      'https://my-app.example.com/roles': ['editor', 'billing'],
    });
  });

  it('mfa-for-privileged-roles: admins get MFA, others and refresh-token exchanges do not', async () => {
    const run = (change: (event: AnyEvent) => void) =>
      runChain({
        trigger: 'post-login',
        actions: [template('mfa-for-privileged-roles.js')],
        event: loginEvent(change),
      });

    const admin = await run((e) => {
      e.authorization.roles = ['admin'];
    });
    expect(admin.result.multifactor).toEqual({ provider: 'any', allow_remember_browser: false });

    const editor = await run((e) => {
      e.authorization.roles = ['editor'];
    });
    expect(editor.result.multifactor).toBeNull();

    const refresh = await run((e) => {
      e.authorization.roles = ['admin'];
      e.transaction.protocol = 'oauth2-refresh-token';
    });
    expect(refresh.result.multifactor).toBeNull();
  });

  it('deny-by-country: a blocked country is denied with the reason, others pass', async () => {
    const action = { ...template('deny-by-country.js'), secrets: { BLOCKED_COUNTRIES: 'gb, fr' } };
    const blocked = await runChain({
      trigger: 'post-login',
      actions: [action, template('add-roles-to-tokens.js')],
    });
    expect(blocked.status).toBe('denied');
    expect(blocked.result.access).toEqual({
      denied: true,
      reason: 'Logins from your region (GB) are not allowed.',
    });
    expect(blocked.executions.map((e) => e.action_name)).toEqual(['deny-by-country']);
    expect(blocked.executions[0]?.logs[0]?.message).toBe(
      'Blocked login for auth0|64b7f2c9e1a2b3c4d5e6f708 from GB',
    );

    const allowed = await runChain({
      trigger: 'post-login',
      actions: [{ ...action, secrets: { BLOCKED_COUNTRIES: 'KP' } }],
    });
    expect(allowed.status).toBe('final');
  });

  it('crm-id-with-cached-token: fetches the M2M token once, then reuses it from api.cache', async () => {
    const axios = fakeAxios({
      post: { access_token: 'm2m-token', expires_in: 3600 },
      get: { id: 'crm_981' },
    });
    const action = {
      ...template('crm-id-with-cached-token.js'),
      secrets: {
        AUTH_DOMAIN: 'acme.eu.auth0.com',
        CLIENT_ID: 'cid',
        CLIENT_SECRET: 'csecret',
        CRM_AUDIENCE: 'https://crm.acme.test',
        CRM_URL: 'https://crm.acme.test/api',
      },
    };
    const require = dependencies({ axios });
    const newUser = loginEvent((e) => {
      e.user.app_metadata = {};
    });

    const first = await runChain({ trigger: 'post-login', actions: [action], event: newUser, require });
    expect(first.status).toBe('final');
    expect(first.result.user).toEqual({ app_metadata: { crm_id: 'crm_981' }, user_metadata: {} });
    expect(axios.post).toHaveBeenCalledTimes(1);
    expect(axios.post).toHaveBeenCalledWith('https://acme.eu.auth0.com/oauth/token', {
      grant_type: 'client_credentials',
      client_id: 'cid',
      client_secret: 'csecret',
      audience: 'https://crm.acme.test',
    });
    expect(axios.get).toHaveBeenCalledWith('https://crm.acme.test/api/customers', {
      params: { email: 'ada.lovelace@acme.test' },
      headers: { Authorization: 'Bearer m2m-token' },
    });
    expect(first.cache['crm-m2m-token']?.value).toBe('m2m-token');

    // The next execution starts from the trigger cache the first one left.
    const second = await runChain({
      trigger: 'post-login',
      actions: [action],
      event: newUser,
      require,
      cache: first.cache,
    });
    expect(second.result.user).toEqual({ app_metadata: { crm_id: 'crm_981' }, user_metadata: {} });
    expect(axios.post).toHaveBeenCalledTimes(1);
    expect(axios.get).toHaveBeenCalledTimes(2);

    // A user who already has a CRM id costs nothing.
    await runChain({
      trigger: 'post-login',
      actions: [action],
      require,
      cache: first.cache,
      event: loginEvent((e) => {
        e.user.app_metadata = { crm_id: 'crm_1' };
      }),
    });
    expect(axios.get).toHaveBeenCalledTimes(2);
  });

  describe('progressive-profile (redirect, then onContinuePostLogin)', () => {
    const SECRET = 'profile-form-shared-secret';
    const action = {
      ...template('progressive-profile.js'),
      secrets: { PROFILE_FORM_SECRET: SECRET, PROFILE_FORM_URL: 'https://profile.acme.test/complete' },
    };
    const after = {
      name: 'company-claim',
      code: `exports.onExecutePostLogin = async (event, api) => {
        api.idToken.setCustomClaim('https://my-app.example.com/company', event.user.user_metadata.company);
      };`,
    };
    const newcomer = () =>
      loginEvent((e) => {
        e.user.user_metadata = {};
      });

    /** What the profile form does: read Auth0's token, then send the user back with its own. */
    function profileForm(redirectUrl: string, company: string) {
      const url = new URL(redirectUrl);
      const incoming = verifyHs256(url.searchParams.get('session_token') as string, SECRET);
      const state = url.searchParams.get('state') as string;
      const outgoing = signHs256(
        { sub: incoming.sub, iss: incoming.iss, exp: Math.floor(Date.now() / 1000) + 60, state, company },
        SECRET,
      );
      return { incoming, state, outgoing };
    }

    it('sends a newcomer to the form, stores the company on return, and later actions see it', async () => {
      const suspended = await runChain({
        trigger: 'post-login',
        actions: [action, after],
        event: newcomer(),
      });
      expect(suspended.status).toBe('suspended');
      expect(suspended.executions.map((e) => e.action_name)).toEqual(['progressive-profile']);

      const redirect = suspended.result.redirect as { url: string };
      expect(redirect.url.startsWith('https://profile.acme.test/complete?')).toBe(true);
      const { incoming, state, outgoing } = profileForm(redirect.url, 'Analytical Engines Ltd');
      expect(incoming).toMatchObject({
        email: 'ada.lovelace@acme.test',
        sub: 'auth0|64b7f2c9e1a2b3c4d5e6f708',
      });
      expect((incoming.exp as number) - (incoming.iat as number)).toBe(600);

      const returning = newcomer();
      returning.request.method = 'POST';
      returning.request.body = { state, session_token: outgoing };
      const resumed = await continueChain({
        trigger: 'post-login',
        actions: [action, after],
        state,
        event: returning,
      });
      expect(resumed.status).toBe('final');
      expect(resumed.result.user).toEqual({
        app_metadata: {},
        user_metadata: { company: 'Analytical Engines Ltd' },
      });
      expect(resumed.result.id_token_claims).toEqual({
        'https://my-app.example.com/company': 'Analytical Engines Ltd',
      });
    });

    it('a tampered return fails the login in that action', async () => {
      const suspended = await runChain({
        trigger: 'post-login',
        actions: [action, after],
        event: newcomer(),
      });
      const state = suspended.state as string;
      const forged = signHs256(
        {
          sub: 'auth0|64b7f2c9e1a2b3c4d5e6f708',
          exp: Math.floor(Date.now() / 1000) + 60,
          state,
          company: 'Evil',
        },
        'not-the-secret',
      );
      const returning = newcomer();
      returning.request.query = { state, session_token: forged };
      const resumed = await continueChain({
        trigger: 'post-login',
        actions: [action, after],
        state,
        event: returning,
      });
      expect(resumed.status).toBe('failed');
      expect(resumed.error).toMatchObject({ action_name: 'progressive-profile', class: 'action_error' });
      expect(resumed.result.user).toEqual({ app_metadata: {}, user_metadata: {} });
    });

    it('skips the form for users with a company, and where no redirect is possible', async () => {
      const known = await runChain({
        trigger: 'post-login',
        actions: [action, after],
        event: loginEvent((e) => {
          e.user.user_metadata = { company: 'Acme Ltd' };
        }),
      });
      expect(known.status).toBe('final');
      expect(known.result.id_token_claims).toEqual({ 'https://my-app.example.com/company': 'Acme Ltd' });

      const silent = await runChain({
        trigger: 'post-login',
        actions: [action],
        event: loginEvent((e) => {
          e.user.user_metadata = {};
          e.transaction.prompt = ['none'];
        }),
      });
      expect(silent.status).toBe('final');
      expect(silent.result.redirect).toBeNull();
    });
  });

  describe('signup-domain-and-name (pre-user-registration)', () => {
    const signup = (change: (event: AnyEvent) => void) => {
      const event: AnyEvent = sampleEvent('pre-user-registration');
      change(event);
      return runChain({
        trigger: 'pre-user-registration',
        actions: [template('signup-domain-and-name.js')],
        event,
      });
    };

    it('denies a disposable domain with a reason for the logs and a message for the user', async () => {
      const run = await signup((e) => {
        e.user.email = 'someone@Mailinator.com';
      });
      expect(run.status).toBe('denied');
      expect(run.result.access).toEqual({
        denied: true,
        reason: 'disposable_email_domain',
        user_message: 'Please sign up with a permanent email address.',
      });
    });

    it('rejects a signup without a full name with a validation error', async () => {
      const run = await signup((e) => {
        delete e.request.body['ulp-fullName'];
      });
      expect(run.status).toBe('denied');
      expect(run.result.validation_error).toEqual({
        code: 'missing_full_name',
        message: 'Please enter your full name.',
      });
    });

    it('keeps the full name in user_metadata otherwise', async () => {
      const run = await signup(() => {});
      expect(run.status).toBe('final');
      expect(run.result.user).toEqual({ app_metadata: {}, user_metadata: { full_name: 'Grace Hopper' } });
    });
  });

  describe('m2m-client-guard (credentials-exchange)', () => {
    const exchange = (
      change: (event: AnyEvent) => void,
      secrets = { ALLOWED_AUDIENCES: 'https://api.acme.test' },
    ) => {
      const event: AnyEvent = sampleEvent('credentials-exchange');
      change(event);
      return runChain({
        trigger: 'credentials-exchange',
        actions: [{ ...template('m2m-client-guard.js'), secrets }],
        event,
      });
    };

    it("denies a disabled client with 'invalid_request'", async () => {
      const run = await exchange((e) => {
        e.client.metadata.disabled = 'true';
      });
      expect(run.status).toBe('denied');
      expect(run.result.access).toEqual({
        denied: true,
        code: 'invalid_request',
        reason: 'Client aK3vQp9ZtR7mW2xY8nB4cD6fG1hJ5kL0 is disabled.',
      });
    });

    it("denies an API outside the allow-list with 'invalid_scope'", async () => {
      const run = await exchange(() => {}, { ALLOWED_AUDIENCES: 'https://other.acme.test' });
      expect(run.result.access).toMatchObject({ denied: true, code: 'invalid_scope' });
    });

    it('adds the tier claim otherwise', async () => {
      const run = await exchange(() => {});
      expect(run.status).toBe('final');
      expect(run.result.access_token_claims).toEqual({ 'https://api.example.com/tier': 'standard' });
    });
  });

  describe('slack-new-signup (post-user-registration)', () => {
    it('posts to the webhook', async () => {
      const axios = fakeAxios();
      const run = await runChain({
        trigger: 'post-user-registration',
        actions: [
          {
            ...template('slack-new-signup.js'),
            secrets: { SLACK_WEBHOOK_URL: 'https://hooks.slack.test/T1/B2' },
          },
        ],
        require: dependencies({ axios }),
      });
      expect(run.status).toBe('final');
      expect(axios.post).toHaveBeenCalledWith('https://hooks.slack.test/T1/B2', {
        text: 'New user: grace.hopper@acme.test (Username-Password-Authentication)',
      });
    });

    it('a failing webhook never blocks the signup: recorded, and the next action still runs', async () => {
      const axios = {
        post: vi.fn(async () => Promise.reject(new Error('Request failed with status code 500'))),
      };
      const run = await runChain({
        trigger: 'post-user-registration',
        actions: [
          {
            ...template('slack-new-signup.js'),
            secrets: { SLACK_WEBHOOK_URL: 'https://hooks.slack.test/T1/B2' },
          },
          {
            name: 'audit',
            code: `exports.onExecutePostUserRegistration = async (event) => { console.log('audited', event.user.user_id); };`,
          },
        ],
        require: dependencies({ axios }),
      });
      expect(run.status).toBe('partial');
      expect(run.executions[0]?.error?.message).toBe('Request failed with status code 500');
      expect(run.executions[1]?.logs[0]?.message).toBe('audited auth0|65c1a2b3c4d5e6f708192a3b');
    });
  });

  it('revoke-legacy-sessions (post-change-password, a handler taking only event)', async () => {
    const axios = fakeAxios();
    const run = await runChain({
      trigger: 'post-change-password',
      actions: [
        {
          ...template('revoke-legacy-sessions.js'),
          secrets: { LEGACY_API: 'https://legacy.acme.test', LEGACY_API_KEY: 'k-123' },
        },
      ],
      require: dependencies({ axios }),
    });
    expect(run.status).toBe('final');
    expect(axios.post).toHaveBeenCalledWith(
      'https://legacy.acme.test/sessions/revoke',
      { user_id: 'auth0|64b7f2c9e1a2b3c4d5e6f708' },
      { headers: { 'x-api-key': 'k-123' }, timeout: 5000 },
    );
    expect(run.executions[0]?.logs[0]?.message).toBe(
      'Revoked legacy sessions for auth0|64b7f2c9e1a2b3c4d5e6f708',
    );
  });

  describe('twilio-sms (send-phone-message)', () => {
    function fakeTwilio() {
      const messages = { create: vi.fn(async () => ({ sid: 'SM1' })) };
      const calls = { create: vi.fn(async () => ({ sid: 'CA1' })) };
      const factory = vi.fn(() => ({ messages, calls }));
      return { factory, messages, calls };
    }
    const secrets = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15005550006' };

    it('sends an SMS with the rendered text', async () => {
      const twilio = fakeTwilio();
      const run = await runChain({
        trigger: 'send-phone-message',
        actions: [{ ...template('twilio-sms.js'), secrets }],
        require: dependencies({ twilio: twilio.factory }),
      });
      expect(run.status).toBe('final');
      expect(twilio.factory).toHaveBeenCalledWith('AC1', 'tok');
      expect(twilio.messages.create).toHaveBeenCalledWith({
        body: 'Your Acme verification code is 482913',
        to: '+447700900123',
        from: '+15005550006',
      });
    });

    it('places a call for voice messages', async () => {
      const twilio = fakeTwilio();
      const event: AnyEvent = sampleEvent('send-phone-message');
      event.message_options.message_type = 'voice';
      await runChain({
        trigger: 'send-phone-message',
        event,
        actions: [{ ...template('twilio-sms.js'), secrets }],
        require: dependencies({ twilio: twilio.factory }),
      });
      expect(twilio.messages.create).not.toHaveBeenCalled();
      expect(twilio.calls.create).toHaveBeenCalledWith(
        expect.objectContaining({ to: '+447700900123', twiml: expect.stringContaining('482913') }),
      );
    });
  });

  it('reset-needs-second-factor (password-reset-post-challenge): challenges with the enrolled factors', async () => {
    const run = await runChain({
      trigger: 'password-reset-post-challenge',
      actions: [template('reset-needs-second-factor.js')],
    });
    expect(run.status).toBe('final');
    expect(run.result.authentication).toMatchObject({
      steps: [{ kind: 'challenge', any: true, factors: [{ type: 'otp' }, { type: 'email' }] }],
    });
  });
});
