import { describe, expect, it } from 'vitest';
import { runChain } from '../../../shared/testing/index.ts';
import { preUserRegistration } from '../../../shared/triggers/pre-user-registration.ts';
import {
  type AnyApi,
  describeEventSchema,
  describeTriggerCache,
  expectArgumentError,
  openApi,
} from './harness.ts';

const open = (options: Parameters<typeof openApi>[1] = {}) => openApi(preUserRegistration, options);

const action = (name: string, body: string) => ({
  name,
  code: `exports.onExecutePreUserRegistration = async (event, api) => { ${body} };`,
});

describe('pre-user-registration', () => {
  it('is a sync trigger that fails closed, with one handler', () => {
    expect(preUserRegistration.mode).toBe('sync');
    expect(preUserRegistration.failurePolicy).toBe('fail-closed');
    expect(preUserRegistration.entrypoints).toEqual({ execute: 'onExecutePreUserRegistration' });
  });

  it('offers access, user, validation and cache, and nothing else', () => {
    const { api } = open();
    expect(Object.keys(api).sort()).toEqual(['access', 'cache', 'user', 'validation']);
  });

  it('starts from a neutral result', () => {
    expect(preUserRegistration.initialResult()).toEqual({
      access: { denied: false },
      user: { app_metadata: {}, user_metadata: {} },
      validation_error: null,
    });
  });

  describeEventSchema(preUserRegistration, {
    user: (event) => delete event.user,
    request: (event) => delete event.request,
    'user.email': (event) => {
      event.user.email = 42;
    },
    'user.app_metadata': (event) => {
      event.user.app_metadata = 'not-an-object';
    },
  });

  it('needs no user_id: the user does not exist yet', () => {
    const event: AnyApi = preUserRegistration.sampleEvent();
    expect(event.user.user_id).toBeUndefined();
    expect(() => preUserRegistration.parseEvent(event)).not.toThrow();
  });

  describeTriggerCache(preUserRegistration);

  describe('api.access.deny(reason, userMessage?)', () => {
    it('denies the signup: an internal reason and a message for the user, then the chain stops', () => {
      const h = open();
      expect(h.api.access.deny('blocked_domain', 'Sign-ups from this domain are not allowed.')).toBe(h.api);
      expect(h.apply()).toEqual(['stop']);
      expect(h.state.result.access).toEqual({
        denied: true,
        reason: 'blocked_domain',
        user_message: 'Sign-ups from this domain are not allowed.',
      });
    });

    it('the user message is optional', () => {
      const h = open();
      h.api.access.deny('blocked_domain');
      h.apply();
      expect(h.state.result.access).toEqual({ denied: true, reason: 'blocked_domain' });
    });

    it('refuses an empty reason or a non-string message', () => {
      const { api } = open();
      expectArgumentError(() => api.access.deny(''), 'api.access.deny', 'reason must not be empty');
      expectArgumentError(
        () => api.access.deny('r', { text: 'x' }),
        'api.access.deny',
        'userMessage must be a string',
      );
    });
  });

  describe('api.validation.error(errorCode, errorMessage)', () => {
    it('rejects the signup with the code and message and stops the chain', async () => {
      const run = await runChain({
        trigger: 'pre-user-registration',
        actions: [
          action('validate', `api.validation.error('missing_name', 'Please tell us your full name.');`),
          action('never', `api.user.setUserMetadata('ran', true);`),
        ],
      });
      expect(run.status).toBe('denied');
      expect(run.result.validation_error).toEqual({
        code: 'missing_name',
        message: 'Please tell us your full name.',
      });
      expect(run.executions.map((e) => e.action_name)).toEqual(['validate']);
      expect(run.result.user).toEqual({ app_metadata: {}, user_metadata: {} });
    });

    it('refuses missing arguments', () => {
      const { api } = open();
      expectArgumentError(() => api.validation.error(), 'api.validation.error', 'errorCode');
      expectArgumentError(() => api.validation.error('code', ''), 'api.validation.error', 'errorMessage');
    });
  });

  describe('api.user.setAppMetadata / setUserMetadata', () => {
    it('collect metadata for the profile that gets created, visible to later actions', async () => {
      const run = await runChain({
        trigger: 'pre-user-registration',
        actions: [
          action(
            'name',
            `api.user.setUserMetadata('full_name', event.request.body['ulp-fullName']).user.setAppMetadata('source', 'signup');`,
          ),
          action('check', `api.user.setAppMetadata('saw_name', event.user.user_metadata.full_name);`),
        ],
      });
      expect(run.status).toBe('final');
      expect(run.result.user).toEqual({
        app_metadata: { source: 'signup', saw_name: 'Grace Hopper' },
        user_metadata: { full_name: 'Grace Hopper' },
      });
    });

    it('side effects of a denying action are kept (Auth0 does not roll them back)', async () => {
      const run = await runChain({
        trigger: 'pre-user-registration',
        actions: [
          action('deny', `api.user.setAppMetadata('flagged', true); api.access.deny('fraud', 'Sorry.');`),
        ],
      });
      expect(run.status).toBe('denied');
      expect(run.result.user).toEqual({ app_metadata: { flagged: true }, user_metadata: {} });
    });

    it('chain, and refuse bad keys and values', () => {
      const { api } = open();
      expect(api.user.setAppMetadata('a', 1)).toBe(api);
      expect(api.user.setUserMetadata('b', 2)).toBe(api);
      expectArgumentError(
        () => api.user.setAppMetadata('', 1),
        'api.user.setAppMetadata',
        'key must not be empty',
      );
      expectArgumentError(
        () => api.user.setUserMetadata('k', () => 1),
        'api.user.setUserMetadata',
        'JSON-serialisable',
      );
    });
  });
});
