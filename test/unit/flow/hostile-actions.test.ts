/**
 * Whatever an action does, its failure is data about that action and the chain ends the way its
 * trigger's failure policy says: a sync chain fails closed naming the action, an async chain
 * records the error and runs the rest. The executor itself never throws.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { executeChain } from '../../../shared/flow/execute-chain.ts';
import type { ActionRunner, ChainAction } from '../../../shared/flow/types.ts';
import type { ActionInvocation, ActionInvocationResult } from '../../../shared/runtime/protocol.ts';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';
import type { TriggerDefinition } from '../../../shared/triggers/framework.ts';
import type { TriggerId } from '../../../shared/triggers/ids.ts';
import { getTrigger } from '../../../shared/triggers/registry.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

type Matcher = Record<string, unknown>;

interface Hostile {
  behaviour: string;
  /** The whole module source, given the handler's export name. */
  code: (entrypoint: string) => string;
  error: Matcher;
  /** Only meaningful where the trigger has the api it misuses. */
  syncOnly?: boolean;
}

const handler = (entrypoint: string, body: string) =>
  `exports.${entrypoint} = async (event, api) => { ${body} };`;

const HOSTILE: Hostile[] = [
  {
    behaviour: 'throws at top level',
    code: (e) => `throw new Error('Missing secret: CRM_KEY');\n${handler(e, '')}`,
    error: { class: 'action_error', name: 'Error', message: 'Missing secret: CRM_KEY' },
  },
  {
    behaviour: 'has a syntax error',
    code: (e) => `exports.${e} = async (event, api) => { if ( };`,
    error: { class: 'action_error', name: 'SyntaxError', message: expect.stringContaining('hostile.js:1') },
  },
  {
    behaviour: 'exports no handler for this trigger',
    code: () => `exports.onExecuteSomethingElse = async () => {};`,
    error: {
      class: 'action_error',
      name: 'TypeError',
      message: expect.stringMatching(/does not export a function named/),
    },
  },
  {
    behaviour: 'never resolves',
    code: (e) => `exports.${e} = () => new Promise(() => {});`,
    error: {
      class: 'action_timeout',
      name: 'TimeoutError',
      message: expect.stringContaining('time limit of 50 ms'),
    },
  },
  {
    behaviour: 'throws a string',
    code: (e) => handler(e, `throw 'no';`),
    error: { class: 'action_error', name: 'Error', message: "Action threw a non-Error value: 'no'" },
  },
  {
    behaviour: 'throws undefined',
    code: (e) => handler(e, `throw undefined;`),
    error: { class: 'action_error', message: 'Action threw a non-Error value: undefined' },
  },
  {
    behaviour: 'rejects with a plain object',
    code: (e) => `exports.${e} = () => Promise.reject({ status: 503, body: 'upstream' });`,
    error: {
      class: 'action_error',
      message: "Action threw a non-Error value: { status: 503, body: 'upstream' }",
    },
  },
  {
    behaviour: 'throws an Error whose properties throw',
    code: (e) =>
      handler(
        e,
        `const err = new Error('x'); Object.defineProperty(err, 'message', { get() { throw new Error('gotcha'); } }); throw err;`,
      ),
    error: { class: 'action_error', name: 'Error', message: '' },
  },
  {
    behaviour: 'throws a proxy whose traps throw',
    code: (e) =>
      handler(e, `throw new Proxy(new Error('p'), { get() { throw 1; }, getPrototypeOf() { throw 2; } });`),
    error: { class: 'action_error', name: 'Error', message: expect.stringContaining('non-Error value') },
  },
  {
    behaviour: 'calls an api namespace its trigger does not have',
    code: (e) => handler(e, `api.notification.drop('no provider here');`),
    error: { class: 'action_error', name: 'TypeError', message: expect.stringContaining("reading 'drop'") },
  },
  {
    behaviour: 'calls an api method with bad arguments and does not catch the error',
    code: (e) => handler(e, `api.idToken.setCustomClaim('sub', 'admin');`),
    error: {
      class: 'action_error',
      name: 'TypeError',
      message: "api.idToken.setCustomClaim: key: 'sub' is a reserved claim and cannot be set",
    },
    syncOnly: true,
  },
];

/** A sync chain (post-login) and an async one (post-user-registration) with the same shape. */
const CHAINS: Array<{
  mode: 'sync' | 'async';
  trigger: TriggerId;
  entrypoint: string;
  record: (tag: string) => string;
}> = [
  {
    mode: 'sync',
    trigger: 'post-login',
    entrypoint: 'onExecutePostLogin',
    record: (tag) => `api.idToken.setCustomClaim('https://acme.test/${tag}', true);`,
  },
  {
    mode: 'async',
    trigger: 'post-user-registration',
    entrypoint: 'onExecutePostUserRegistration',
    record: (tag) => `console.log('ran ${tag}'); api.cache.set('${tag}', 'ran');`,
  },
];

describe.each(CHAINS)(
  'a $mode chain ($trigger) with a hostile action',
  ({ mode, trigger, entrypoint, record }) => {
    const chain = (hostile: string) => [
      { name: 'before', code: handler(entrypoint, record('before')) },
      { name: 'hostile', code: hostile, timeout_ms: 50, filename: '/actions/hostile.js' },
      { name: 'after', code: handler(entrypoint, record('after')) },
    ];

    for (const hostile of HOSTILE.filter((h) => mode === 'sync' || !h.syncOnly)) {
      it(`that ${hostile.behaviour}: the error is that action's, the outcome is ${mode === 'sync' ? 'failed' : 'partial'}`, async () => {
        const run = await runChain({ trigger, actions: chain(hostile.code(entrypoint)) });
        const failedRun = run.executions.find((e) => e.action_name === 'hostile');
        expect(failedRun?.error).toMatchObject(hostile.error);
        if (mode === 'sync') {
          expect(run.status).toBe('failed');
          expect(run.error).toMatchObject({
            ...hostile.error,
            action_name: 'hostile',
            action_id: '1:hostile',
          });
          expect(run.executions.map((e) => e.action_name)).toEqual(['before', 'hostile']);
          expect(run.result.id_token_claims).toEqual({ 'https://acme.test/before': true });
        } else {
          expect(run.status).toBe('partial');
          expect(run.error).toBeUndefined();
          expect(run.executions.map((e) => [e.action_name, e.error === null])).toEqual([
            ['before', true],
            ['hostile', false],
            ['after', true],
          ]);
          expect(run.executions[2]?.logs.map((l) => l.message)).toEqual(['ran after']);
          expect(Object.keys(run.cache).sort()).toEqual(['after', 'before']);
        }
      });
    }

    it('that returns garbage: ignored, the chain goes on', async () => {
      const run = await runChain({
        trigger,
        actions: chain(
          `exports.${entrypoint} = async () => ({ status: 'denied', commands: [{ type: 'access.deny' }] });`,
        ),
      });
      expect(run.status).toBe('final');
      expect(run.executions.every((e) => e.error === null)).toBe(true);
    });

    it('that mutates event: later actions see the event unchanged', async () => {
      const mutate = `
      event.user.email = 'evil@attacker.test';
      event.user.app_metadata = 'garbage';
      event.secrets.STOLEN = 'x';
      delete event.request;
      Object.freeze(event.user);`;
      const check = `
      if (event.user.email === 'evil@attacker.test' || !event.request || event.secrets.STOLEN || typeof event.user.app_metadata !== 'object') {
        throw new Error('saw a mutated event');
      }
      ${record('after')}`;
      const run = await runChain({
        trigger,
        actions: [
          { name: 'mutator', code: handler(entrypoint, mutate) },
          { name: 'after', code: handler(entrypoint, check) },
        ],
      });
      expect(run.status).toBe('final');
    });

    it('that vandalises its api object: later actions get their own', async () => {
      const run = await runChain({
        trigger,
        actions: [
          {
            name: 'vandal',
            code: handler(entrypoint, `api.cache.set = null; delete api.cache; Object.freeze(api);`),
          },
          { name: 'after', code: handler(entrypoint, record('after')) },
        ],
      });
      expect(run.status).toBe('final');
      expect(run.executions[1]?.error).toBeNull();
    });

    it('that keeps calling api after it finished: the calls are ignored, nothing crashes', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      let fired: () => void = () => {};
      const late = new Promise<void>((resolve) => {
        fired = resolve;
      });
      const lateCall =
        mode === 'sync'
          ? `api.access.deny('from beyond'); api.idToken.setCustomClaim('https://acme.test/late', 1);`
          : `api.cache.set('late', 'x');`;
      const run = await runChain({
        trigger,
        require: (id) => (id === 'done' ? fired : undefined),
        actions: [
          {
            name: 'leaky',
            code: handler(entrypoint, `setTimeout(() => { ${lateCall} require('done')(); }, 0);`),
          },
          { name: 'after', code: handler(entrypoint, record('after')) },
        ],
      });
      await late;
      expect(run.status).toBe('final');
      if (mode === 'sync') {
        expect(run.result.access).toEqual({ denied: false });
        expect(warn).toHaveBeenCalledWith(
          '[hookchain] api.access.deny: called after the action completed; ignored.',
        );
      } else {
        expect(run.cache).not.toHaveProperty('late');
      }
    });
  },
);

describe('an action that catches its own argument error', () => {
  it('goes on, and what it recorded validly applies', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        {
          name: 'careful',
          code: `exports.onExecutePostLogin = async (event, api) => {
            try { api.multifactor.enable('carrier-pigeon'); } catch (err) { console.warn(err.message); }
            api.multifactor.enable('any');
          };`,
        },
      ],
    });
    expect(run.status).toBe('final');
    expect(run.result.multifactor).toEqual({ provider: 'any', allow_remember_browser: false });
    expect(run.executions[0]?.logs[0]?.message).toMatch(
      /^api\.multifactor\.enable: provider: provider must be one of/,
    );
  });
});

describe('deny together with a redirect or prompt in one action', () => {
  for (const [what, body] of [
    ['redirect, then deny', `api.redirect.sendUserTo('https://x.acme.test'); api.access.deny('No.');`],
    ['deny, then redirect', `api.access.deny('No.'); api.redirect.sendUserTo('https://x.acme.test');`],
    ['prompt, then deny', `api.prompt.render('ap_form'); api.access.deny('No.');`],
    [
      'redirect, then session revoke',
      `api.redirect.sendUserTo('https://x.acme.test'); api.session.revoke('No.');`,
    ],
  ]) {
    it(`${what}: deny wins, nothing to resume`, async () => {
      const run = await runChain({
        trigger: 'post-login',
        actions: [
          { name: 'both', code: `exports.onExecutePostLogin = async (event, api) => { ${body} };` },
          {
            name: 'never',
            code: `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://acme.test/x', 1); };`,
          },
        ],
      });
      expect(run.status).toBe('denied');
      expect(run.result.access).toMatchObject({ denied: true, reason: 'No.' });
      expect(run.result.redirect).toBeNull();
      expect(run.result.prompt).toBeNull();
      expect(run.state).toBeUndefined();
      expect(run.executions).toHaveLength(1);
    });
  }
});

/** Drives executeChain with a scripted runner: what a misbehaving sandbox or host could return. */
function scripted(
  trigger: TriggerDefinition,
  script: Record<string, (invocation: ActionInvocation) => unknown>,
  options: { budget_ms?: number; now?: () => number } = {},
) {
  const invoked: Array<{ name: string; invocation: ActionInvocation }> = [];
  const runner: ActionRunner = async (action, invocation) => {
    invoked.push({ name: action.name, invocation });
    return (script[action.name] ?? (() => ok()))(invocation) as ActionInvocationResult;
  };
  const actions: ChainAction[] = Object.keys(script).map((name) => ({ id: `act_${name}`, name }));
  const run = (list: ChainAction[] = actions) =>
    executeChain({
      trigger,
      actions: list,
      event: trigger.parseEvent(trigger.sampleEvent()),
      runner,
      execution_id: 'exec_1',
      ...options,
    });
  return { run, invoked, actions };
}

function ok(result: Partial<ActionInvocationResult> = {}): ActionInvocationResult {
  return { commands: [], cache_ops: [], logs: [], stats: { boot_ms: 0, duration_ms: 1 }, ...result };
}

const claim = (tag: string) => ({
  type: 'idToken.setCustomClaim',
  key: `https://acme.test/${tag}`,
  value: true,
});
const postLogin = getTrigger('post-login');
const postUserRegistration = getTrigger('post-user-registration');

describe('a runner (the sandbox host) that misbehaves', () => {
  const malformed: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'OK'],
    ['commands that are not a list', { ...ok(), commands: 'deny' }],
    ['no stats', { commands: [], cache_ops: [], logs: [] }],
    ['a log entry without a level', { ...ok(), logs: [{ message: 'x', at: 1 }] }],
    ['an unknown error class', { ...ok(), error: { class: 'oops', name: 'E', message: 'm' } }],
    ['a cache op without a value', { ...ok(), cache_ops: [{ op: 'set', key: 'k', expires_at: 1 }] }],
    ['a command without a type', { ...ok(), commands: [{ key: 'k' }] }],
  ];
  for (const [what, response] of malformed) {
    it(`returning ${what} is a platform_error for that action`, async () => {
      const { run } = scripted(postLogin, {
        first: () => ok({ commands: [claim('first')] }),
        broken: () => response,
        never: () => ok(),
      });
      const outcome = await run();
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toEqual({
        class: 'platform_error',
        action_id: 'act_broken',
        action_name: 'broken',
        name: 'PlatformError',
        message: "Action 'broken' returned a malformed response from its runtime.",
      });
      expect(outcome.result.id_token_claims).toEqual({ 'https://acme.test/first': true });
      expect(outcome.executions.map((e) => e.action_name)).toEqual(['first', 'broken']);
    });
  }

  it('throwing is a platform_error naming the action and the cause', async () => {
    const { run } = scripted(postLogin, {
      broken: () => {
        throw new Error('Lambda invoke failed: 429 TooManyRequestsException');
      },
    });
    const outcome = await run();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({
      class: 'platform_error',
      action_name: 'broken',
      message: "Could not run action 'broken': Lambda invoke failed: 429 TooManyRequestsException",
    });
  });

  it('throwing a non-Error still yields a platform_error', async () => {
    const { run } = scripted(postLogin, {
      broken: () => {
        throw null;
      },
    });
    await expect(run()).resolves.toMatchObject({
      status: 'failed',
      error: { class: 'platform_error', message: "Could not run action 'broken': null" },
    });
  });

  it('in an async chain, a platform_error is recorded and the rest still runs', async () => {
    const { run, invoked } = scripted(postUserRegistration, {
      broken: () => Promise.reject(new Error('socket hang up')),
      after: () => ok({ logs: [{ level: 'log', message: 'ran', at: 1 }] }),
    });
    const outcome = await run();
    expect(outcome.status).toBe('partial');
    expect(invoked.map((i) => i.name)).toEqual(['broken', 'after']);
    expect(outcome.executions[0]?.error).toMatchObject({ class: 'platform_error' });
    expect(outcome.executions[1]?.error).toBeNull();
  });
});

describe('a command list with an unknown or invalid command', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'an unknown command',
      { type: 'user.delete', user_id: 'x' },
      /^Unknown command 'user\.delete' for trigger post-login\.$/,
    ],
    [
      'a command with bad fields',
      { type: 'access.deny', reason: 7 },
      /^Invalid access\.deny command: reason: /,
    ],
    ['a reserved claim', { type: 'idToken.setCustomClaim', key: 'sub', value: 'admin' }, /reserved claim/],
  ];
  for (const [what, bad, message] of cases) {
    it(`${what}: action_error for that action, none of its commands or cache writes applied`, async () => {
      const { run } = scripted(postLogin, {
        first: () => ok({ commands: [claim('first')] }),
        forged: () =>
          ok({
            commands: [claim('forged'), bad as never],
            cache_ops: [{ op: 'set', key: 'forged', value: 'x', expires_at: Date.now() + 60_000 }],
          }),
      });
      const outcome = await run();
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatchObject({
        class: 'action_error',
        name: 'InvalidCommandError',
        action_name: 'forged',
      });
      expect(outcome.error?.message).toMatch(message);
      expect(outcome.result.id_token_claims).toEqual({ 'https://acme.test/first': true });
      expect(outcome.cache).toEqual({});
    });
  }

  it('a command of another trigger is unknown here; an async chain goes on without it', async () => {
    const { run } = scripted(postUserRegistration, {
      forged: () => ok({ commands: [{ type: 'access.deny', reason: 'x' }] }),
      after: () => ok(),
    });
    const outcome = await run();
    expect(outcome.status).toBe('partial');
    expect(outcome.executions[0]?.error).toMatchObject({
      class: 'action_error',
      message: "Unknown command 'access.deny' for trigger post-user-registration.",
    });
    expect(outcome.executions[1]?.error).toBeNull();
    expect(outcome.result).toEqual({});
  });
});

describe('the time budget', () => {
  /** A clock that only moves when an action "runs". */
  function clock() {
    let now = Date.UTC(2026, 10, 23, 10, 0, 0);
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('gives each action min(its own limit, what is left of the budget)', async () => {
    const time = clock();
    const { run, invoked, actions } = scripted(
      postLogin,
      {
        a: () => {
          time.advance(15_000);
          return ok();
        },
        b: () => ok(),
      },
      { budget_ms: 20_000, now: time.now },
    );
    await run(
      actions.map((a) => (a.name === 'a' ? { ...a, timeout_ms: 18_000 } : { ...a, timeout_ms: 10_000 })),
    );
    expect(invoked.map((i) => [i.name, i.invocation.deadline_ms])).toEqual([
      ['a', 18_000],
      ['b', 5_000],
    ]);
  });

  it('once spent, later actions do not start: a sync chain fails on the first of them', async () => {
    const time = clock();
    const { run, invoked } = scripted(
      postLogin,
      {
        slow: () => {
          time.advance(20_000);
          return ok({ commands: [claim('slow')] });
        },
        starved: () => ok(),
        never: () => ok(),
      },
      { budget_ms: 20_000, now: time.now },
    );
    const outcome = await run();
    expect(invoked.map((i) => i.name)).toEqual(['slow']);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toEqual({
      class: 'action_timeout',
      action_id: 'act_starved',
      action_name: 'starved',
      name: 'TimeoutError',
      message: "The execution's time budget ran out before action 'starved' could start.",
    });
    expect(outcome.result.id_token_claims).toEqual({ 'https://acme.test/slow': true });
  });

  it('once spent, an async chain records a timeout for every action left and ends partial', async () => {
    const time = clock();
    const { run, invoked } = scripted(
      postUserRegistration,
      {
        slow: () => {
          time.advance(25_000);
          return ok();
        },
        b: () => ok(),
        c: () => ok(),
      },
      { budget_ms: 20_000, now: time.now },
    );
    const outcome = await run();
    expect(invoked.map((i) => i.name)).toEqual(['slow']);
    expect(outcome.status).toBe('partial');
    expect(outcome.executions.map((e) => e.error?.class ?? 'ok')).toEqual([
      'ok',
      'action_timeout',
      'action_timeout',
    ]);
  });
});

describe('the executor', () => {
  it('never throws, whatever the actions and runner do', async () => {
    const event = sampleEvent('post-login');
    const everything = HOSTILE.map((h, i) => ({
      name: `h${i}`,
      code: h.code('onExecutePostLogin'),
      timeout_ms: 20,
    }));
    for (const action of everything) {
      await expect(runChain({ trigger: 'post-login', event, actions: [action] })).resolves.toMatchObject({
        status: 'failed',
      });
    }
  });
});
