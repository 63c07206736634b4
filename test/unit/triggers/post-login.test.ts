import { describe, expect, it } from 'vitest';
import { continueChain, runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { postLogin } from '../../../shared/triggers/post-login.ts';
import {
  type AnyApi,
  describeEventSchema,
  describeTriggerCache,
  expectArgumentError,
  expectArgumentRejection,
  openApi,
} from './harness.ts';

const open = (options: Parameters<typeof openApi>[1] = {}) => openApi(postLogin, options);

/** A post-login event with the given overrides merged into a fresh sample. */
function eventWith(change: (event: AnyApi) => void) {
  const event = sampleEvent('post-login');
  change(event);
  return event;
}

const action = (name: string, body: string) => ({
  name,
  code: `exports.onExecutePostLogin = async (event, api) => { ${body} };`,
});

describe('post-login', () => {
  it('is a sync trigger that fails closed, with both handlers', () => {
    expect(postLogin.mode).toBe('sync');
    expect(postLogin.failurePolicy).toBe('fail-closed');
    expect(postLogin.entrypoints).toEqual({ execute: 'onExecutePostLogin', continue: 'onContinuePostLogin' });
  });

  it('offers exactly the api namespaces Auth0 documents for post-login', () => {
    const { api } = open();
    expect(Object.keys(api).sort()).toEqual(
      [
        'access',
        'accessToken',
        'authentication',
        'cache',
        'groups',
        'idToken',
        'multifactor',
        'prompt',
        'redirect',
        'refreshToken',
        'roles',
        'rules',
        'samlResponse',
        'session',
        'transaction',
        'user',
        'validation',
      ].sort(),
    );
  });

  it('starts from a neutral result: nothing denied, claimed, changed or requested', () => {
    expect(postLogin.initialResult()).toEqual({
      access: { denied: false },
      access_token_claims: {},
      access_token_scopes: { added: [], removed: [] },
      id_token_claims: {},
      user: { app_metadata: {}, user_metadata: {} },
      multifactor: null,
      authentication: { steps: [], recorded_methods: [], primary_user_id: null },
      redirect: null,
      prompt: null,
      validation_error: null,
      transaction_metadata: {},
      saml_response: { attributes: {}, settings: {} },
      session: {
        revoked: null,
        expires_at: null,
        idle_expires_at: null,
        metadata_evicted: false,
        metadata: {},
        cookie_mode: null,
      },
      refresh_token: {
        revoked: null,
        expires_at: null,
        idle_expires_at: null,
        metadata_evicted: false,
        metadata: {},
      },
    });
  });

  describeEventSchema(postLogin, {
    'user.user_id': (event) => delete event.user.user_id,
    user: (event) => delete event.user,
    'client.client_id': (event) => delete event.client.client_id,
    client: (event) => delete event.client,
    request: (event) => delete event.request,
    'tenant.id': (event) => delete event.tenant.id,
    'authorization.roles': (event) => {
      event.authorization.roles = 'admin';
    },
  });

  describeTriggerCache(postLogin);

  describe('api.access.deny(reason)', () => {
    it('denies the login with the reason and stops the chain after this action', () => {
      const h = open();
      expect(h.api.access.deny('Logins from this network are blocked')).toBe(h.api);
      expect(h.apply()).toEqual(['stop']);
      expect(h.state.result.access).toEqual({ denied: true, reason: 'Logins from this network are blocked' });
    });

    it('refuses a missing, empty or non-string reason', () => {
      const { api } = open();
      expectArgumentError(() => api.access.deny(), 'api.access.deny', 'reason must be a string');
      expectArgumentError(() => api.access.deny(''), 'api.access.deny', 'reason must not be empty');
      expectArgumentError(() => api.access.deny({ reason: 'x' }), 'api.access.deny');
    });
  });

  describe('api.idToken.setCustomClaim(key, value) and api.accessToken.setCustomClaim(key, value)', () => {
    it('sets claims on each token separately; a later value for the same key wins', () => {
      const h = open();
      expect(h.api.idToken.setCustomClaim('https://acme.test/roles', ['editor'])).toBe(h.api);
      expect(h.api.accessToken.setCustomClaim('https://acme.test/plan', 'pro')).toBe(h.api);
      h.api.accessToken.setCustomClaim('https://acme.test/plan', 'enterprise');
      h.api.idToken.setCustomClaim('https://acme.test/profile', { tier: 2, beta: true, tags: null });
      expect(h.apply()).toEqual([undefined, undefined, undefined, undefined]);
      expect(h.state.result.id_token_claims).toEqual({
        'https://acme.test/roles': ['editor'],
        'https://acme.test/profile': { tier: 2, beta: true, tags: null },
      });
      expect(h.state.result.access_token_claims).toEqual({ 'https://acme.test/plan': 'enterprise' });
    });

    for (const method of ['idToken', 'accessToken'] as const) {
      it(`api.${method}.setCustomClaim refuses empty keys, reserved claims and values JSON cannot carry`, () => {
        const { api } = open();
        const name = `api.${method}.setCustomClaim`;
        expectArgumentError(() => api[method].setCustomClaim('', 1), name, 'key must not be empty');
        expectArgumentError(() => api[method].setCustomClaim(42, 1), name, 'key must be a string');
        for (const reserved of ['sub', 'aud', 'iss', 'exp', 'scope', 'permissions', 'nonce']) {
          expectArgumentError(() => api[method].setCustomClaim(reserved, 'x'), name, 'reserved claim');
        }
        expectArgumentError(() => api[method].setCustomClaim('k', undefined), name, 'JSON-serialisable');
        expectArgumentError(() => api[method].setCustomClaim('k', () => 1), name, 'JSON-serialisable');
        expectArgumentError(() => api[method].setCustomClaim('k', 10n), name, 'JSON-serialisable');
        const cyclic: AnyApi = {};
        cyclic.self = cyclic;
        expectArgumentError(() => api[method].setCustomClaim('k', cyclic), name, 'JSON-serialisable');
      });
    }
  });

  describe('api.accessToken.addScope(scope) / removeScope(scope)', () => {
    it('collects added and removed scopes; the last call for a scope wins', () => {
      const h = open();
      expect(h.api.accessToken.addScope('read:reports')).toBe(h.api);
      h.api.accessToken.addScope('read:reports');
      h.api.accessToken.addScope('write:reports');
      expect(h.api.accessToken.removeScope('profile')).toBe(h.api);
      h.api.accessToken.removeScope('write:reports');
      h.apply();
      expect(h.state.result.access_token_scopes).toEqual({
        added: ['read:reports'],
        removed: ['profile', 'write:reports'],
      });
    });

    it('refuses empty scopes, scopes with whitespace and non-strings', () => {
      const { api } = open();
      for (const method of ['addScope', 'removeScope']) {
        const name = `api.accessToken.${method}`;
        expectArgumentError(() => api.accessToken[method](''), name, 'scope must not be empty');
        expectArgumentError(() => api.accessToken[method]('read write'), name, 'whitespace');
        expectArgumentError(() => api.accessToken[method](['read']), name, 'scope must be a string');
      }
    });
  });

  describe('api.user.setAppMetadata(key, value) / setUserMetadata(key, value)', () => {
    it('collects one merged change set; null deletes a key, undefined drops a pending change', () => {
      const h = open();
      expect(h.api.user.setAppMetadata('plan', 'enterprise')).toBe(h.api);
      expect(h.api.user.setUserMetadata('theme', { mode: 'dark' })).toBe(h.api);
      h.api.user.setUserMetadata('locale', null);
      h.api.user.setAppMetadata('trial', true);
      h.api.user.setAppMetadata('trial', undefined);
      h.apply();
      expect(h.state.result.user).toEqual({
        app_metadata: { plan: 'enterprise' },
        user_metadata: { theme: { mode: 'dark' }, locale: null },
      });
    });

    it("leaves the calling action's own event alone, as Auth0 does (the write happens later)", () => {
      const h = open();
      h.api.user.setAppMetadata('plan', 'enterprise');
      expect(h.event.user).toMatchObject({ app_metadata: { plan: 'pro' } });
    });

    it('shows the changes in event.user of later actions, deletions included', () => {
      const h = open();
      h.api.user.setAppMetadata('plan', 'enterprise');
      h.api.user.setUserMetadata('locale', null);
      h.apply();
      const user = (h.state.event as AnyApi).user;
      expect(user.app_metadata).toEqual({ plan: 'enterprise' });
      expect(user.user_metadata).toEqual({});
    });

    it('merges changes from every action of the chain and shows them to the next ones', async () => {
      const run = await runChain({
        trigger: 'post-login',
        actions: [
          action('a', `api.user.setAppMetadata('plan', 'enterprise').user.setUserMetadata('theme', 'dark');`),
          action('b', `api.user.setAppMetadata('seats', 5);`),
          action(
            'c',
            `api.idToken.setCustomClaim('https://acme.test/meta', [event.user.app_metadata.plan, event.user.app_metadata.seats, event.user.user_metadata.theme]);`,
          ),
        ],
      });
      expect(run.status).toBe('final');
      expect(run.result.user).toEqual({
        app_metadata: { plan: 'enterprise', seats: 5 },
        user_metadata: { theme: 'dark' },
      });
      expect(run.result.id_token_claims).toEqual({ 'https://acme.test/meta': ['enterprise', 5, 'dark'] });
    });

    it('refuses empty keys, missing values and values JSON cannot carry', () => {
      const { api } = open();
      for (const method of ['setAppMetadata', 'setUserMetadata']) {
        const name = `api.user.${method}`;
        expectArgumentError(() => api.user[method]('', 1), name, 'key must not be empty');
        expectArgumentError(() => api.user[method](undefined, 1), name, 'key must be a string');
        expectArgumentError(() => api.user[method]('fn', () => 1), name, 'JSON-serialisable');
        expectArgumentError(() => api.user[method]('big', 1n), name, 'JSON-serialisable');
      }
    });

    it('refuses a change that would take the metadata past 32 kB', () => {
      const { api } = open();
      api.user.setAppMetadata('a', 'x'.repeat(20_000));
      expectArgumentError(
        () => api.user.setAppMetadata('b', 'x'.repeat(20_000)),
        'api.user.setAppMetadata',
        '32768 bytes',
      );
      // user_metadata has its own budget.
      expect(() => api.user.setUserMetadata('b', 'x'.repeat(20_000))).not.toThrow();
    });

    it('refuses to write into metadata that is not an object', () => {
      const h = open();
      h.event.user = { ...(h.event.user as object), app_metadata: 'legacy-string' };
      expectArgumentError(
        () => h.api.user.setAppMetadata('plan', 'pro'),
        'api.user.setAppMetadata',
        'Unexpected app_metadata format',
      );
    });
  });

  describe('api.multifactor.enable(provider, options?)', () => {
    it('requires MFA with the provider; allowRememberBrowser defaults to false', () => {
      const h = open();
      expect(h.api.multifactor.enable('any')).toBe(h.api);
      h.apply();
      expect(h.state.result.multifactor).toEqual({ provider: 'any', allow_remember_browser: false });
    });

    it('keeps the options, and a later call replaces an earlier one', () => {
      const h = open();
      h.api.multifactor.enable('guardian');
      h.api.multifactor.enable('duo', {
        allowRememberBrowser: true,
        providerOptions: { host: 'api-1.duosecurity.test', ikey: 'DIKEY', skey: 'secret' },
      });
      h.apply();
      expect(h.state.result.multifactor).toEqual({
        provider: 'duo',
        allow_remember_browser: true,
        provider_options: { host: 'api-1.duosecurity.test', ikey: 'DIKEY', skey: 'secret' },
      });
    });

    it('accepts every documented provider', () => {
      for (const provider of ['none', 'guardian', 'google-authenticator', 'duo', 'any']) {
        const h = open();
        h.api.multifactor.enable(provider);
        h.apply();
        expect(h.state.result.multifactor).toMatchObject({ provider });
      }
    });

    it('refuses unknown providers and malformed options', () => {
      const { api } = open();
      const name = 'api.multifactor.enable';
      expectArgumentError(() => api.multifactor.enable('sms'), name, 'provider must be one of');
      expectArgumentError(() => api.multifactor.enable(), name, 'provider must be one of');
      expectArgumentError(
        () => api.multifactor.enable('any', { allowRememberBrowser: 'yes' }),
        name,
        'allowRememberBrowser must be a boolean',
      );
      expectArgumentError(
        () => api.multifactor.enable('duo', { providerOptions: { ikey: 'k', skey: 's' } }),
        name,
        'providerOptions.host',
      );
    });
  });

  describe('api.authentication', () => {
    it('challengeWith(factor, { additionalFactors }) records one challenge step with its factors', () => {
      const h = open();
      h.api.authentication.challengeWith(
        { type: 'phone', options: { preferredMethod: 'sms' } },
        {
          additionalFactors: [
            { type: 'otp' },
            { type: 'push-notification', options: { otpFallback: false } },
          ],
        },
      );
      h.apply();
      expect(h.state.result.authentication.steps).toEqual([
        {
          kind: 'challenge',
          any: false,
          factors: [
            { type: 'phone', options: { preferredMethod: 'sms' } },
            { type: 'otp' },
            { type: 'push-notification', options: { otpFallback: false } },
          ],
        },
      ]);
    });

    it('challengeWithAny, enrollWith and enrollWithAny add steps in call order', () => {
      const h = open();
      h.api.authentication.challengeWithAny([{ type: 'otp' }, { type: 'email' }]);
      h.api.authentication.enrollWith({ type: 'webauthn-platform' });
      h.api.authentication.enrollWithAny([{ type: 'otp' }, { type: 'recovery-code' }]);
      h.apply();
      expect(h.state.result.authentication.steps).toEqual([
        { kind: 'challenge', any: true, factors: [{ type: 'otp' }, { type: 'email' }] },
        { kind: 'enroll', any: false, factors: [{ type: 'webauthn-platform' }] },
        { kind: 'enroll', any: true, factors: [{ type: 'otp' }, { type: 'recovery-code' }] },
      ]);
    });

    it('refuses unknown factor types, empty factor lists and bad factor options', () => {
      const { api } = open();
      expectArgumentError(
        () => api.authentication.challengeWith({ type: 'sms' }),
        'api.authentication.challengeWith',
        'factor type must be one of',
      );
      expectArgumentError(() => api.authentication.challengeWith(), 'api.authentication.challengeWith');
      expectArgumentError(
        () => api.authentication.challengeWith({ type: 'phone', options: { preferredMethod: 'fax' } }),
        'api.authentication.challengeWith',
        'preferredMethod',
      );
      expectArgumentError(
        () => api.authentication.challengeWithAny([]),
        'api.authentication.challengeWithAny',
        'factors must not be empty',
      );
      // email can be challenged but not enrolled.
      expectArgumentError(
        () => api.authentication.enrollWith({ type: 'email' }),
        'api.authentication.enrollWith',
        'factor type must be one of',
      );
      expectArgumentError(() => api.authentication.enrollWithAny('otp'), 'api.authentication.enrollWithAny');
    });

    it('recordMethod(url) records a custom method, once, only in onContinuePostLogin', () => {
      const h = open({ phase: 'continue' });
      expect(h.api.authentication.recordMethod('https://mfa.acme.test/totp')).toBe(h.api);
      h.api.authentication.recordMethod('https://mfa.acme.test/totp');
      h.apply();
      expect(h.state.result.authentication.recorded_methods).toEqual(['https://mfa.acme.test/totp']);

      const { api } = open({ phase: 'execute' });
      expectArgumentError(
        () => api.authentication.recordMethod('https://mfa.acme.test/totp'),
        'api.authentication.recordMethod',
        'onContinuePostLogin',
      );
    });

    it('recordMethod refuses anything but an absolute http(s) URL', () => {
      const { api } = open({ phase: 'continue' });
      for (const url of ['mfa.acme.test', 'ftp://mfa.acme.test', '', 7]) {
        expectArgumentError(() => api.authentication.recordMethod(url), 'api.authentication.recordMethod');
      }
    });

    it('setPrimaryUser(id) switches the subject, once per transaction, ids up to 128 characters', () => {
      const h = open();
      expect(h.api.authentication.setPrimaryUser('auth0|primary')).toBe(h.api);
      h.apply();
      expect(h.state.result.authentication.primary_user_id).toBe('auth0|primary');
      expectArgumentError(
        () => h.api.authentication.setPrimaryUser('auth0|other'),
        'api.authentication.setPrimaryUser',
        'once per transaction',
      );

      const { api } = open();
      expectArgumentError(
        () => api.authentication.setPrimaryUser('x'.repeat(129)),
        'api.authentication.setPrimaryUser',
        'at most 128',
      );
      expectArgumentError(() => api.authentication.setPrimaryUser(''), 'api.authentication.setPrimaryUser');
    });
  });

  describe('api.redirect.sendUserTo(url, { query }) and canRedirect()', () => {
    it('asks for a redirect with its query and suspends the chain after this action', () => {
      const h = open();
      expect(h.api.redirect.sendUserTo('https://consent.acme.test/form', { query: { lang: 'en' } })).toBe(
        h.api,
      );
      expect(h.apply()).toEqual(['suspend']);
      expect(h.state.result.redirect).toEqual({
        url: 'https://consent.acme.test/form',
        query: { lang: 'en' },
      });
    });

    it('hands the caller a URL carrying the query and the state to resume with', async () => {
      const run = await runChain({
        trigger: 'post-login',
        actions: [action('consent', `api.redirect.sendUserTo('https://consent.acme.test/form?step=1');`)],
      });
      expect(run.status).toBe('suspended');
      const url = new URL((run.result.redirect as { url: string }).url);
      expect(url.searchParams.get('step')).toBe('1');
      expect(url.searchParams.get('state')).toBe(run.state);
    });

    it('refuses relative or non-http URLs and non-string query values', () => {
      const { api } = open();
      const name = 'api.redirect.sendUserTo';
      expectArgumentError(() => api.redirect.sendUserTo('/consent'), name, 'absolute http(s) URL');
      expectArgumentError(() => api.redirect.sendUserTo('javascript:alert(1)'), name, 'absolute http(s) URL');
      expectArgumentError(() => api.redirect.sendUserTo(undefined), name);
      expectArgumentError(
        () => api.redirect.sendUserTo('https://consent.acme.test', { query: { n: 1 } }),
        name,
        'query values must be strings',
      );
    });

    it('cannot be combined with api.prompt.render in one action', () => {
      const { api } = open();
      api.prompt.render('consent-form');
      expectArgumentError(
        () => api.redirect.sendUserTo('https://consent.acme.test'),
        'api.redirect.sendUserTo',
        'api.prompt.render',
      );
    });

    it('canRedirect() is true for an interactive login', () => {
      expect(open().api.redirect.canRedirect()).toBe(true);
    });

    it('canRedirect() is false for prompt=none and for non-interactive grants; sendUserTo says so', () => {
      const cases = [
        eventWith((e) => {
          e.transaction.prompt = ['none'];
        }),
        eventWith((e) => {
          e.request.query.prompt = 'none';
        }),
        ...['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'oauth2-webauthn'].map(
          (protocol) =>
            eventWith((e) => {
              e.transaction.protocol = protocol;
            }),
        ),
      ];
      for (const event of cases) {
        const { api } = open({ event });
        expect(api.redirect.canRedirect()).toBe(false);
        expectArgumentError(
          () => api.redirect.sendUserTo('https://consent.acme.test'),
          'api.redirect.sendUserTo',
          'cannot redirect',
        );
      }
    });
  });

  describe('api.prompt.render(promptId, { fields, vars })', () => {
    it('asks for a prompt and suspends the chain after this action', () => {
      const h = open();
      expect(h.api.prompt.render('ap_profile', { fields: { company: 'Acme' }, vars: { step: 2 } })).toBe(
        h.api,
      );
      expect(h.apply()).toEqual(['suspend']);
      expect(h.state.result.prompt).toEqual({
        id: 'ap_profile',
        fields: { company: 'Acme' },
        vars: { step: 2 },
      });
    });

    it('allows one render per action, never with a redirect', () => {
      const { api } = open();
      api.prompt.render('ap_profile');
      expectArgumentError(() => api.prompt.render('ap_other'), 'api.prompt.render', 'only one prompt');

      const other = open();
      other.api.redirect.sendUserTo('https://consent.acme.test');
      expectArgumentError(
        () => other.api.prompt.render('ap_profile'),
        'api.prompt.render',
        'api.redirect.sendUserTo',
      );
    });

    it('refuses an empty id and options that are too large or not JSON', () => {
      const { api } = open();
      expectArgumentError(() => api.prompt.render(''), 'api.prompt.render', 'promptId must not be empty');
      expectArgumentError(
        () => api.prompt.render('ap', { fields: { blob: 'x'.repeat(11 * 1024) } }),
        'api.prompt.render',
        'at most 10240 bytes',
      );
      expectArgumentError(() => api.prompt.render('ap', { vars: { n: 1n } }), 'api.prompt.render', 'JSON');
      expectArgumentError(() => api.prompt.render('ap', { fields: 'all' }), 'api.prompt.render', 'fields');
    });
  });

  describe('api.validation.error(errorCode, errorMessage)', () => {
    it('rejects the login with the code and message and stops the chain', () => {
      const h = open();
      expect(h.api.validation.error('invalid_plan', 'Your plan does not include this app')).toBe(h.api);
      expect(h.apply()).toEqual(['stop']);
      expect(h.state.result.validation_error).toEqual({
        code: 'invalid_plan',
        message: 'Your plan does not include this app',
      });
    });

    it('needs both a code and a message', () => {
      const { api } = open();
      expectArgumentError(() => api.validation.error('code'), 'api.validation.error', 'errorMessage');
      expectArgumentError(() => api.validation.error('', 'msg'), 'api.validation.error', 'errorCode');
    });

    it('stops the chain like a deny', async () => {
      const run = await runChain({
        trigger: 'post-login',
        actions: [
          action('validate', `api.validation.error('invalid_plan', 'No access');`),
          action('never', `api.idToken.setCustomClaim('https://acme.test/ran', true);`),
        ],
      });
      expect(run.status).toBe('denied');
      expect(run.executions.map((e) => e.action_name)).toEqual(['validate']);
      expect(run.result.id_token_claims).toEqual({});
    });
  });

  describe('api.transaction.setMetadata(key, value)', () => {
    it('updates event.transaction.metadata at once, in this action and for later ones', () => {
      const h = open();
      expect(h.api.transaction.setMetadata('risk', 'low')).toBe(h.api);
      h.api.transaction.setMetadata('score', 12.5);
      h.api.transaction.setMetadata('vip', false);
      expect((h.event as AnyApi).transaction.metadata).toEqual({ risk: 'low', score: 12.5, vip: false });
      h.api.transaction.setMetadata('score', null);
      expect((h.event as AnyApi).transaction.metadata).toEqual({ risk: 'low', vip: false });
      h.apply();
      expect(h.state.result.transaction_metadata).toEqual({ risk: 'low', vip: false });
      expect((h.state.event as AnyApi).transaction.metadata).toEqual({ risk: 'low', vip: false });
    });

    it('accepts only strings, finite numbers, safe integers, booleans and null', () => {
      const { api } = open();
      const name = 'api.transaction.setMetadata';
      for (const bad of [{ a: 1 }, ['a'], undefined, 1n]) {
        expectArgumentError(
          () => api.transaction.setMetadata('k', bad),
          name,
          'string, number, boolean or null',
        );
      }
      expectArgumentError(() => api.transaction.setMetadata('k', Number.NaN), name);
      expectArgumentError(() => api.transaction.setMetadata('k', Number.POSITIVE_INFINITY), name);
      expectArgumentError(() => api.transaction.setMetadata('k', 2 ** 53), name, 'safe');
    });

    it('enforces the documented limits: keys ≤64 characters, values ≤8 KB, ≤16 KB in all', () => {
      const { api } = open();
      const name = 'api.transaction.setMetadata';
      expectArgumentError(() => api.transaction.setMetadata('k'.repeat(65), 'v'), name, 'at most 64');
      expectArgumentError(() => api.transaction.setMetadata('', 'v'), name, 'key must not be empty');
      expectArgumentError(() => api.transaction.setMetadata('big', 'x'.repeat(8 * 1024 + 1)), name, '8 KB');
      api.transaction.setMetadata('a', 'x'.repeat(8000));
      api.transaction.setMetadata('b', 'x'.repeat(8000));
      expectArgumentError(() => api.transaction.setMetadata('c', 'x'.repeat(500)), name, '16 KB');
    });
  });

  describe('api.samlResponse', () => {
    it('setAttribute(name, value) sets attributes; null or undefined removes one', () => {
      const h = open();
      h.api.samlResponse.setAttribute('http://schemas.acme.test/claims/department', 'R&D');
      h.api.samlResponse.setAttribute('groups', ['a', 'b']);
      h.api.samlResponse.setAttribute('legacy', null);
      h.api.samlResponse.setAttribute('obsolete', undefined);
      h.apply();
      expect(h.state.result.saml_response.attributes).toEqual({
        'http://schemas.acme.test/claims/department': 'R&D',
        groups: ['a', 'b'],
        legacy: null,
        obsolete: null,
      });
    });

    it('setAttribute refuses objects, values over 2 kB, empty names and more than 100 attributes', () => {
      const { api } = open();
      const name = 'api.samlResponse.setAttribute';
      expectArgumentError(() => api.samlResponse.setAttribute('a', { nested: true }), name, 'value must be');
      expectArgumentError(() => api.samlResponse.setAttribute('a', 'x'.repeat(2049)), name, '2 kB');
      expectArgumentError(() => api.samlResponse.setAttribute('', 'x'), name, 'attribute must not be empty');
      for (let i = 0; i < 100; i++) api.samlResponse.setAttribute(`attr${i}`, i);
      api.samlResponse.setAttribute('attr0', 'again'); // the same attribute again is fine
      expectArgumentError(() => api.samlResponse.setAttribute('attr100', 1), name, 'at most 100');
    });

    /** Each setter, a value it accepts, the result key, and a value it refuses. */
    const SETTERS: Array<[string, unknown, string, unknown]> = [
      ['setAudience', 'urn:acme:sp', 'audience', 42],
      ['setRecipient', 'https://sp.acme.test/acs', 'recipient', 'x'.repeat(2049)],
      ['setDestination', 'https://sp.acme.test/acs', 'destination', null],
      ['setCreateUpnClaim', false, 'create_upn_claim', 'no'],
      ['setPassthroughClaimsWithNoMapping', false, 'passthrough_claims_with_no_mapping', 0],
      ['setMapUnknownClaimsAsIs', true, 'map_unknown_claims_as_is', 'true'],
      ['setMapIdentities', false, 'map_identities', undefined],
      ['setSignatureAlgorithm', 'rsa-sha1', 'signature_algorithm', 'md5'],
      ['setDigestAlgorithm', 'sha1', 'digest_algorithm', 'md5'],
      ['setLifetimeInSeconds', 7200, 'lifetime_in_seconds', -1],
      ['setSignResponse', true, 'sign_response', 1],
      [
        'setNameIdentifierFormat',
        'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        'name_identifier_format',
        'x'.repeat(513),
      ],
      [
        'setNameIdentifierProbes',
        ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'],
        'name_identifier_probes',
        new Array(11).fill('p'),
      ],
      [
        'setAuthnContextClassRef',
        'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
        'authn_context_class_ref',
        {},
      ],
      [
        'setSigningCert',
        '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----',
        'signing_cert',
        'x'.repeat(4097),
      ],
      ['setIncludeAttributeNameFormat', false, 'include_attribute_name_format', 'false'],
      ['setTypedAttributes', false, 'typed_attributes', null],
      ['setEncryptionCert', '-----BEGIN CERTIFICATE-----', 'encryption_cert', 7],
      ['setEncryptionPublicKey', '-----BEGIN PUBLIC KEY-----', 'encryption_public_key', 'x'.repeat(4097)],
      ['setCert', '-----BEGIN CERTIFICATE-----', 'cert', []],
      ['setKey', '-----BEGIN PRIVATE KEY-----', 'key', 'x'.repeat(4097)],
      ['setRelayState', 'dashboard', 'relay_state', 3],
      ['setIssuer', 'urn:acme:idp', 'issuer', false],
      ['setEncryptionAlgorithm', 'aes256-gcm', 'encryption_algorithm', 'aes128-cbc'],
    ];

    it('has a setter for each of the 24 documented settings', () => {
      const { api } = open();
      const setters = Object.keys(api.samlResponse).filter((k) => k !== 'setAttribute');
      expect(setters.sort()).toEqual(SETTERS.map(([setter]) => setter).sort());
    });

    for (const [setter, good, key, bad] of SETTERS) {
      it(`${setter} records ${key} and refuses a bad value`, () => {
        const h = open();
        expect(h.api.samlResponse[setter](good)).toBe(h.api);
        h.apply();
        expect(h.state.result.saml_response.settings).toEqual({ [key]: good });
        expectArgumentError(() => h.api.samlResponse[setter](bad), `api.samlResponse.${setter}`);
      });
    }
  });

  describe.each([
    ['session', 'session'],
    ['refreshToken', 'refresh_token'],
  ] as const)('api.%s', (apiName, section) => {
    const refreshEvent = () =>
      eventWith((e) => {
        e.transaction.protocol = 'oauth2-refresh-token';
        e.refresh_token = { id: 'rt_1', metadata: { device: 'laptop' } };
      });

    it('setExpiresAt / setIdleExpiresAt keep the earliest time asked for', () => {
      const h = open();
      h.api[apiName].setExpiresAt(Date.UTC(2027, 0, 2));
      h.api[apiName].setExpiresAt(Date.UTC(2027, 0, 1));
      h.api[apiName].setExpiresAt(Date.UTC(2027, 0, 3));
      h.api[apiName].setIdleExpiresAt(Date.UTC(2026, 11, 1));
      h.apply();
      expect(h.state.result[section]).toMatchObject({
        expires_at: Date.UTC(2027, 0, 1),
        idle_expires_at: Date.UTC(2026, 11, 1),
      });
    });

    it('setExpiresAt / setIdleExpiresAt refuse anything but positive epoch milliseconds', () => {
      const { api } = open();
      for (const method of ['setExpiresAt', 'setIdleExpiresAt']) {
        for (const bad of ['2027-01-01', -5, 1.5, undefined]) {
          expectArgumentError(() => api[apiName][method](bad), `api.${apiName}.${method}`);
        }
      }
    });

    it(`setMetadata / deleteMetadata / evictMetadata update event.${section}.metadata at once and for later actions`, () => {
      const h = open({ event: refreshEvent() });
      const live = () => (h.event as AnyApi)[section].metadata;
      h.api[apiName].setMetadata('risk', 'low');
      h.api[apiName].setMetadata('region', 'eu');
      expect(live()).toMatchObject({ risk: 'low', region: 'eu' });
      h.api[apiName].deleteMetadata('risk');
      h.api[apiName].setMetadata('region', null);
      expect(live()).not.toHaveProperty('risk');
      expect(live()).not.toHaveProperty('region');
      h.apply();
      expect(h.state.result[section].metadata).toEqual({ risk: null, region: null });
      expect((h.state.event as AnyApi)[section].metadata).not.toHaveProperty('risk');

      const evict = open({ event: refreshEvent() });
      evict.api[apiName].setMetadata('a', '1');
      evict.api[apiName].evictMetadata();
      evict.api[apiName].setMetadata('b', '2');
      expect((evict.event as AnyApi)[section].metadata).toEqual({ b: '2' });
      evict.apply();
      expect(evict.state.result[section]).toMatchObject({ metadata_evicted: true, metadata: { b: '2' } });
      expect((evict.state.event as AnyApi)[section].metadata).toEqual({ b: '2' });
    });

    it('metadata follows the documented limits: [a-zA-Z0-9_-] keys, string values ≤255, ≤25 keys', () => {
      const { api } = open({ event: refreshEvent() });
      const name = `api.${apiName}.setMetadata`;
      expectArgumentError(() => api[apiName].setMetadata('bad key', 'v'), name, 'letters, digits');
      expectArgumentError(() => api[apiName].setMetadata('k'.repeat(256), 'v'), name, 'at most 255');
      expectArgumentError(() => api[apiName].setMetadata('k', 'v'.repeat(256)), name, 'at most 255');
      expectArgumentError(() => api[apiName].setMetadata('k', 42), name, 'value must be a string');
      expectArgumentError(() => api[apiName].deleteMetadata('bad key'), `api.${apiName}.deleteMetadata`);
      api[apiName].evictMetadata();
      for (let i = 0; i < 25; i++) api[apiName].setMetadata(`k${i}`, 'v');
      api[apiName].setMetadata('k0', 'changed'); // an existing key is not a new one
      expectArgumentError(() => api[apiName].setMetadata('k25', 'v'), name, 'at most 25');
    });

    it('revoke(reason) revokes, denies the login and stops the chain', () => {
      const h = open({ event: refreshEvent() });
      expect(h.api[apiName].revoke('Device reported stolen')).toBe(h.api);
      expect(h.apply()).toEqual(['stop']);
      expect(h.state.result[section]).toMatchObject({ revoked: { reason: 'Device reported stolen' } });
      expect(h.state.result.access).toEqual({ denied: true, reason: 'Device reported stolen' });
      expectArgumentError(() => h.api[apiName].revoke(''), `api.${apiName}.revoke`, 'reason');
    });
  });

  describe('api.session only', () => {
    it('revoke(reason, { preserveRefreshTokens }) keeps the option', () => {
      const h = open();
      h.api.session.revoke('Signed out everywhere', { preserveRefreshTokens: true });
      h.apply();
      expect(h.state.result.session.revoked).toEqual({
        reason: 'Signed out everywhere',
        preserve_refresh_tokens: true,
      });
    });

    it("setCookieMode('persistent' | 'non-persistent'): the last call wins", () => {
      const h = open();
      expect(h.api.session.setCookieMode('persistent')).toBe(h.api);
      h.api.session.setCookieMode('non-persistent');
      expect((h.event as AnyApi).session.cookie).toEqual({ mode: 'non-persistent' });
      h.apply();
      expect(h.state.result.session.cookie_mode).toBe('non-persistent');
      expect((h.state.event as AnyApi).session.cookie).toEqual({ mode: 'non-persistent' });
      expectArgumentError(
        () => h.api.session.setCookieMode('forever'),
        'api.session.setCookieMode',
        'mode must be',
      );
    });

    it('without event.session there is no metadata to set, and nothing to delete or evict', () => {
      const h = open({
        event: eventWith((e) => {
          delete e.session;
        }),
      });
      expectArgumentError(() => h.api.session.setMetadata('k', 'v'), 'api.session.setMetadata', 'no session');
      expect(h.api.session.deleteMetadata('k')).toBe(h.api);
      expect(h.api.session.evictMetadata()).toBe(h.api);
      h.api.session.setCookieMode('persistent');
      expect(h.session.commands).toEqual([{ type: 'session.setCookieMode', mode: 'persistent' }]);
      h.apply();
      expect(h.event).not.toHaveProperty('session');
      expect(h.state.event).not.toHaveProperty('session');
    });

    it('metadata set before a redirect is still visible to the actions after the resume', async () => {
      const actions = [
        action('tag', `api.session.setMetadata('risk', 'low'); api.session.deleteMetadata('stale');`),
        {
          name: 'step-up',
          code: `exports.onExecutePostLogin = async (event, api) => { api.redirect.sendUserTo('https://mfa.acme.test'); };
                 exports.onContinuePostLogin = async () => {};`,
        },
        action('read', `api.idToken.setCustomClaim('https://acme.test/session', event.session.metadata);`),
      ];
      const fresh = () =>
        eventWith((e) => {
          e.session.metadata = { stale: 'yes' };
        });
      const suspended = await runChain({ trigger: 'post-login', actions, event: fresh() });
      // The caller sends the event as it knows it: it has not applied the changes yet.
      const resumed = await continueChain({
        trigger: 'post-login',
        actions,
        state: suspended.state as string,
        event: fresh(),
      });
      expect(resumed.status).toBe('final');
      expect(resumed.result.id_token_claims).toEqual({ 'https://acme.test/session': { risk: 'low' } });
      expect(resumed.result.session).toMatchObject({ metadata: { risk: 'low', stale: null } });
    });
  });

  describe('api.refreshToken only', () => {
    it('metadata may be set before the token exists; event.refresh_token is never invented', () => {
      const h = open();
      expect(h.event).not.toHaveProperty('refresh_token');
      h.api.refreshToken.setMetadata('device', 'kiosk');
      h.apply();
      expect(h.state.result.refresh_token.metadata).toEqual({ device: 'kiosk' });
      expect(h.event).not.toHaveProperty('refresh_token');
      expect(h.state.event).not.toHaveProperty('refresh_token');
    });

    it('an online refresh token cannot be changed', () => {
      const { api } = open({
        event: eventWith((e) => {
          e.refresh_token = { id: 'rt_online', access: 'online', metadata: {} };
        }),
      });
      for (const [method, args] of [
        ['setExpiresAt', [Date.UTC(2027, 0, 1)]],
        ['setIdleExpiresAt', [Date.UTC(2027, 0, 1)]],
        ['setMetadata', ['k', 'v']],
        ['deleteMetadata', ['k']],
        ['evictMetadata', []],
      ] as const) {
        expectArgumentError(
          () => api.refreshToken[method](...args),
          `api.refreshToken.${method}`,
          'online refresh token',
        );
      }
    });

    it('revoke is available only in a refresh-token exchange', () => {
      const { api } = open();
      expectArgumentError(
        () => api.refreshToken.revoke('nope'),
        'api.refreshToken.revoke',
        'oauth2-refresh-token',
      );
    });

    it('has no setCookieMode', () => {
      expect(open().api.refreshToken.setCookieMode).toBeUndefined();
    });
  });

  describe('api.groups (answers from event.user.groups)', () => {
    const withGroups = () =>
      eventWith((e) => {
        e.user.groups = [
          'engineering',
          { id: 'grp_sales', name: 'sales', group_type: 'organization', external_id: 'scim-7' },
          'support',
        ];
      });

    it('getUserGroups pages through the groups with a checkpoint', async () => {
      const { api } = open({ event: withGroups() });
      const first = await api.groups.getUserGroups({ take: 2 });
      expect(first.groups).toEqual([
        { id: 'engineering', name: 'engineering' },
        { id: 'grp_sales', name: 'sales', group_type: 'organization', external_id: 'scim-7' },
      ]);
      expect(typeof first.next).toBe('string');
      const second = await api.groups.getUserGroups({ take: 2, from: first.next });
      expect(second).toEqual({ groups: [{ id: 'support', name: 'support' }] });
      expect(await api.groups.getUserGroups()).toEqual({
        groups: [first.groups[0], first.groups[1], second.groups[0]],
      });
    });

    it('getUserGroups answers an empty list when the caller sent no groups', async () => {
      expect(await open().api.groups.getUserGroups()).toEqual({ groups: [] });
    });

    it('hasGroupMembership answers per group asked, by id or by name, in Auth0’s shape', async () => {
      const { api } = open({ event: withGroups() });
      expect(await api.groups.hasGroupMembership(['sales', 'engineering', 'finance'])).toEqual({
        memberships: {
          sales: {
            is_member: true,
            matches: [{ id: 'grp_sales', name: 'sales', group_type: 'organization' }],
          },
          engineering: {
            is_member: true,
            matches: [{ id: 'engineering', name: 'engineering', group_type: 'tenant' }],
          },
          finance: { is_member: false },
        },
      });
      const byId = await api.groups.hasGroupMembership(['grp_sales']);
      expect(byId.memberships.grp_sales.is_member).toBe(true);
    });

    it('refuses bad pagination options and an empty or malformed group list', async () => {
      const { api } = open({ event: withGroups() });
      await expectArgumentRejection(() => api.groups.getUserGroups({ take: 0 }), 'api.groups.getUserGroups');
      await expectArgumentRejection(
        () => api.groups.getUserGroups({ take: 'all' }),
        'api.groups.getUserGroups',
      );
      await expectArgumentRejection(() => api.groups.getUserGroups({ from: 7 }), 'api.groups.getUserGroups');
      await expectArgumentRejection(
        () => api.groups.getUserGroups({ from: 'garbage' }),
        'api.groups.getUserGroups',
      );
      await expectArgumentRejection(() => api.groups.hasGroupMembership([]), 'api.groups.hasGroupMembership');
      await expectArgumentRejection(
        () => api.groups.hasGroupMembership('sales'),
        'api.groups.hasGroupMembership',
      );
      await expectArgumentRejection(
        () => api.groups.hasGroupMembership([1]),
        'api.groups.hasGroupMembership',
      );
    });
  });

  describe('api.roles (answers from event.authorization)', () => {
    it('getUserEffectiveRoles lists event.authorization.roles as { id, name, type }', async () => {
      const { api } = open({
        event: eventWith((e) => {
          e.authorization.roles = ['editor', 'admin'];
        }),
      });
      expect(await api.roles.getUserEffectiveRoles()).toEqual({
        roles: [
          { id: 'editor', name: 'editor', type: 'role' },
          { id: 'admin', name: 'admin', type: 'role' },
        ],
      });
      const page = await api.roles.getUserEffectiveRoles({ take: 1 });
      expect(page.roles).toHaveLength(1);
      expect(await api.roles.getUserEffectiveRoles({ take: 1, from: page.next })).toEqual({
        roles: [{ id: 'admin', name: 'admin', type: 'role' }],
      });
    });

    it('prefers the richer event.authorization.effective_roles when the caller sends it', async () => {
      const { api } = open({
        event: eventWith((e) => {
          e.authorization.effective_roles = [
            { id: 'rol_1', name: 'admin', type: 'role' },
            { id: 'rol_2', name: 'billing', type: 'organization' },
          ];
        }),
      });
      expect(await api.roles.getUserEffectiveRolesByIds(['rol_2', 'rol_9'])).toEqual({
        roles: [{ id: 'rol_2', name: 'billing', type: 'organization' }],
      });
      expect(await api.roles.getUserEffectiveRolesByNames(['admin'])).toEqual({
        roles: [{ id: 'rol_1', name: 'admin', type: 'role' }],
      });
    });

    it('refuses bad arguments with the documented maximums (take ≤100, ids ≤100, names ≤50)', async () => {
      const { api } = open();
      await expectArgumentRejection(
        () => api.roles.getUserEffectiveRoles({ take: 101 }),
        'api.roles.getUserEffectiveRoles',
      );
      await expectArgumentRejection(
        () => api.roles.getUserEffectiveRolesByIds(new Array(101).fill('r')),
        'api.roles.getUserEffectiveRolesByIds',
      );
      await expectArgumentRejection(
        () => api.roles.getUserEffectiveRolesByNames(new Array(51).fill('r')),
        'api.roles.getUserEffectiveRolesByNames',
      );
      await expectArgumentRejection(
        () => api.roles.getUserEffectiveRolesByNames('admin'),
        'api.roles.getUserEffectiveRolesByNames',
      );
    });
  });

  describe('api.rules.wasExecuted(ruleId)', () => {
    it('answers from event.executed_rules', () => {
      const { api } = open({
        event: eventWith((e) => {
          e.executed_rules = ['rul_legacy_1'];
        }),
      });
      expect(api.rules.wasExecuted('rul_legacy_1')).toBe(true);
      expect(api.rules.wasExecuted('rul_other')).toBe(false);
      expect(open().api.rules.wasExecuted('rul_legacy_1')).toBe(false);
      expectArgumentError(() => api.rules.wasExecuted(''), 'api.rules.wasExecuted');
    });
  });

  describe('calls that fail validation', () => {
    it('record nothing, so the action may catch the error and go on', () => {
      const h = open();
      expect(() => h.api.access.deny('')).toThrow(TypeError);
      h.api.idToken.setCustomClaim('https://acme.test/ok', true);
      expect(h.session.commands).toEqual([
        { type: 'idToken.setCustomClaim', key: 'https://acme.test/ok', value: true },
      ]);
    });
  });
});

describe('api.authentication.setPrimaryUser across the chain', () => {
  it('may be called once per transaction: a later action setting another primary user fails', async () => {
    const { runChain } = await import('../../../shared/testing/index.ts');
    const set = (id: string) => ({
      name: `set-${id}`,
      code: `exports.onExecutePostLogin = async (event, api) => { api.authentication.setPrimaryUser('${id}'); };`,
    });
    const run = await runChain({
      trigger: 'post-login',
      actions: [set('auth0|primary'), set('auth0|other')],
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({
      action_name: 'set-auth0|other',
      message: expect.stringContaining('already set'),
    });
    expect((run.result.authentication as { primary_user_id: string }).primary_user_id).toBe('auth0|primary');
  });
});
