import { describe, expect, it } from 'vitest';
import { runChain } from '../../../shared/testing/index.ts';
import { postChangePassword } from '../../../shared/triggers/post-change-password.ts';
import { describeEventSchema, describeTriggerCache, openApi } from './harness.ts';

const action = (name: string, body: string) => ({
  name,
  code: `exports.onExecutePostChangePassword = async (event, api) => { ${body} };`,
});

describe('post-change-password', () => {
  it('is an async trigger: it never blocks the password change', () => {
    expect(postChangePassword.mode).toBe('async');
    expect(postChangePassword.failurePolicy).toBe('continue');
    expect(postChangePassword.entrypoints).toEqual({ execute: 'onExecutePostChangePassword' });
  });

  it('offers api.cache only, and has nothing to return to the caller', () => {
    const { api } = openApi(postChangePassword);
    expect(Object.keys(api)).toEqual(['cache']);
    expect(Object.keys(api.cache).sort()).toEqual(['delete', 'get', 'set']);
    expect(postChangePassword.initialResult()).toEqual({});
  });

  describeEventSchema(postChangePassword, {
    'user.user_id': (event) => delete event.user.user_id,
    user: (event) => delete event.user,
    request: (event) => delete event.request,
  });

  describeTriggerCache(postChangePassword);

  describe('api.cache in a chain', () => {
    it('what one action caches, the next one reads', async () => {
      const run = await runChain({
        trigger: 'post-change-password',
        actions: [
          action('cache', `api.cache.set('sessions_api_token', 'abc');`),
          action('read', `console.log('token', api.cache.get('sessions_api_token').value);`),
        ],
      });
      expect(run.status).toBe('final');
      expect(run.executions[1]?.logs.map((l) => l.message)).toEqual(['token abc']);
      expect(run.cache.sessions_api_token?.value).toBe('abc');
    });
  });

  it('an action that fails is recorded, later actions still run, the run is partial', async () => {
    const run = await runChain({
      trigger: 'post-change-password',
      actions: [
        action('legacy-sync', `throw new Error('Legacy directory unavailable');`),
        action('notify', `console.log('password changed for', event.user.email);`),
      ],
    });
    expect(run.status).toBe('partial');
    expect(run.error).toBeUndefined();
    expect(run.executions.map((e) => e.error?.message ?? 'ok')).toEqual([
      'Legacy directory unavailable',
      'ok',
    ]);
    expect(run.result).toEqual({});
  });
});
