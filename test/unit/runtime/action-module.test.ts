import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../../shared/runtime/action-module.ts';
import { execute, sourceModule } from './helpers.ts';

/** A `require` that hands the action a probe counting how often top-level code ran. */
function probe() {
  const calls: string[] = [];
  const require = (id: string) => {
    if (id === 'probe') return (what: string) => calls.push(what);
    throw new Error(`Cannot find module '${id}'`);
  };
  return { calls, require };
}

describe('loading action code (CommonJS, the way Auth0 does)', () => {
  it('runs top-level code lazily: not when the module is created, but on the first load', () => {
    const { calls, require } = probe();
    const module = sourceModule(
      `require('probe')('top-level'); exports.onExecutePostLogin = async () => {};`,
      require,
    );
    expect(calls).toEqual([]);
    expect(module.loaded).toBe(false);
    expect(typeof module.load().onExecutePostLogin).toBe('function');
    expect(calls).toEqual(['top-level']);
    expect(module.loaded).toBe(true);
  });

  it('runs top-level code once per module instance, and state lives on between executions', async () => {
    const { calls, require } = probe();
    const code = `
      require('probe')('top-level');
      let executions = 0;
      exports.onExecutePostLogin = async (event, api) => {
        executions += 1;
        api.idToken.setCustomClaim('https://acme.test/n', executions);
      };`;
    const module = sourceModule(code, require);
    const first = await execute(module);
    const second = await execute(module);
    expect(calls).toEqual(['top-level']);
    expect(first.commands[0]).toMatchObject({ value: 1 });
    expect(second.commands[0]).toMatchObject({ value: 2 });

    // Another instance of the same source starts afresh, like a new Auth0 instance.
    const other = await execute(sourceModule(code, require));
    expect(calls).toEqual(['top-level', 'top-level']);
    expect(other.commands[0]).toMatchObject({ value: 1 });
  });

  it('caches a top-level error and re-throws it, same message, on every execution', async () => {
    const { calls, require } = probe();
    const module = sourceModule(
      `require('probe')('top-level'); throw new Error('Missing configuration: API_URL'); exports.onExecutePostLogin = async () => {};`,
      require,
    );
    const runs = [await execute(module), await execute(module), await execute(module)];
    expect(calls).toEqual(['top-level']);
    for (const run of runs) {
      expect(run.error).toMatchObject({
        class: 'action_error',
        name: 'Error',
        message: 'Missing configuration: API_URL',
      });
      expect(run.commands).toEqual([]);
    }
  });

  it('turns a syntax error into a clear action error naming the file and line', async () => {
    const module = sourceModule(
      `exports.onExecutePostLogin = async (event, api) => {\n  if (event.user {\n};`,
    );
    const first = await execute(module);
    const second = await execute(module);
    expect(first.error).toMatchObject({ class: 'action_error', name: 'SyntaxError' });
    expect(first.error?.message).toMatch(/^Unexpected token .*\(spec-action\.js:2\)$/);
    expect(first.error?.stack).toContain('if (event.user {');
    expect(second.error?.message).toBe(first.error?.message);
  });

  it('names the missing export when the handler is absent or not a function', async () => {
    const cases = [
      `exports.onExecutePreUserRegistration = async () => {};`,
      `exports.onExecutePostLogin = 'not a function';`,
      `module.exports = null;`,
      `module.exports = 42;`,
    ];
    for (const code of cases) {
      const run = await execute(code);
      expect(run.error).toMatchObject({
        class: 'action_error',
        name: 'TypeError',
        message: "The action does not export a function named 'onExecutePostLogin'.",
      });
    }
  });

  it('supports module.exports, this === exports, __filename, __dirname and Node built-ins', async () => {
    const run = await execute(`
      const crypto = require('node:crypto');
      const isExports = this === exports;
      module.exports = {
        onExecutePostLogin: async (event, api) => {
          api.idToken.setCustomClaim('https://acme.test/env', {
            isExports,
            file: __filename,
            dir: __dirname,
            hash: crypto.createHash('sha256').update('x').digest('hex').slice(0, 8),
          });
        },
      };`);
    expect(run.error).toBeUndefined();
    expect(run.commands[0]).toMatchObject({
      value: { isExports: true, file: '/actions/spec-action.js', dir: '/actions', hash: '2d711642' },
    });
  });

  it('reports a failing require like Node does, as an action error', async () => {
    const { require } = probe();
    const run = await execute(
      sourceModule(`const axios = require('axios'); exports.onExecutePostLogin = async () => {};`, require),
    );
    expect(run.error).toMatchObject({ class: 'action_error', message: "Cannot find module 'axios'" });
  });

  it('lazyModule wraps a bundled module with the same semantics', () => {
    let inits = 0;
    const module = lazyModule(() => {
      inits += 1;
      if (inits === 1) throw new RangeError('boom at boot');
      return {};
    });
    expect(() => module.load()).toThrow(new RangeError('boom at boot'));
    expect(() => module.load()).toThrow(new RangeError('boom at boot'));
    expect(inits).toBe(1);
    expect(module.loaded).toBe(true);
    expect(module.bootMs).toBeGreaterThanOrEqual(0);
  });
});
