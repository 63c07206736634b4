/**
 * One action's life over HTTP, as a user lives it: create with a secret, wait for the build, test
 * the draft, deploy, bind, execute the trigger, read the logs. The same file runs against the
 * local stack, LocalStack and AWS (see target.ts and docs/deploy.md).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, connect, type Target, until } from './target.ts';

const run = randomBytes(4).toString('hex');
const ACTION_NAME = `e2e-claims-${run}`;
const SECRET = `s3cret-${run}`;
const CODE = `
exports.onExecutePostLogin = async (event, api) => {
  console.log('e2e run for', event.user.user_id);
  api.idToken.setCustomClaim('https://e2e.hookchain.test/run', event.secrets.RUN);
  api.accessToken.setCustomClaim('https://e2e.hookchain.test/email', event.user.email);
};`;

/** The smallest post-login event Hookchain accepts; callers send what Auth0 would. */
const EVENT = {
  request: { ip: '203.0.113.7', method: 'POST', hostname: 'login.example.com' },
  user: { user_id: `auth0|e2e-${run}`, email: `e2e-${run}@example.com`, app_metadata: {}, user_metadata: {} },
  client: { client_id: 'e2e-client', name: 'E2E' },
  transaction: { id: `tx-${run}` },
};

let target: Target;
let api: ReturnType<typeof client>;
let token: string;
let actionId: string | undefined;
let previousBindings: Array<{ ref: { type: 'action_id'; value: string }; display_name: string }> | undefined;
let executionId: string;

// biome-ignore lint/suspicious/noExplicitAny: API replies, inspected freely
type Json = Record<string, any>;

beforeAll(async () => {
  target = await connect();
  api = client(target.url);
  token = target.token;
  if (target.operatorToken) {
    // A tenant of our own: nothing this suite does is visible to anyone else.
    const tenant = `e2e-${run}`;
    const created = await api('POST', '/api/v2/hookchain/tenants', target.operatorToken, { id: tenant });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const issued = await api<{ token: string }>(
      'POST',
      `/api/v2/hookchain/tenants/${tenant}/tokens`,
      target.operatorToken,
      { name: 'e2e' },
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    token = issued.body.token;
  } else {
    // The given tenant's post-login flow is restored afterwards.
    const { body } = await api<{ bindings: Json[] }>(
      'GET',
      '/api/v2/actions/triggers/post-login/bindings',
      token,
    );
    previousBindings = body.bindings.map((b) => ({
      ref: { type: 'action_id', value: b.action.id },
      display_name: b.display_name,
    }));
  }
}, 120_000);

afterAll(async () => {
  if (api && previousBindings) {
    await api('PATCH', '/api/v2/actions/triggers/post-login/bindings', token, { bindings: previousBindings });
  }
  if (api && actionId) await api('DELETE', `/api/v2/actions/actions/${actionId}?force=true`, token);
  await target?.stop();
}, 60_000);

describe(`an action's life (${process.env.HOOKCHAIN_URL ?? 'local stack'})`, () => {
  it('refuses a request without a token, in Auth0’s error shape', async () => {
    const { status, body } = await api('GET', '/api/v2/actions/actions', undefined);
    expect(status).toBe(401);
    expect(body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('creates an action with a secret; the secret’s value never comes back', async () => {
    const { status, body } = await api<Json>('POST', '/api/v2/actions/actions', token, {
      name: ACTION_NAME,
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: CODE,
      secrets: [{ name: 'RUN', value: SECRET }],
    });
    expect(status, JSON.stringify(body)).toBe(201);
    actionId = body.id;
    expect(body.secrets).toEqual([expect.objectContaining({ name: 'RUN' })]);
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('builds the draft', async () => {
    const built = await until('the draft build', async () => {
      const { body } = await api<Json>('GET', `/api/v2/actions/actions/${actionId}`, token);
      return ['built', 'failed'].includes(body.status) ? body : undefined;
    });
    expect(built.status, JSON.stringify(built.errors)).toBe('built');
  }, 240_000);

  it('tests the draft with an event', async () => {
    const { status, body } = await api<Json>('POST', `/api/v2/actions/actions/${actionId}/test`, token, {
      payload: { event: EVENT },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.payload.error).toBeUndefined();
    expect(body.payload.logs).toEqual([expect.objectContaining({ message: `e2e run for auth0|e2e-${run}` })]);
  }, 60_000);

  it('deploys a version and serves it', async () => {
    const { status, body } = await api<Json>('POST', `/api/v2/actions/actions/${actionId}/deploy`, token);
    expect(status, JSON.stringify(body)).toBe(200);
    const number = body.number as number;
    const live = await until(`version ${number} to go live`, async () => {
      const reply = await api<Json>('GET', `/api/v2/actions/actions/${actionId}`, token);
      return reply.body.deployed_version?.number === number ? reply.body : undefined;
    });
    expect(live.deployed_version).toMatchObject({ number, deployed: true });
  }, 240_000);

  it('binds it to post-login', async () => {
    const { status, body } = await api<Json>('PATCH', '/api/v2/actions/triggers/post-login/bindings', token, {
      bindings: [{ ref: { type: 'action_id', value: actionId }, display_name: ACTION_NAME }],
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.bindings.map((b: Json) => b.action.id)).toEqual([actionId]);
  });

  it('executes the trigger: claims from the event and from the secret', async () => {
    // Dispatchers cache chains for a few seconds: retry until the new binding is served.
    const result = await until(
      'the bound chain to run',
      async () => {
        const { status, body } = await api<Json>(
          'POST',
          '/api/v2/actions/triggers/post-login/execute',
          token,
          {
            event: EVENT,
          },
        );
        expect(status, JSON.stringify(body)).toBe(200);
        return body.result?.id_token_claims?.['https://e2e.hookchain.test/run'] ? body : undefined;
      },
      60_000,
    );
    expect(result.status).toBe('final');
    expect(result.result.id_token_claims).toEqual({ 'https://e2e.hookchain.test/run': SECRET });
    expect(result.result.access_token_claims).toEqual({
      'https://e2e.hookchain.test/email': `e2e-${run}@example.com`,
    });
    executionId = result.execution_id;
    expect(executionId).toEqual(expect.any(String));
  }, 90_000);

  it('records the execution and its logs, console output included', async () => {
    const execution = await api<Json>('GET', `/api/v2/actions/executions/${executionId}`, token);
    expect(execution.status).toBe(200);
    expect(execution.body.status).toBe('final');
    const logs = await until('the execution’s logs', async () => {
      const { body } = await api<{ logs: Json[] }>(
        'GET',
        `/api/v2/actions/logs?execution=${executionId}`,
        token,
      );
      return body.logs?.length ? body.logs : undefined;
    });
    expect(logs[0]).toMatchObject({
      action_name: ACTION_NAME,
      trigger_id: 'post-login',
      execution_id: executionId,
      logs: [expect.objectContaining({ message: `e2e run for auth0|e2e-${run}` })],
    });
    expect(JSON.stringify(logs)).not.toContain(SECRET);
  }, 240_000);
});
