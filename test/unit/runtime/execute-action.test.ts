import { afterEach, describe, expect, it, vi } from 'vitest';
import { invocationResultSchema } from '../../../shared/runtime/protocol.ts';
import { execute, invocation, NOW, sourceModule } from './helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('executeAction: one action, once', () => {
  it('returns what the action asked for, its cache writes, logs and stats, in the wire shape', async () => {
    const run = await execute(
      `exports.onExecutePostLogin = async (event, api) => {
        console.log('hello', event.user.name);
        api.idToken.setCustomClaim('https://acme.test/plan', event.user.app_metadata.plan);
        api.cache.set('seen', 'yes', { ttl: 1000 });
      };`,
    );
    expect(run).toEqual({
      commands: [{ type: 'idToken.setCustomClaim', key: 'https://acme.test/plan', value: 'pro' }],
      cache_ops: [{ op: 'set', key: 'seen', value: 'yes', expires_at: NOW + 1000 }],
      logs: [{ level: 'log', message: 'hello Ada Lovelace', at: NOW }],
      stats: { boot_ms: expect.any(Number), duration_ms: expect.any(Number) },
    });
    expect(invocationResultSchema.safeParse(run).success).toBe(true);
  });

  it('hands the action its secrets and configuration in event, and the trigger cache in api.cache', async () => {
    const run = await execute(
      `exports.onExecutePostLogin = async (event, api) => {
        api.idToken.setCustomClaim('https://acme.test/seen', [event.secrets.API_KEY, event.configuration.REGION, api.cache.get('k').value]);
      };`,
      {
        secrets: { API_KEY: 'sk_live_1' },
        configuration: { REGION: 'eu' },
        cache: { k: { value: 'cached', expires_at: NOW + 1000 } },
      },
    );
    expect(run.commands[0]).toMatchObject({ value: ['sk_live_1', 'eu', 'cached'] });
  });

  it('gives the action its own copy of the event: the invocation is never mutated', async () => {
    const request = invocation();
    const before = structuredClone(request);
    const run = await execute(
      `exports.onExecutePostLogin = async (event) => {
        event.user.email = 'evil@attacker.test';
        event.secrets.injected = 'x';
        delete event.request;
      };`,
      request,
    );
    expect(run.error).toBeUndefined();
    expect(request).toEqual(before);
  });

  it('calls onContinue* in the continue phase, where continue-only methods work', async () => {
    const code = `
      exports.onExecutePostLogin = async (event, api) => { api.authentication.recordMethod('https://mfa.acme.test'); };
      exports.onContinuePostLogin = async (event, api) => { api.authentication.recordMethod('https://mfa.acme.test'); };`;
    const executed = await execute(code);
    expect(executed.error?.message).toContain('only available in onContinuePostLogin');
    const continued = await execute(code, { entrypoint: 'onContinuePostLogin', continue_state: 'st' });
    expect(continued.error).toBeUndefined();
    expect(continued.commands).toEqual([
      { type: 'authentication.recordMethod', provider_url: 'https://mfa.acme.test' },
    ]);
  });

  it('ignores whatever the handler returns, garbage included', async () => {
    for (const value of [
      '{ deny: true }',
      "'denied'",
      'null',
      '() => 1',
      'new Proxy({}, {})',
      'Symbol("x")',
    ]) {
      const run = await execute(`exports.onExecutePostLogin = async () => ${value};`);
      expect(run.error).toBeUndefined();
      expect(run.commands).toEqual([]);
    }
    const sync = await execute(
      `exports.onExecutePostLogin = (event, api) => { api.access.deny('sync'); return 7; };`,
    );
    expect(sync.commands).toEqual([{ type: 'access.deny', reason: 'sync' }]);
  });

  describe('time limits', () => {
    it('an action that never resolves ends with action_timeout at its deadline', async () => {
      const run = await execute(`exports.onExecutePostLogin = () => new Promise(() => {});`, {
        deadline_ms: 30,
      });
      expect(run.error).toEqual({
        class: 'action_timeout',
        name: 'TimeoutError',
        message: 'Action did not complete within its time limit of 30 ms.',
        stack: expect.any(String),
      });
    });

    it('a timed-out action keeps running in the background, but what it does later is ignored', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      let fired: () => void = () => {};
      const late = new Promise<void>((resolve) => {
        fired = resolve;
      });
      const module = sourceModule(
        `exports.onExecutePostLogin = async (event, api) => {
          api.idToken.setCustomClaim('https://acme.test/early', 1);
          await new Promise((resolve) => setTimeout(resolve, 60));
          api.access.deny('too late');
          require('done')();
        };`,
        (id) => (id === 'done' ? fired : undefined),
      );
      const run = await execute(module, { deadline_ms: 10 });
      const commandsAtReturn = structuredClone(run.commands);
      await late;
      expect(run.error?.class).toBe('action_timeout');
      expect(run.commands).toEqual(commandsAtReturn);
      expect(run.commands.map((c) => c.type)).toEqual(['idToken.setCustomClaim']);
      expect(warn).toHaveBeenCalledWith(
        '[hookchain] api.access.deny: called after the action completed; ignored.',
      );
    });
  });

  describe('stats', () => {
    it('reports boot time on the execution that ran top-level code, and 0 after', async () => {
      const module = sourceModule(`exports.onExecutePostLogin = async () => {};`);
      const first = await execute(module);
      const second = await execute(module);
      expect(first.stats.boot_ms).toBeGreaterThanOrEqual(0);
      expect(second.stats.boot_ms).toBe(0);
      for (const run of [first, second]) {
        expect(Number.isFinite(run.stats.duration_ms)).toBe(true);
        expect(run.stats.duration_ms).toBeGreaterThanOrEqual(0);
      }
    });

    it('are reported for failed executions too', async () => {
      const run = await execute(`exports.onExecutePostLogin = async () => { throw new Error('x'); };`);
      expect(run.stats).toEqual({ boot_ms: expect.any(Number), duration_ms: expect.any(Number) });
    });
  });

  it('keeps commands recorded before a throw, and says why it failed', async () => {
    const run = await execute(
      `exports.onExecutePostLogin = async (event, api) => {
        api.idToken.setCustomClaim('https://acme.test/a', 1);
        api.accessToken.addScope('read write');
      };`,
    );
    expect(run.commands).toHaveLength(1);
    expect(run.error).toMatchObject({
      class: 'action_error',
      name: 'TypeError',
      message: 'api.accessToken.addScope: scope: scope must not contain whitespace',
    });
  });

  it('lets action code recognise argument errors as TypeErrors', async () => {
    const run = await execute(
      `exports.onExecutePostLogin = async (event, api) => {
        try { api.multifactor.enable('sms'); } catch (err) {
          api.idToken.setCustomClaim('https://acme.test/caught', [err instanceof TypeError, err.name]);
        }
      };`,
    );
    expect(run.commands[0]).toMatchObject({ value: [true, 'TypeError'] });
  });
});
