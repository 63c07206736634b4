import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createActionConsole,
  LogBuffer,
  MAX_LOG_BYTES,
  MAX_LOG_LINES,
  withLogBuffer,
} from '../../../shared/runtime/console-capture.ts';
import { execute, invocation, NOW, sourceModule } from './helpers.ts';

/** A stand-in for the process console: what reaches it outside any execution. */
function fakeConsole() {
  const calls: Array<[string, unknown[]]> = [];
  const record =
    (method: string) =>
    (...args: unknown[]) =>
      calls.push([method, args]);
  const fake = {
    log: record('log'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
    trace: record('trace'),
    dir: record('dir'),
  } as unknown as Console;
  return { fake, calls };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LogBuffer', () => {
  it('formats each call like console.log (util.format) and stamps it with the clock', () => {
    let now = NOW;
    const buffer = new LogBuffer(() => now++);
    buffer.write('log', ['%s has %d items', 'cart', 3]);
    buffer.write('info', ['user', { id: 7, roles: ['admin'] }]);
    buffer.write('error', [new Error('boom').message, 42, null]);
    expect(buffer.drain()).toEqual([
      { level: 'log', message: 'cart has 3 items', at: NOW },
      { level: 'info', message: "user { id: 7, roles: [ 'admin' ] }", at: NOW + 1 },
      { level: 'error', message: 'boom 42 null', at: NOW + 2 },
    ]);
  });

  it('keeps messages whole up to the cap, then drops and counts, and says so at the end', () => {
    const buffer = new LogBuffer(() => NOW, 100);
    buffer.write('log', ['a'.repeat(60)]);
    buffer.write('log', ['b'.repeat(60)]); // would pass the cap: dropped whole
    buffer.write('log', ['c'.repeat(30)]); // still fits
    buffer.write('warn', ['€'.repeat(10)]); // 30 bytes in UTF-8: dropped
    expect(buffer.drain()).toEqual([
      { level: 'log', message: 'a'.repeat(60), at: NOW },
      { level: 'log', message: 'c'.repeat(30), at: NOW },
      {
        level: 'warn',
        message:
          '[hookchain] 90 bytes of console output dropped: an action may log at most 100 bytes per execution.',
        at: NOW,
      },
    ]);
  });

  it('keeps 256 KB per execution by default, more than Auth0’s 256 characters', () => {
    expect(MAX_LOG_BYTES).toBe(256 * 1024);
  });

  it('caps the number of lines too: empty lines cost no bytes but each is kept in memory', () => {
    const buffer = new LogBuffer(() => NOW);
    for (let i = 0; i < MAX_LOG_LINES + 500; i++) buffer.write('log', ['']);
    const entries = buffer.drain();
    expect(entries).toHaveLength(MAX_LOG_LINES + 1);
    expect(entries.at(-1)?.message).toBe(
      `[hookchain] 500 console lines (0 bytes) dropped: an action may log at most ${MAX_LOG_LINES} lines and ${MAX_LOG_BYTES} bytes per execution.`,
    );
  });

  it('drain closes the buffer and hands back a copy', () => {
    const buffer = new LogBuffer(() => NOW);
    buffer.write('log', ['one']);
    expect(buffer.open).toBe(true);
    const drained = buffer.drain();
    expect(buffer.open).toBe(false);
    drained.push({ level: 'log', message: 'mine', at: 0 });
    expect(buffer.entries).toHaveLength(1);
  });
});

describe('the console actions get', () => {
  it('writes every level into the running execution’s buffer; dir counts as log', () => {
    const { fake, calls } = fakeConsole();
    const actionConsole = createActionConsole(fake);
    const buffer = new LogBuffer(() => NOW);
    withLogBuffer(buffer, () => {
      actionConsole.log('log');
      actionConsole.info('info');
      actionConsole.warn('warn');
      actionConsole.error('error');
      actionConsole.debug('debug');
      actionConsole.trace('trace');
      actionConsole.dir({ a: 1 });
    });
    expect(buffer.drain().map((e) => [e.level, e.message])).toEqual([
      ['log', 'log'],
      ['info', 'info'],
      ['warn', 'warn'],
      ['error', 'error'],
      ['debug', 'debug'],
      ['trace', 'trace'],
      ['log', '{ a: 1 }'],
    ]);
    expect(calls).toEqual([]);
  });

  it('captures assert, count, table and group output too', () => {
    const actionConsole = createActionConsole(fakeConsole().fake);
    const buffer = new LogBuffer(() => NOW);
    withLogBuffer(buffer, () => {
      actionConsole.assert(1 > 2, 'math is %s', 'broken');
      actionConsole.assert(true, 'never shown');
      actionConsole.count('logins');
      actionConsole.count('logins');
      actionConsole.table([{ plan: 'pro' }]);
      actionConsole.group('step 1');
    });
    const messages = buffer.drain();
    expect(messages.slice(0, 3).map((e) => [e.level, e.message])).toEqual([
      ['warn', 'Assertion failed: math is broken'],
      ['log', 'logins: 1'],
      ['log', 'logins: 2'],
    ]);
    expect(messages[3]?.message).toContain('plan');
    expect(messages[4]?.message).toBe('step 1');
  });

  it('outside any execution, writes to the process console instead', () => {
    const { fake, calls } = fakeConsole();
    const actionConsole = createActionConsole(fake);
    actionConsole.warn('no execution', 1);
    actionConsole.count('c');
    expect(calls).toEqual([
      ['warn', ['no execution', 1]],
      ['log', ['c: 1']],
    ]);
  });

  it('keeps concurrent executions apart', async () => {
    const actionConsole = createActionConsole(fakeConsole().fake);
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const run = (name: string, buffer: LogBuffer) =>
      withLogBuffer(buffer, async () => {
        for (let i = 0; i < 3; i++) {
          actionConsole.log(`${name} ${i}`);
          await tick();
        }
      });
    const a = new LogBuffer(() => NOW);
    const b = new LogBuffer(() => NOW);
    await Promise.all([run('a', a), run('b', b)]);
    expect(a.drain().map((e) => e.message)).toEqual(['a 0', 'a 1', 'a 2']);
    expect(b.drain().map((e) => e.message)).toEqual(['b 0', 'b 1', 'b 2']);
  });
});

describe('console output of an execution', () => {
  it('comes back with levels and timestamps, top-level output in the first execution', async () => {
    let now = NOW;
    const module = sourceModule(`
      console.log('booting');
      exports.onExecutePostLogin = async (event, api) => {
        console.info('login for %s', event.user.email);
        console.error({ code: 42 });
      };`);
    const first = await execute(module, {}, () => now++);
    expect(first.logs.map(({ level, message }) => [level, message])).toEqual([
      ['log', 'booting'],
      ['info', 'login for ada.lovelace@acme.test'],
      ['error', '{ code: 42 }'],
    ]);
    expect(first.logs.every((entry) => entry.at >= NOW && entry.at < now)).toBe(true);
    const second = await execute(module);
    expect(second.logs.map((e) => e.message)).toEqual(['login for ada.lovelace@acme.test', '{ code: 42 }']);
  });

  it('is capped per execution, with a note saying how much was dropped', async () => {
    const run = await execute(`
      exports.onExecutePostLogin = async () => {
        const line = 'x'.repeat(1024);
        for (let i = 0; i < 300; i++) console.log(line);
      };`);
    expect(run.error).toBeUndefined();
    expect(run.logs).toHaveLength(257);
    expect(run.logs.at(-1)).toMatchObject({
      level: 'warn',
      message: `[hookchain] ${44 * 1024} bytes of console output dropped: an action may log at most ${MAX_LOG_BYTES} bytes per execution.`,
    });
  });

  it('keeps concurrent executions of one module apart', async () => {
    const module = sourceModule(`
      exports.onExecutePostLogin = async (event) => {
        for (let i = 0; i < 3; i++) {
          console.log(event.user.user_id, i);
          await new Promise((resolve) => setImmediate(resolve));
        }
      };`);
    const user = (id: string) => ({ event: { ...invocation().event, user: { user_id: id } } });
    const [a, b] = await Promise.all([execute(module, user('auth0|a')), execute(module, user('auth0|b'))]);
    expect(a.logs.map((e) => e.message)).toEqual(['auth0|a 0', 'auth0|a 1', 'auth0|a 2']);
    expect(b.logs.map((e) => e.message)).toEqual(['auth0|b 0', 'auth0|b 1', 'auth0|b 2']);
  });

  it('never gains output written after the execution ended; that goes to the process console', async () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    let fired: () => void = () => {};
    const late = new Promise<void>((resolve) => {
      fired = resolve;
    });
    const module = sourceModule(
      `exports.onExecutePostLogin = async () => {
        console.log('in time');
        setTimeout(() => { console.log('too late'); require('done')(); }, 0);
      };`,
      (id) => (id === 'done' ? fired : undefined),
    );
    const run = await execute(module);
    await late;
    expect(run.logs.map((e) => e.message)).toEqual(['in time']);
    expect(spy).toHaveBeenCalledWith('too late');
  });
});
