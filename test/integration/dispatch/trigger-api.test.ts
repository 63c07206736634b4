/**
 * The trigger API end to end over HTTP on the local stack: real action functions in the function
 * host, chains resolved from DynamoDB, async executions through SQS, logs through CloudWatch Logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { signHs256 } from '../../../shared/triggers/jwt.ts';
import { bind, deployedAction } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;

interface Outcome {
  execution_id: string;
  status: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read deep fields of the combined result.
  result: Record<string, any>;
  error?: Record<string, unknown>;
  /** Set on 4xx answers. */
  message?: string;
}

const execute = (trigger: string, event: Record<string, unknown>, token?: string) =>
  hc.api<Outcome>('POST', `/api/v2/actions/triggers/${trigger}/execute`, { event }, token);

beforeAll(async () => {
  hc = await startTestHookchain();
});
afterAll(() => hc?.stop());

describe('post-login: a chain of three actions', () => {
  beforeAll(async () => {
    await Promise.all([
      deployedAction(hc, {
        name: 'enrich',
        code: `exports.onExecutePostLogin = async (event, api) => {
          console.log('enriching', event.user.user_id);
          api.user.setAppMetadata('segment', 'enterprise');
          api.idToken.setCustomClaim('https://acme.test/roles', event.authorization.roles);
        };`,
      }),
      deployedAction(hc, {
        name: 'gate',
        code: `exports.onExecutePostLogin = async (event, api) => {
          api.accessToken.setCustomClaim('https://acme.test/segment', event.user.app_metadata.segment);
          if (event.request.geoip.countryCode === 'KP') api.access.deny('Logins from this country are not allowed.');
        };`,
      }),
      deployedAction(hc, {
        name: 'audit',
        code: `exports.onExecutePostLogin = async (event, api) => { api.user.setUserMetadata('last_gate', 'passed'); };`,
      }),
    ]);
    await bind(hc, 'post-login', ['enrich', 'gate', 'audit']);
  });

  it('merges claims and metadata, earlier metadata visible downstream', async () => {
    const { status, body } = await execute('post-login', sampleEvent('post-login'));
    expect(status).toBe(200);
    expect(body.status).toBe('final');
    expect(body.result.id_token_claims).toEqual({ 'https://acme.test/roles': ['editor'] });
    expect(body.result.access_token_claims).toEqual({ 'https://acme.test/segment': 'enterprise' });
    expect(body.result.user).toEqual({
      app_metadata: { segment: 'enterprise' },
      user_metadata: { last_gate: 'passed' },
    });
  });

  it('stops at a deny: the denying action finishes, later ones never run', async () => {
    const event = sampleEvent('post-login');
    (event.request as { geoip: { countryCode: string } }).geoip.countryCode = 'KP';
    const { body } = await execute('post-login', event);
    expect(body.status).toBe('denied');
    expect(body.result.access).toEqual({ denied: true, reason: 'Logins from this country are not allowed.' });
    expect(body.result.user.user_metadata).toEqual({});

    const execution = await hc.api<{ status: string; results: Array<{ action_name: string }> }>(
      'GET',
      `/api/v2/actions/executions/${body.execution_id}`,
    );
    expect(execution.body.status).toBe('denied');
    expect(execution.body.results.map((r) => r.action_name)).toEqual(['enrich', 'gate']);
  });

  it('writes one log event per action run, with the full console output, readable by execution', async () => {
    const { body } = await execute('post-login', sampleEvent('post-login'));
    const logs = await hc.until('the execution’s logs', async () => {
      const reply = await hc.api<{ logs: Array<Record<string, unknown>> }>(
        'GET',
        `/api/v2/actions/logs?execution=${body.execution_id}`,
      );
      return reply.body.logs.length === 3 ? reply.body.logs : undefined;
    });
    expect(logs.map((l) => l.action_name)).toEqual(['enrich', 'gate', 'audit']);
    expect(logs[0]).toMatchObject({
      trigger_id: 'post-login',
      execution_id: body.execution_id,
      level: 'info',
      version_id: expect.any(String),
      logs: [expect.objectContaining({ level: 'log', message: 'enriching auth0|64b7f2c9e1a2b3c4d5e6f708' })],
    });
    const byAction = await hc.api<{ logs: unknown[] }>(
      'GET',
      '/api/v2/actions/logs?action=gate&trigger=post-login',
    );
    expect(byAction.body.logs.length).toBeGreaterThan(0);
  });

  it('fails closed when an action throws, naming it', async () => {
    await deployedAction(hc, {
      name: 'broken-crm',
      code: `exports.onExecutePostLogin = async () => { throw new Error('CRM unavailable'); };`,
    });
    await bind(hc, 'post-login', ['enrich', 'broken-crm', 'audit']);
    const { body } = await execute('post-login', sampleEvent('post-login'));
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({
      class: 'action_error',
      action_name: 'broken-crm',
      message: 'CRM unavailable',
    });
    await bind(hc, 'post-login', ['enrich', 'gate', 'audit']);
  });

  it('shows each action’s executions, durations and errors by class at the local stack’s /metrics', async () => {
    interface Series {
      name: string;
      unit: string;
      dimensions: Record<string, string>;
      count: number;
      p50: number;
    }
    const reply = await fetch(`${hc.stack.origin}/metrics`);
    expect(reply.status).toBe(200);
    const { namespace, series } = (await reply.json()) as { namespace: string; series: Series[] };
    expect(namespace).toBe('Hookchain');
    const of = (name: string, action: string) =>
      series.filter((s) => s.name === name && s.dimensions.Action === action);
    // The tests above ran enrich in every chain, broken-crm once, failing.
    const [enrich] = of('ActionExecutions', 'enrich');
    expect(enrich?.dimensions).toMatchObject({ Tenant: hc.stack.bootstrap.tenant, Trigger: 'post-login' });
    expect(enrich?.count).toBeGreaterThanOrEqual(3);
    expect(of('ActionDuration', 'enrich')[0]).toMatchObject({ unit: 'Milliseconds', count: enrich?.count });
    expect(of('ActionErrors', 'broken-crm')).toEqual([
      expect.objectContaining({
        count: 1,
        dimensions: expect.objectContaining({ ErrorClass: 'action_error' }),
      }),
    ]);
    expect(of('ActionErrors', 'enrich')).toEqual([]);
  });
});

describe('the other sync triggers', () => {
  it('credentials-exchange: shapes an M2M token’s scopes and denies with an OAuth code', async () => {
    await deployedAction(hc, {
      name: 'm2m-scopes',
      trigger: 'credentials-exchange',
      code: `exports.onExecuteCredentialsExchange = async (event, api) => {
        if (event.client.metadata.tier === 'blocked') return api.access.deny('invalid_request', 'Client disabled');
        api.transaction.removeTargetScope('write:reports');
        api.accessToken.setCustomClaim('https://acme.test/tier', event.client.metadata.tier);
      };`,
    });
    await bind(hc, 'credentials-exchange', ['m2m-scopes']);
    const event = sampleEvent('credentials-exchange');
    (event.transaction as Record<string, unknown>).target_scopes = ['read:reports', 'write:reports'];
    const { body } = await execute('credentials-exchange', event);
    expect(body.status).toBe('final');
    expect(body.result.target_scopes).toEqual(['read:reports']);
    expect(body.result.access_token_claims).toEqual({ 'https://acme.test/tier': 'standard' });

    (event.client as { metadata: Record<string, string> }).metadata.tier = 'blocked';
    const denied = await execute('credentials-exchange', event);
    expect(denied.body.result.access).toEqual({
      denied: true,
      code: 'invalid_request',
      reason: 'Client disabled',
    });
  });

  it('pre-user-registration: refuses a signup with a validation error', async () => {
    await deployedAction(hc, {
      name: 'require-full-name',
      trigger: 'pre-user-registration',
      code: `exports.onExecutePreUserRegistration = async (event, api) => {
        if (!event.request.body['ulp-fullName']) api.validation.error('missing_name', 'Please tell us your full name.');
      };`,
    });
    await bind(hc, 'pre-user-registration', ['require-full-name']);
    const event = sampleEvent('pre-user-registration');
    (event.request as { body: Record<string, unknown> }).body = {};
    const { body } = await execute('pre-user-registration', event);
    expect(body.status).toBe('denied');
    expect(body.result.validation_error).toEqual({
      code: 'missing_name',
      message: 'Please tell us your full name.',
    });
  });

  it('send-phone-message: runs the provider action with its secret', async () => {
    await deployedAction(hc, {
      name: 'sms-provider',
      trigger: 'send-phone-message',
      code: `exports.onExecuteSendPhoneMessage = async (event) => {
        console.log('sending via', event.secrets.PROVIDER, 'to', event.message_options.recipient);
      };`,
      secrets: [{ name: 'PROVIDER', value: 'acme-sms' }],
    });
    await bind(hc, 'send-phone-message', ['sms-provider']);
    const { body } = await execute('send-phone-message', sampleEvent('send-phone-message'));
    expect(body.status).toBe('final');
    const execution = await hc.api<{ results: Array<{ error: unknown }> }>(
      'GET',
      `/api/v2/actions/executions/${body.execution_id}`,
    );
    expect(execution.body.results).toEqual([
      expect.objectContaining({ action_name: 'sms-provider', error: null }),
    ]);
  });
});

describe('redirect and continue (password-reset-post-challenge)', () => {
  const SECRET = 'consent-signing-secret';

  beforeAll(async () => {
    await deployedAction(hc, {
      name: 'consent',
      trigger: 'password-reset-post-challenge',
      secrets: [{ name: 'SIGNING', value: SECRET }],
      code: `exports.onExecutePostChallenge = async (event, api) => {
        api.redirect.sendUserTo('https://consent.acme.test/confirm', { query: { user: event.user.user_id } });
      };
      exports.onContinuePostChallenge = async (event, api) => {
        const payload = api.redirect.validateToken({ secret: event.secrets.SIGNING });
        api.transaction.setResultUrl('https://app.acme.test/done', { query: { confirmed: String(payload.confirmed) } });
      };`,
    });
    await bind(hc, 'password-reset-post-challenge', ['consent']);
  });

  it('suspends with a redirect carrying state, resumes once in onContinue, refuses a replay', async () => {
    const event = sampleEvent('password-reset-post-challenge');
    const { body } = await execute('password-reset-post-challenge', event);
    expect(body.status).toBe('suspended');
    const url = new URL(body.result.redirect.url);
    const state = url.searchParams.get('state') as string;
    expect(url.searchParams.get('user')).toBe('auth0|64b7f2c9e1a2b3c4d5e6f708');
    expect(body.result.redirect.state).toBe(state);

    const now = Math.floor(Date.now() / 1000);
    const token = signHs256(
      { state, sub: 'auth0|64b7f2c9e1a2b3c4d5e6f708', iat: now, exp: now + 60, confirmed: true },
      SECRET,
    );
    const back = sampleEvent('password-reset-post-challenge');
    (back.request as { query: Record<string, string> }).query = { session_token: token };
    const resumed = await hc.api<Outcome>(
      'POST',
      '/api/v2/actions/triggers/password-reset-post-challenge/continue',
      {
        state,
        event: back,
      },
    );
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ execution_id: body.execution_id, status: 'final' });
    expect(resumed.body.result.result_url).toEqual({
      url: 'https://app.acme.test/done',
      query: { confirmed: 'true' },
    });

    const replay = await hc.api('POST', '/api/v2/actions/triggers/password-reset-post-challenge/continue', {
      state,
      event: back,
    });
    expect(replay.status).toBe(400);
    expect(replay.body.message).toContain('invalid, expired, or was already used');

    const forged = await hc.api('POST', '/api/v2/actions/triggers/password-reset-post-challenge/continue', {
      state: 'forged-state',
      event: back,
    });
    expect(forged.status).toBe(400);
  });
});

describe('async triggers', () => {
  it('post-user-registration: answers 202 at once, then the worker runs the chain to final', async () => {
    await deployedAction(hc, {
      name: 'welcome',
      trigger: 'post-user-registration',
      code: `exports.onExecutePostUserRegistration = async (event) => { console.log('welcome', event.user.email); };`,
    });
    await bind(hc, 'post-user-registration', ['welcome']);
    const { status, body } = await execute('post-user-registration', sampleEvent('post-user-registration'));
    expect(status).toBe(202);
    expect(body.status).toBe('pending');
    const done = await hc.until('the async execution', async () => {
      const reply = await hc.api<{ status: string; results: unknown[] }>(
        'GET',
        `/api/v2/actions/executions/${body.execution_id}`,
      );
      return reply.body.status === 'pending' ? undefined : reply.body;
    });
    expect(done.status).toBe('final');
    expect(done.results).toHaveLength(1);
  });

  // Five deliveries, handed back after 1, 2, 4, 8 and 16 s, before the receive that moves it: patient.
  it('post-change-password: a poison action (its process exits every time) lands in the DLQ, and a redrive runs it again', {
    timeout: 90_000,
  }, async () => {
    await deployedAction(hc, {
      name: 'poison',
      trigger: 'post-change-password',
      code: `exports.onExecutePostChangePassword = async () => { process.exit(3); };`,
    });
    await bind(hc, 'post-change-password', ['poison']);
    const { status, body } = await execute('post-change-password', sampleEvent('post-change-password'));
    expect(status).toBe(202);
    const dlq = hc.stack.resources.queues.triggers.dlqUrl;
    const { SQSClient, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient(hc.stack.clientConfig('sqs'));
    try {
      await hc.until(
        'the poison message in the DLQ',
        async () => {
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['ApproximateNumberOfMessages'] }),
          );
          return Number(Attributes?.ApproximateNumberOfMessages) > 0 ? true : undefined;
        },
        75_000,
      );
    } finally {
      sqs.destroy();
    }
    const execution = await hc.api<{ status: string; attempts: number }>(
      'GET',
      `/api/v2/actions/executions/${body.execution_id}`,
    );
    // Still pending (never lost), with every delivery counted; the queue decides how many it allows.
    expect(execution.body.status).toBe('pending');
    expect(execution.body.attempts).toBeGreaterThanOrEqual(2);

    const redriven = await hc.api<{ moved: number }>(
      'POST',
      '/api/v2/hookchain/queues/triggers/redrive',
      {},
      hc.operatorToken,
    );
    expect(redriven.body.moved).toBe(1);
  });
});

describe('tenant isolation on the trigger API', () => {
  it('runs only the caller’s own chain and hides other tenants’ executions', async () => {
    await hc.api('POST', '/api/v2/hookchain/tenants', { id: 'initech' }, hc.operatorToken);
    const issued = await hc.api<{ token: string }>(
      'POST',
      '/api/v2/hookchain/tenants/initech/tokens',
      { name: 'idp' },
      hc.operatorToken,
    );
    const other = issued.body.token;
    const theirs = await execute('post-login', sampleEvent('post-login'), other);
    expect(theirs.body.status).toBe('final');
    expect(theirs.body.result.id_token_claims).toEqual({});

    const mine = await execute('post-login', sampleEvent('post-login'));
    const peek = await hc.api(
      'GET',
      `/api/v2/actions/executions/${mine.body.execution_id}`,
      undefined,
      other,
    );
    expect(peek.status).toBe(404);
    const logs = await hc.api<{ logs: unknown[] }>(
      'GET',
      `/api/v2/actions/logs?execution=${mine.body.execution_id}`,
      undefined,
      other,
    );
    expect(logs.body.logs).toEqual([]);
  });

  it('requires execute:triggers', async () => {
    const issued = await hc.api<{ token: string }>(
      'POST',
      '/api/v2/hookchain/tenants/dev/tokens',
      { name: 'reader', scopes: ['read:actions'] },
      hc.operatorToken,
    );
    const { status, body } = await execute('post-login', sampleEvent('post-login'), issued.body.token);
    expect(status).toBe(403);
    expect(body).toMatchObject({ errorCode: 'insufficient_scope' });
  });

  it('validates the event against the trigger’s schema', async () => {
    const { status, body } = await execute('post-login', { user: { email: 'no-id@acme.test' } });
    expect(status).toBe(400);
    expect(body.message).toContain('Invalid post-login event');
  });
});
