/**
 * The dispatcher (shared/dispatch/dispatcher.ts) over the in-memory adapters: what one execute or
 * continue request does, and what it leaves behind (the execution record, the tenant's log, the
 * metrics, the continue state). Actions are real bundles run by memoryFunctionHost.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  continueTrigger,
  type DispatchContext,
  executeTrigger,
  getExecution,
} from '../../../shared/dispatch/dispatcher.ts';
import {
  InvalidContinueStateError,
  InvalidEventError,
  UnknownTriggerError,
  ValidationError,
} from '../../../shared/errors.ts';
import type { TenantLogSink } from '../../../shared/ports/tenant-logs.ts';
import { getTrigger } from '../../../shared/triggers/registry.ts';
import { samplePostLoginEvent, samplePostUserRegistrationEvent } from '../../../shared/triggers/samples.ts';
import { handlerZip, TEST_ROLE } from '../../support/lambda-zip.ts';
import {
  createMemoryDispatch,
  type MemoryDispatch,
  removeActionBundles,
} from '../../support/memory-dispatch.ts';

const postLogin = (body: string) => `exports.onExecutePostLogin = async (event, api) => {\n${body}\n};`;
const login = { event: samplePostLoginEvent };

let hc: MemoryDispatch;

beforeEach(async () => {
  hc = await createMemoryDispatch();
});

afterEach(() => hc.restoreConsole());
afterAll(removeActionBundles);

/** The tenant log writes the caller did not wait for, settled. */
const settledLogs = (ctx: DispatchContext) => Promise.all([...ctx.pendingLogs]);

interface Body {
  execution_id: string;
  status: string;
  result: Record<string, unknown> & {
    id_token_claims: Record<string, unknown>;
    access_token_claims: Record<string, unknown>;
    redirect?: { url: string; state: string } | null;
  };
  error?: Record<string, unknown>;
}

async function execute(trigger = 'post-login', body: unknown = login) {
  const response = await executeTrigger(hc.ctx, hc.tenantId, trigger, body);
  return { status: response.status, body: response.body as unknown as Body };
}

describe('a sync trigger (post-login) executed', () => {
  it('runs its bound actions in binding order and answers their combined decision; a later action sees the metadata an earlier one set', async () => {
    const first = await hc.deployAction({
      name: 'first',
      code: postLogin(`
        api.user.setAppMetadata('plan', 'gold');
        api.idToken.setCustomClaim('https://acme.test/first', true);`),
    });
    const second = await hc.deployAction({
      name: 'second',
      code: postLogin(
        `api.accessToken.setCustomClaim('https://acme.test/plan', event.user.app_metadata.plan);`,
      ),
    });
    await hc.bind('post-login', [first, second]);

    const { status, body } = await execute();

    expect(status).toBe(200);
    expect(body.status).toBe('final');
    expect(body.result.id_token_claims).toEqual({ 'https://acme.test/first': true });
    expect(body.result.access_token_claims).toEqual({ 'https://acme.test/plan': 'gold' });
    expect(body.result.user).toEqual({ app_metadata: { plan: 'gold' }, user_metadata: {} });
    const record = await getExecution(hc.ctx, hc.tenantId, body.execution_id);
    expect(record?.results.map((r) => r.action_name)).toEqual(['first', 'second']);
  });

  it('stops at an action that denies: it finishes, and later actions do not run', async () => {
    const denier = await hc.deployAction({
      name: 'denier',
      code: postLogin(
        `api.access.deny('Not from here'); api.idToken.setCustomClaim('https://acme.test/denier', true);`,
      ),
    });
    const later = await hc.deployAction({
      name: 'later',
      code: postLogin(`api.idToken.setCustomClaim('https://acme.test/later', true);`),
    });
    await hc.bind('post-login', [denier, later]);

    const { body } = await execute();

    expect(body.status).toBe('denied');
    expect(body.result.access).toEqual({ denied: true, reason: 'Not from here' });
    expect(body.result.id_token_claims).toEqual({ 'https://acme.test/denier': true });
    const record = await getExecution(hc.ctx, hc.tenantId, body.execution_id);
    expect(record?.status).toBe('denied');
    expect(record?.results.map((r) => r.action_name)).toEqual(['denier']);
  });

  it('fails closed when an action throws: the execution fails with the action error, naming the action, and later actions do not run', async () => {
    const thrower = await hc.deployAction({
      name: 'thrower',
      code: postLogin(
        `api.idToken.setCustomClaim('https://acme.test/lost', true); throw new RangeError('no such plan');`,
      ),
    });
    const later = await hc.deployAction({
      name: 'later',
      code: postLogin(`api.idToken.setCustomClaim('https://acme.test/later', true);`),
    });
    await hc.bind('post-login', [thrower, later]);

    const { status, body } = await execute();

    // The HTTP exchange succeeded; the decision is the failure.
    expect(status).toBe(200);
    expect(body.status).toBe('failed');
    expect(body.error).toEqual({
      class: 'action_error',
      action_id: thrower.id,
      action_name: 'thrower',
      name: 'RangeError',
      message: 'no such plan',
    });
    // A throwing action's commands are not applied.
    expect(body.result.id_token_claims).toEqual({});
    const record = await getExecution(hc.ctx, hc.tenantId, body.execution_id);
    expect(record?.status).toBe('failed');
    expect(record?.results.map((r) => [r.action_name, r.error?.class])).toEqual([
      ['thrower', 'action_error'],
    ]);
  });

  it('fails closed with a platform error when an action’s function cannot be invoked', async () => {
    const gone = await hc.deployAction({ name: 'gone', code: postLogin('') });
    await hc.bind('post-login', [gone]);
    await hc.functions.delete(gone.deployed?.function_name as string);

    const { body } = await execute();

    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ class: 'platform_error', name: 'PlatformError', action_name: 'gone' });
  });

  it('writes one execution record, which the tenant can read back by its id and no other tenant can', async () => {
    const only = await hc.deployAction({ name: 'only', code: postLogin('') });
    await hc.bind('post-login', [only]);

    const { body } = await execute();

    const record = await getExecution(hc.ctx, hc.tenantId, body.execution_id);
    expect(record).toMatchObject({
      tenant_id: hc.tenantId,
      id: body.execution_id,
      trigger_id: 'post-login',
      status: 'final',
    });
    expect(record?.results).toEqual([
      expect.objectContaining({
        action_id: only.id,
        action_name: 'only',
        version_id: only.deployed?.version_id,
        entrypoint: 'onExecutePostLogin',
        error: null,
      }),
    ]);
    expect(await getExecution(hc.ctx, 'tenant-b', body.execution_id)).toBeUndefined();
  });

  it('sends the tenant’s log one event per action run, with the action’s console output', async () => {
    const talker = await hc.deployAction({
      name: 'talker',
      code: postLogin(`console.log('hello from', event.user.user_id);`),
    });
    const thrower = await hc.deployAction({ name: 'thrower', code: postLogin(`throw new Error('broken');`) });
    await hc.bind('post-login', [talker, thrower]);

    const { body } = await execute();
    await settledLogs(hc.ctx);

    const page = await hc.logs.query(hc.tenantId, { execution: body.execution_id });
    expect(page.logs.map((l) => [l.action_name, l.level])).toEqual([
      ['talker', 'info'],
      ['thrower', 'error'],
    ]);
    expect(page.logs[0]?.logs.map((l) => l.message)).toEqual([
      `hello from ${(samplePostLoginEvent.user as { user_id: string }).user_id}`,
    ]);
    expect(page.logs[1]?.error).toEqual({ class: 'action_error', name: 'Error', message: 'broken' });
  });

  it('answers even when the tenant log cannot be written: the failure is counted as TenantLogWriteFailed and warned about', async () => {
    const only = await hc.deployAction({ name: 'only', code: postLogin('') });
    await hc.bind('post-login', [only]);
    const failingLogs: TenantLogSink = {
      ...hc.logs,
      write: async () => {
        throw new Error('ThrottlingException');
      },
    };
    hc.ctx.logs = failingLogs;

    const { body } = await execute();
    await settledLogs(hc.ctx);

    expect(body.status).toBe('final');
    expect(await getExecution(hc.ctx, hc.tenantId, body.execution_id)).toMatchObject({ status: 'final' });
    expect(hc.ctx.metrics.counts().get('TenantLogWriteFailed')).toBe(1);
    expect(hc.warnings).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ tenant_id: hc.tenantId, execution_id: body.execution_id }),
      }),
    ]);
    // Settled writes are no longer pending.
    expect(hc.ctx.pendingLogs.size).toBe(0);
  });

  it('counts each action run (ActionExecutions, ActionDuration) and each failed run (ActionErrors)', async () => {
    const fine = await hc.deployAction({ name: 'fine', code: postLogin('') });
    const thrower = await hc.deployAction({ name: 'thrower', code: postLogin(`throw new Error('broken');`) });
    await hc.bind('post-login', [fine, thrower]);

    await execute();

    const counts = hc.ctx.metrics.counts();
    expect(counts.get('ActionExecutions')).toBe(2);
    expect(counts.get('ActionDuration')).toBe(2);
    expect(counts.get('ActionErrors')).toBe(1);
  });

  it('hands an action its own secrets, decrypted, and no other action’s', async () => {
    const keeper = await hc.deployAction({
      name: 'keeper',
      code: postLogin(`api.idToken.setCustomClaim('https://acme.test/keeper', event.secrets);`),
      secrets: { API_KEY: 'sk_live_keeper' },
    });
    const stranger = await hc.deployAction({
      name: 'stranger',
      code: postLogin(`api.idToken.setCustomClaim('https://acme.test/stranger', event.secrets);`),
    });
    await hc.bind('post-login', [keeper, stranger]);

    const { body } = await execute();

    expect(body.result.id_token_claims).toEqual({
      'https://acme.test/keeper': { API_KEY: 'sk_live_keeper' },
      'https://acme.test/stranger': {},
    });
  });

  it('keeps api.cache per tenant and trigger between executions in this container', async () => {
    const counter = await hc.deployAction({
      name: 'counter',
      code: postLogin(`
        const seen = api.cache.get('visits')?.value ?? '0';
        api.idToken.setCustomClaim('https://acme.test/visits', seen);
        api.cache.set('visits', String(Number(seen) + 1));`),
    });
    await hc.bind('post-login', [counter]);

    const claims = [];
    for (let i = 0; i < 3; i++)
      claims.push((await execute()).body.result.id_token_claims['https://acme.test/visits']);

    expect(claims).toEqual(['0', '1', '2']);
  });

  it('answers an unbound trigger with its neutral decision at once, recording and logging nothing', async () => {
    const { status, body } = await execute();

    expect(status).toBe(200);
    expect(body).toEqual({
      execution_id: body.execution_id,
      status: 'final',
      result: getTrigger('post-login').initialResult(),
    });
    expect(await getExecution(hc.ctx, hc.tenantId, body.execution_id)).toBeUndefined();
    expect(hc.ctx.pendingLogs.size).toBe(0);
    expect(hc.ctx.metrics.counts().get('ActionExecutions')).toBeUndefined();
  });

  it('sees a redeploy once chainsChanged clears the chain cache, and not before (within the cache lifetime)', async () => {
    const claim = (value: string) =>
      postLogin(`api.idToken.setCustomClaim('https://acme.test/version', '${value}');`);
    const versioned = await hc.deployAction({ name: 'versioned', code: claim('one') });
    await hc.bind('post-login', [versioned]);
    expect((await execute()).body.result.id_token_claims).toEqual({ 'https://acme.test/version': 'one' });

    await hc.redeploy(versioned, claim('two'));
    expect((await execute()).body.result.id_token_claims).toEqual({ 'https://acme.test/version': 'one' });

    // What the management side's chainsChanged does in this container.
    hc.ctx.chains.invalidate();
    expect((await execute()).body.result.id_token_claims).toEqual({ 'https://acme.test/version': 'two' });
  });
});

describe('what a sync execution waits for', () => {
  it('answers once its execution record is written, without waiting for the tenant log write, which stays pending until it settles', async () => {
    const only = await hc.deployAction({ name: 'only', code: postLogin('') });
    await hc.bind('post-login', [only]);
    let finishWrite: () => void = () => undefined;
    const writes: unknown[] = [];
    hc.ctx.logs = {
      ...hc.logs,
      write: (_tenantId, events) =>
        new Promise<void>((resolve) => {
          writes.push(events);
          finishWrite = resolve;
        }),
    };

    const { body } = await execute();

    expect(body.status).toBe('final');
    expect(writes).toHaveLength(1);
    expect(hc.ctx.pendingLogs.size).toBe(1);
    finishWrite();
    await settledLogs(hc.ctx);
    expect(hc.ctx.pendingLogs.size).toBe(0);
  });

  it('fails the request when its execution record cannot be written', async () => {
    const only = await hc.deployAction({ name: 'only', code: postLogin('') });
    await hc.bind('post-login', [only]);
    hc.ctx.store = {
      ...hc.store,
      executions: {
        ...hc.store.executions,
        put: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
      },
    };

    await expect(execute()).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});

describe('tenants side by side', () => {
  it('each run their own chain, and another tenant’s api.cache is not tenantAAction', async () => {
    const cacheCode = (tenant: string) =>
      postLogin(`
        api.idToken.setCustomClaim('https://acme.test/cached', api.cache.get('owner')?.value ?? null);
        api.cache.set('owner', '${tenant}');`);
    const tenantAAction = await hc.deployAction({ name: 'cacher', code: cacheCode('tenant-a') });
    const tenantBAction = await hc.deployAction({
      name: 'cacher',
      code: cacheCode('tenant-b'),
      tenantId: 'tenant-b',
    });
    await hc.bind('post-login', [tenantAAction]);
    await hc.bind('post-login', [tenantBAction], 'tenant-b');

    await execute();
    const response = await executeTrigger(hc.ctx, 'tenant-b', 'post-login', login);

    const body = response.body as unknown as Body;
    expect(body.result.id_token_claims).toEqual({ 'https://acme.test/cached': null });
    const record = await getExecution(hc.ctx, 'tenant-b', body.execution_id);
    expect(record?.results.map((r) => r.version_id)).toEqual([tenantBAction.deployed?.version_id]);
  });
});

describe('a sync chain’s time budget', () => {
  it('gives each action what is left of the chain’s budget, and fails the chain with action_timeout, without invoking it, when an action would start after the budget is spent', async () => {
    const budgetMs = 5_000;
    hc = await createMemoryDispatch({ budgetMs });
    const slow = await hc.deployAction({ name: 'slow', code: postLogin('') });
    const starved = await hc.deployAction({ name: 'starved', code: postLogin('') });
    await hc.bind('post-login', [slow, starved]);
    const invoked: Array<{ name: string; deadline_ms: number }> = [];
    const host = hc.functions;
    // The first action takes the whole budget: the clock moves as its invocation returns.
    hc.ctx.functions = {
      ...host,
      invoke: async (name, payload, options) => {
        invoked.push({ name, deadline_ms: (payload as { deadline_ms: number }).deadline_ms });
        const answer = await host.invoke(name, payload, options);
        hc.clock.advance(budgetMs);
        return answer;
      },
    };

    const { body } = await execute();

    expect(invoked).toEqual([{ name: slow.deployed?.function_name, deadline_ms: budgetMs }]);
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({
      class: 'action_timeout',
      name: 'TimeoutError',
      action_name: 'starved',
    });
  });
});

describe('an action whose sandbox crashes (its function errors rather than answering)', () => {
  it('fails the sync chain with the action’s RuntimeCrash error', async () => {
    const crasher = await hc.deployAction({ name: 'crasher', code: postLogin('') });
    await hc.bind('post-login', [crasher]);
    // What a process that ran out of memory or exited leaves: Lambda's error document, not an answer.
    await hc.functions.deploy({
      name: crasher.deployed?.function_name as string,
      zip: handlerZip(`throw new Error('Runtime exited with error: signal: killed');`),
      roleArn: TEST_ROLE,
      architecture: 'arm64',
      memoryMb: 128,
      timeoutSeconds: 10,
      tags: {},
    });

    const { body } = await execute();

    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ class: 'action_error', name: 'RuntimeCrash', action_name: 'crasher' });
  });
});

describe('a request the dispatcher refuses', () => {
  it('names a trigger Hookchain does not know (UnknownTriggerError)', async () => {
    await expect(execute('post-lunch')).rejects.toBeInstanceOf(UnknownTriggerError);
  });

  it('has no event object, or properties besides event and state (ValidationError)', async () => {
    await expect(execute('post-login', {})).rejects.toBeInstanceOf(ValidationError);
    await expect(execute('post-login', { event: 'login' })).rejects.toBeInstanceOf(ValidationError);
    await expect(execute('post-login', { ...login, extra: 1 })).rejects.toThrow(
      'Additional properties not allowed: extra',
    );
  });

  it('carries an event that fails the trigger’s schema (InvalidEventError), before any action runs', async () => {
    const only = await hc.deployAction({ name: 'only', code: postLogin('') });
    await hc.bind('post-login', [only]);
    const { user: _user, ...withoutUser } = samplePostLoginEvent;

    await expect(execute('post-login', { event: withoutUser })).rejects.toBeInstanceOf(InvalidEventError);
    expect(hc.ctx.metrics.counts().get('ActionExecutions')).toBeUndefined();
  });
});

describe('a suspended chain continued', () => {
  const redirector = `
    exports.onExecutePostLogin = async (event, api) => {
      api.user.setAppMetadata('step', 'before-redirect');
      api.redirect.sendUserTo('https://idp.acme.test/verify');
    };
    exports.onContinuePostLogin = async (event, api) => {
      api.idToken.setCustomClaim('https://acme.test/resumed', event.user.app_metadata.step);
    };`;

  async function suspended() {
    const first = await hc.deployAction({ name: 'redirector', code: redirector });
    const after = await hc.deployAction({
      name: 'after',
      code: postLogin(`api.idToken.setCustomClaim('https://acme.test/after', true);`),
    });
    await hc.bind('post-login', [first, after]);
    const { body } = await execute();
    return { body, state: body.result.redirect?.state as string };
  }

  it('suspends at a redirect, handing back a state in the redirect URL, and runs nothing after it', async () => {
    const { body, state } = await suspended();

    expect(body.status).toBe('suspended');
    expect(state).toMatch(/^[\w-]{43}$/);
    expect(new URL(body.result.redirect?.url as string).searchParams.get('state')).toBe(state);
    const record = await getExecution(hc.ctx, hc.tenantId, body.execution_id);
    expect(record?.status).toBe('suspended');
    expect(record?.results.map((r) => r.action_name)).toEqual(['redirector']);
  });

  it('resumes the suspending action in onContinuePostLogin, runs the rest, and records the whole execution', async () => {
    const { body, state } = await suspended();

    const resumed = await continueTrigger(hc.ctx, hc.tenantId, 'post-login', { ...login, state });
    const resumedBody = resumed.body as unknown as Body;

    expect(resumedBody.execution_id).toBe(body.execution_id);
    expect(resumedBody.status).toBe('final');
    expect(resumedBody.result.id_token_claims).toEqual({
      'https://acme.test/resumed': 'before-redirect',
      'https://acme.test/after': true,
    });
    const record = await getExecution(hc.ctx, hc.tenantId, body.execution_id);
    expect(record?.status).toBe('final');
    expect(record?.results.map((r) => [r.action_name, r.entrypoint])).toEqual([
      ['redirector', 'onExecutePostLogin'],
      ['redirector', 'onContinuePostLogin'],
      ['after', 'onExecutePostLogin'],
    ]);
  });

  it('keeps what the resumed chain writes to api.cache for the executions after it', async () => {
    const remembering = `
      exports.onExecutePostLogin = async (event, api) => {
        api.idToken.setCustomClaim('https://acme.test/seen', api.cache.get('verified')?.value ?? null);
        if (!api.cache.get('verified')) api.redirect.sendUserTo('https://idp.acme.test/verify');
      };
      exports.onContinuePostLogin = async (event, api) => {
        api.cache.set('verified', 'yes');
      };`;
    await hc.bind('post-login', [await hc.deployAction({ name: 'remembering', code: remembering })]);
    const { body } = await execute();
    const state = body.result.redirect?.state as string;
    await continueTrigger(hc.ctx, hc.tenantId, 'post-login', { ...login, state });

    const next = await execute();

    expect(next.body.status).toBe('final');
    expect(next.body.result.id_token_claims).toEqual({ 'https://acme.test/seen': 'yes' });
  });

  it('resumes with the versions it was suspended with, even after a redeploy', async () => {
    const { state } = await suspended();
    const after = await hc.store.actions.get(hc.tenantId, 'act-after');
    await hc.redeploy(
      after as NonNullable<typeof after>,
      postLogin(`api.idToken.setCustomClaim('https://acme.test/after', 'v2');`),
    );
    hc.ctx.chains.invalidate();

    const resumed = await continueTrigger(hc.ctx, hc.tenantId, 'post-login', { ...login, state });

    expect((resumed.body as unknown as Body).result.id_token_claims).toMatchObject({
      'https://acme.test/after': true,
    });
  });

  it('takes a state once: continuing with it again is an InvalidContinueStateError', async () => {
    const { state } = await suspended();
    await continueTrigger(hc.ctx, hc.tenantId, 'post-login', { ...login, state });

    await expect(
      continueTrigger(hc.ctx, hc.tenantId, 'post-login', { ...login, state }),
    ).rejects.toBeInstanceOf(InvalidContinueStateError);
  });

  it('refuses a state from another tenant', async () => {
    const { state } = await suspended();

    await expect(
      continueTrigger(hc.ctx, 'tenant-b', 'post-login', { ...login, state }),
    ).rejects.toBeInstanceOf(InvalidContinueStateError);
  });

  it('refuses a state past its hour', async () => {
    const { state } = await suspended();
    hc.clock.advance(60 * 60 * 1000 + 1000);

    await expect(
      continueTrigger(hc.ctx, hc.tenantId, 'post-login', { ...login, state }),
    ).rejects.toBeInstanceOf(InvalidContinueStateError);
  });

  it('needs a state, and a trigger that can be continued (ValidationError)', async () => {
    await expect(continueTrigger(hc.ctx, hc.tenantId, 'post-login', login)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      continueTrigger(hc.ctx, hc.tenantId, 'post-user-registration', {
        event: samplePostUserRegistrationEvent,
        state: 'x',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('an async trigger (post-user-registration) executed', () => {
  it('is recorded pending and queued once, answered 202, and its chain is not run inline', async () => {
    const welcome = await hc.deployAction({
      name: 'welcome',
      trigger: 'post-user-registration',
      code: `exports.onExecutePostUserRegistration = async () => { console.log('welcome'); };`,
    });
    await hc.bind('post-user-registration', [welcome]);

    const response = await executeTrigger(hc.ctx, hc.tenantId, 'post-user-registration', {
      event: samplePostUserRegistrationEvent,
    });

    expect(response.status).toBe(202);
    const executionId = response.body.execution_id as string;
    expect(response.body).toEqual({ execution_id: executionId, status: 'pending' });
    // Due at once (no delay), and queued once.
    expect(hc.asyncJobs.drain()).toEqual([
      { tenant_id: hc.tenantId, execution_id: executionId, trigger_id: 'post-user-registration' },
    ]);
    const record = await getExecution(hc.ctx, hc.tenantId, executionId);
    expect(record).toMatchObject({ status: 'pending', results: [], attempts: 0 });
    // The event is kept for the worker.
    expect(record?.event).toMatchObject({ user: { email: 'grace.hopper@acme.test' } });
    expect(hc.ctx.metrics.counts().get('ActionExecutions')).toBeUndefined();
  });
});
