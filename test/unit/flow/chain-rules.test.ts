import { describe, expect, it } from 'vitest';
import { continueChain, runChain, sampleEvent } from '../../../shared/testing/index.ts';

const action = (name: string, body: string, extra = '') => ({
  name,
  code: `exports.onExecutePostLogin = async (event, api) => { ${body} };\n${extra}`,
});

describe('a post-login chain', () => {
  it('runs actions in binding order and merges what each asked for', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action('first', `api.idToken.setCustomClaim('https://acme.test/order', ['first']);`),
        action(
          'second',
          `api.accessToken.setCustomClaim('https://acme.test/order', 'second'); api.accessToken.addScope('read:reports');`,
        ),
      ],
    });
    expect(run.status).toBe('final');
    expect(run.result.id_token_claims).toEqual({ 'https://acme.test/order': ['first'] });
    expect(run.result.access_token_claims).toEqual({ 'https://acme.test/order': 'second' });
    expect(run.result.access_token_scopes).toEqual({ added: ['read:reports'], removed: [] });
    expect(run.executions.map((e) => e.action_name)).toEqual(['first', 'second']);
  });

  it('lets the denying action finish, then runs nothing after it', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action('deny', `api.access.deny('Not from here'); api.user.setAppMetadata('denied_at', 'now');`),
        action('never', `api.idToken.setCustomClaim('https://acme.test/ran', true);`),
      ],
    });
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({ denied: true, reason: 'Not from here' });
    expect(run.result.user).toEqual({ app_metadata: { denied_at: 'now' }, user_metadata: {} });
    expect(run.executions.map((e) => e.action_name)).toEqual(['deny']);
    expect(run.result.id_token_claims).toEqual({});
  });

  it('shows metadata set earlier to later actions and returns one merged change set', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action(
          'set',
          `api.user.setAppMetadata('plan', 'enterprise'); api.user.setUserMetadata('theme', 'dark');`,
        ),
        action('read', `api.idToken.setCustomClaim('https://acme.test/plan', event.user.app_metadata.plan);`),
        action('remove', `api.user.setUserMetadata('locale', null);`),
      ],
    });
    expect(run.result.id_token_claims).toEqual({ 'https://acme.test/plan': 'enterprise' });
    expect(run.result.user).toEqual({
      app_metadata: { plan: 'enterprise' },
      user_metadata: { theme: 'dark', locale: null },
    });
  });

  it('never lets writes to event leak into the next action', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action(
          'mutate',
          `event.user.email = 'evil@attacker.test'; event.user.app_metadata.plan = 'free'; delete event.request;`,
        ),
        action(
          'read',
          `api.idToken.setCustomClaim('https://acme.test/seen', [event.user.email, event.user.app_metadata.plan, typeof event.request]);`,
        ),
      ],
    });
    expect(run.result.id_token_claims).toEqual({
      'https://acme.test/seen': ['ada.lovelace@acme.test', 'pro', 'object'],
    });
  });

  it('passes transaction metadata to later actions at once', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action(
          'set',
          `api.transaction.setMetadata('risk', 'low'); api.idToken.setCustomClaim('https://acme.test/own', event.transaction.metadata.risk);`,
        ),
        action(
          'read',
          `api.accessToken.setCustomClaim('https://acme.test/risk', event.transaction.metadata.risk);`,
        ),
      ],
    });
    expect(run.result.id_token_claims).toEqual({ 'https://acme.test/own': 'low' });
    expect(run.result.access_token_claims).toEqual({ 'https://acme.test/risk': 'low' });
    expect(run.result.transaction_metadata).toEqual({ risk: 'low' });
  });

  it('fails closed with the action error and discards that action’s commands', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action('ok', `api.idToken.setCustomClaim('https://acme.test/a', 1);`),
        action(
          'broken',
          `api.idToken.setCustomClaim('https://acme.test/b', 2); throw new Error('Upstream CRM is down');`,
        ),
        action('never', `api.idToken.setCustomClaim('https://acme.test/c', 3);`),
      ],
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({
      class: 'action_error',
      action_name: 'broken',
      message: 'Upstream CRM is down',
    });
    expect(run.result.id_token_claims).toEqual({ 'https://acme.test/a': 1 });
    expect(run.executions[1]?.commands).toHaveLength(1);
  });

  it('suspends on a redirect and resumes in the same action’s onContinuePostLogin', async () => {
    const actions = [
      action('claims', `api.idToken.setCustomClaim('https://acme.test/before', true);`),
      action(
        'consent',
        `api.redirect.sendUserTo('https://consent.acme.test/form', { query: { lang: 'en' } });`,
        `exports.onContinuePostLogin = async (event, api) => { api.user.setUserMetadata('consented', event.request.query.consent === 'yes'); };`,
      ),
      action(
        'after',
        `api.accessToken.setCustomClaim('https://acme.test/consented', event.user.user_metadata.consented);`,
      ),
    ];
    const suspended = await runChain({ trigger: 'post-login', actions });
    expect(suspended.status).toBe('suspended');
    expect(suspended.executions.map((e) => e.action_name)).toEqual(['claims', 'consent']);
    const redirect = suspended.result.redirect as { url: string; state: string };
    const url = new URL(redirect.url);
    expect(url.origin + url.pathname).toBe('https://consent.acme.test/form');
    expect(url.searchParams.get('lang')).toBe('en');
    expect(url.searchParams.get('state')).toBe(suspended.state);

    const event = sampleEvent('post-login');
    (event.request as { query: Record<string, string> }).query = { consent: 'yes' };
    const resumed = await continueChain({
      trigger: 'post-login',
      actions,
      state: suspended.state as string,
      event,
    });
    expect(resumed.status).toBe('final');
    expect(resumed.executions.map((e) => `${e.action_name}:${e.entrypoint}`)).toEqual([
      'consent:onContinuePostLogin',
      'after:onExecutePostLogin',
    ]);
    expect(resumed.result.id_token_claims).toEqual({ 'https://acme.test/before': true });
    expect(resumed.result.access_token_claims).toEqual({ 'https://acme.test/consented': true });
    expect(resumed.result.redirect).toBeNull();
  });

  it('gives each action what is left of one time budget', async () => {
    const run = await runChain({
      trigger: 'post-login',
      budget_ms: 300,
      actions: [
        action('slow', `await new Promise((resolve) => setTimeout(resolve, 400));`),
        action('never', `api.idToken.setCustomClaim('https://acme.test/x', 1);`),
      ],
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ class: 'action_timeout', action_name: 'slow' });
    expect(run.executions).toHaveLength(1);
  });

  it('shares the trigger cache with later actions', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        action('writer', `api.cache.set('token', 'abc', { ttl: 60000 });`),
        action(
          'reader',
          `api.idToken.setCustomClaim('https://acme.test/token', api.cache.get('token')?.value ?? 'miss');`,
        ),
      ],
    });
    expect(run.result.id_token_claims).toEqual({ 'https://acme.test/token': 'abc' });
    expect(run.cache.token?.value).toBe('abc');
  });
});

describe('an async chain', () => {
  it('never blocks: a failing action is recorded, later actions still run, the run is partial', async () => {
    const run = await runChain({
      trigger: 'post-user-registration',
      actions: [
        {
          name: 'broken',
          code: `exports.onExecutePostUserRegistration = async () => { throw new Error('CRM down'); };`,
        },
        {
          name: 'welcome',
          code: `exports.onExecutePostUserRegistration = async (event) => { console.log('welcome', event.user.email); };`,
        },
      ],
    });
    expect(run.status).toBe('partial');
    expect(run.executions.map((e) => e.error?.message ?? 'ok')).toEqual(['CRM down', 'ok']);
    expect(run.executions[1]?.logs[0]?.message).toBe('welcome grace.hopper@acme.test');
  });
});
