import { describe, expect, it } from 'vitest';
import { runChain } from '../../../shared/testing/index.ts';
import { postUserRegistration } from '../../../shared/triggers/post-user-registration.ts';
import { describeEventSchema, describeTriggerCache, openApi } from './harness.ts';

const action = (name: string, body: string) => ({
  name,
  code: `exports.onExecutePostUserRegistration = async (event, api) => { ${body} };`,
});

describe('post-user-registration', () => {
  it('is an async trigger: it never blocks the signup', () => {
    expect(postUserRegistration.mode).toBe('async');
    expect(postUserRegistration.failurePolicy).toBe('continue');
    expect(postUserRegistration.entrypoints).toEqual({ execute: 'onExecutePostUserRegistration' });
  });

  it('offers api.cache only, and has nothing to return to the caller', () => {
    const { api } = openApi(postUserRegistration);
    expect(Object.keys(api)).toEqual(['cache']);
    expect(Object.keys(api.cache).sort()).toEqual(['delete', 'get', 'set']);
    expect(postUserRegistration.initialResult()).toEqual({});
  });

  describeEventSchema(postUserRegistration, {
    'user.user_id': (event) => delete event.user.user_id,
    user: (event) => delete event.user,
    request: (event) => delete event.request,
  });

  describeTriggerCache(postUserRegistration);

  describe('api.cache in a chain', () => {
    it('what one action caches, the next one reads', async () => {
      const run = await runChain({
        trigger: 'post-user-registration',
        actions: [
          action('cache', `api.cache.set('crm_token', 'abc');`),
          action('read', `console.log('token', api.cache.get('crm_token').value);`),
        ],
      });
      expect(run.status).toBe('final');
      expect(run.executions[1]?.logs.map((l) => l.message)).toEqual(['token abc']);
      expect(run.cache.crm_token?.value).toBe('abc');
    });
  });

  it('an action that fails is recorded, later actions still run, the run is partial', async () => {
    const run = await runChain({
      trigger: 'post-user-registration',
      actions: [
        action('crm', `throw new Error('CRM unavailable');`),
        action('welcome', `console.log('welcome', event.user.email);`),
      ],
    });
    expect(run.status).toBe('partial');
    expect(run.error).toBeUndefined();
    expect(run.executions.map((e) => e.error?.message ?? 'ok')).toEqual(['CRM unavailable', 'ok']);
    expect(run.result).toEqual({});
  });
});
