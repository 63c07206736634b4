import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';
import { credentialsExchange } from '../../../shared/triggers/credentials-exchange.ts';
import {
  type AnyApi,
  describeEventSchema,
  describeTriggerCache,
  expectArgumentError,
  openApi,
} from './harness.ts';

const open = (options: Parameters<typeof openApi>[1] = {}) => openApi(credentialsExchange, options);

const action = (name: string, body: string) => ({
  name,
  code: `exports.onExecuteCredentialsExchange = async (event, api) => { ${body} };`,
});

describe('credentials-exchange', () => {
  it('is a sync trigger that fails closed, with one handler', () => {
    expect(credentialsExchange.mode).toBe('sync');
    expect(credentialsExchange.failurePolicy).toBe('fail-closed');
    expect(credentialsExchange.entrypoints).toEqual({ execute: 'onExecuteCredentialsExchange' });
  });

  it('offers access, accessToken, cache and transaction, and nothing else', () => {
    const { api } = open();
    expect(Object.keys(api).sort()).toEqual(['access', 'accessToken', 'cache', 'transaction']);
    expect(Object.keys(api.accessToken)).toEqual(['setCustomClaim']);
    expect(Object.keys(api.transaction).sort()).toEqual([
      'addTargetScope',
      'clearTargetScopes',
      'removeTargetScope',
      'setTargetScopes',
    ]);
  });

  it('starts from a neutral result', () => {
    expect(credentialsExchange.initialResult()).toEqual({
      access: { denied: false },
      access_token_claims: {},
      target_scopes: null,
    });
  });

  describeEventSchema(credentialsExchange, {
    'client.client_id': (event) => delete event.client.client_id,
    client: (event) => delete event.client,
    request: (event) => delete event.request,
    'resource_server.identifier': (event) => delete event.resource_server.identifier,
    'accessToken.scope': (event) => {
      event.accessToken.scope = 'read:reports';
    },
  });

  describeTriggerCache(credentialsExchange);

  describe('api.access.deny(code, reason?)', () => {
    it('denies with an OAuth error code and an optional reason, and stops the chain', () => {
      const h = open();
      expect(h.api.access.deny('invalid_request', 'This client is suspended')).toBe(h.api);
      expect(h.apply()).toEqual(['stop']);
      expect(h.state.result.access).toEqual({
        denied: true,
        code: 'invalid_request',
        reason: 'This client is suspended',
      });

      const bare = open();
      bare.api.access.deny('server_error');
      bare.apply();
      expect(bare.state.result.access).toEqual({ denied: true, code: 'server_error' });
    });

    it('accepts exactly the documented codes', () => {
      for (const code of ['invalid_scope', 'invalid_request', 'server_error']) {
        expect(() => open().api.access.deny(code, 'why')).not.toThrow();
      }
      const { api } = open();
      expectArgumentError(
        () => api.access.deny('access_denied', 'why'),
        'api.access.deny',
        'code must be one of invalid_scope, invalid_request, server_error',
      );
      expectArgumentError(() => api.access.deny(), 'api.access.deny', 'code must be one of');
      expectArgumentError(
        () => api.access.deny('invalid_request', 42),
        'api.access.deny',
        'reason must be a string',
      );
    });

    it('stops the chain: later actions do not run', async () => {
      const run = await runChain({
        trigger: 'credentials-exchange',
        actions: [
          action('deny', `api.access.deny('invalid_scope', 'Not for you');`),
          action('never', `api.accessToken.setCustomClaim('https://acme.test/ran', true);`),
        ],
      });
      expect(run.status).toBe('denied');
      expect(run.executions.map((e) => e.action_name)).toEqual(['deny']);
      expect(run.result.access_token_claims).toEqual({});
    });
  });

  describe('api.accessToken.setCustomClaim(key, value)', () => {
    it('sets claims on the access token; later values win', () => {
      const h = open();
      expect(h.api.accessToken.setCustomClaim('https://acme.test/tenant', 'acme')).toBe(h.api);
      h.api.accessToken.setCustomClaim('https://acme.test/tier', 1);
      h.api.accessToken.setCustomClaim('https://acme.test/tier', 2);
      h.apply();
      expect(h.state.result.access_token_claims).toEqual({
        'https://acme.test/tenant': 'acme',
        'https://acme.test/tier': 2,
      });
    });

    it('refuses empty keys, reserved claims and values JSON cannot carry', () => {
      const { api } = open();
      const name = 'api.accessToken.setCustomClaim';
      expectArgumentError(() => api.accessToken.setCustomClaim('', 1), name, 'key must not be empty');
      expectArgumentError(() => api.accessToken.setCustomClaim('gty', 'x'), name, 'reserved claim');
      expectArgumentError(() => api.accessToken.setCustomClaim('k', Symbol('s')), name, 'JSON-serialisable');
    });
  });

  describe('api.transaction target scopes', () => {
    it('start from the token’s scopes when the caller sends no target_scopes, as Auth0 does', () => {
      const h = open();
      h.api.transaction.addTargetScope('write:reports');
      expect((h.event as AnyApi).transaction.target_scopes).toEqual(['read:reports', 'write:reports']);
      h.apply();
      expect(h.state.result.target_scopes).toEqual(['read:reports', 'write:reports']);
    });

    it('start from event.transaction.target_scopes when the caller sends it', () => {
      const event: AnyApi = sampleEvent('credentials-exchange');
      event.transaction.target_scopes = ['read:billing'];
      const h = open({ event });
      h.api.transaction.addTargetScope('write:billing');
      h.apply();
      expect(h.state.result.target_scopes).toEqual(['read:billing', 'write:billing']);
    });

    it('add / remove / set / clear change event.transaction.target_scopes at once, without duplicates', () => {
      const h = open();
      const live = () => (h.event as AnyApi).transaction.target_scopes;
      h.api.transaction.addTargetScope('read:reports');
      expect(live()).toEqual(['read:reports']);
      h.api.transaction.setTargetScopes(['a', 'b', 'a']);
      expect(live()).toEqual(['a', 'b']);
      h.api.transaction.removeTargetScope('a');
      expect(live()).toEqual(['b']);
      h.api.transaction.clearTargetScopes();
      expect(live()).toEqual([]);
      h.api.transaction.addTargetScope('c');
      h.apply();
      expect(h.state.result.target_scopes).toEqual(['c']);
      expect((h.state.event as AnyApi).transaction.target_scopes).toEqual(['c']);
    });

    it('are visible to later actions, and the caller gets the final set', async () => {
      const run = await runChain({
        trigger: 'credentials-exchange',
        actions: [
          action('narrow', `api.transaction.setTargetScopes(['read:reports']);`),
          action(
            'read',
            `api.accessToken.setCustomClaim('https://acme.test/seen', event.transaction.target_scopes.join(' ')); api.transaction.addTargetScope('audit');`,
          ),
        ],
      });
      expect(run.result.access_token_claims).toEqual({ 'https://acme.test/seen': 'read:reports' });
      expect(run.result.target_scopes).toEqual(['read:reports', 'audit']);
    });

    it('stay null in the result when no action touched them', async () => {
      const run = await runChain({ trigger: 'credentials-exchange', actions: [action('noop', '')] });
      expect(run.result.target_scopes).toBeNull();
    });

    it('refuse empty scopes, scopes with whitespace and non-arrays', () => {
      const { api } = open();
      expectArgumentError(() => api.transaction.addTargetScope(''), 'api.transaction.addTargetScope');
      expectArgumentError(
        () => api.transaction.addTargetScope('a b'),
        'api.transaction.addTargetScope',
        'whitespace',
      );
      expectArgumentError(() => api.transaction.removeTargetScope(3), 'api.transaction.removeTargetScope');
      expectArgumentError(() => api.transaction.setTargetScopes('a b'), 'api.transaction.setTargetScopes');
      expectArgumentError(
        () => api.transaction.setTargetScopes(['ok', '']),
        'api.transaction.setTargetScopes',
      );
    });

    it('every target-scope method chains', () => {
      const { api } = open();
      expect(api.transaction.addTargetScope('a')).toBe(api);
      expect(api.transaction.removeTargetScope('a')).toBe(api);
      expect(api.transaction.setTargetScopes(['b'])).toBe(api);
      expect(api.transaction.clearTargetScopes()).toBe(api);
    });
  });
});
