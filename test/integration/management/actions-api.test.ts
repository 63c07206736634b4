/**
 * The management API over HTTP on the local stack: the lifecycle Auth0 tools drive (create, build,
 * deploy, versions, bindings, rollback, delete), its errors, and its scopes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { bind, createAction, deployedAction, waitForBuild, waitForLive } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';
import { type NpmRegistry, startNpmRegistry } from '../../support/npm-registry.ts';

let hc: TestHookchain;
let registry: NpmRegistry;

beforeAll(async () => {
  registry = await startNpmRegistry();
  hc = await startTestHookchain({ npmRegistry: registry.url });
});
afterAll(async () => {
  await hc?.stop();
  await registry?.close();
});

const GREETER = `
const { greet } = require('greeter');
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://acme.test/greeting', greet(event.user.nickname));
  api.idToken.setCustomClaim('https://acme.test/tier', event.secrets.TIER);
};`;

describe('an action’s lifecycle', () => {
  let id: string;

  it('creates a draft with secrets and a dependency, which builds with the dependency pinned', async () => {
    const created = await createAction(hc, {
      name: 'greeting',
      code: GREETER,
      secrets: [{ name: 'TIER', value: 'gold' }],
      dependencies: [{ name: 'greeter', version: '^1.0.0' }],
    });
    id = created.id;
    expect(created).toMatchObject({ name: 'greeting', status: 'pending', all_changes_deployed: false });
    expect(created.secrets).toEqual([{ name: 'TIER', updated_at: expect.any(String) }]);
    expect(JSON.stringify(created)).not.toContain('gold');

    const built = await waitForBuild(hc, id);
    expect(built.status).toBe('built');
    expect(built.built_at).toEqual(expect.any(String));
    expect(built.dependencies).toEqual([{ name: 'greeter', version: '1.0.0' }]);
  });

  it('tests the draft without deploying it, answering 200 with the outcome in payload', async () => {
    const { status, body } = await hc.api<{ payload: Record<string, unknown> }>(
      'POST',
      `/api/v2/actions/actions/${id}/test`,
      { payload: { event: sampleEvent('post-login') } },
    );
    expect(status).toBe(200);
    expect(body.payload.status).toBe('final');
    expect((body.payload.result as Record<string, unknown>).id_token_claims).toEqual({
      'https://acme.test/greeting': 'Hello, .....ada',
      'https://acme.test/tier': 'gold',
    });
    expect(body.payload.stats).toMatchObject({ action_duration_ms: expect.any(Number) });
    const versions = await hc.api<{ versions: unknown[] }>('GET', `/api/v2/actions/actions/${id}/versions`);
    expect(versions.body.versions).toEqual([]);
  });

  it('reports an action that throws inside payload.error, still with status 200', async () => {
    const broken = await createAction(hc, {
      name: 'throws-on-test',
      code: `exports.onExecutePostLogin = async (event) => { event.user.profile.missing.field; };`,
    });
    await waitForBuild(hc, broken.id);
    const { status, body } = await hc.api<{ payload: { error: { name: string; message: string } } }>(
      'POST',
      `/api/v2/actions/actions/${broken.id}/test`,
      { payload: { event: sampleEvent('post-login') } },
    );
    expect(status).toBe(200);
    expect(body.payload.error).toMatchObject({
      name: 'TypeError',
      message: expect.stringContaining('missing'),
    });
  });

  it('deploys version 1, answering once its function is created, warmed and live', async () => {
    const { status, body } = await hc.api<Record<string, unknown>>(
      'POST',
      `/api/v2/actions/actions/${id}/deploy`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ number: 1, action_id: id, deployed: true, status: 'built', code: GREETER });
    const live = await waitForLive(hc, id, 1);
    expect(live.all_changes_deployed).toBe(true);
    expect(live.deployed_version).toMatchObject({
      number: 1,
      deployed: true,
      status: 'built',
      code: GREETER,
    });
  });

  it('binds by name and runs the live version when the trigger fires', async () => {
    const bound = await bind(hc, 'post-login', ['greeting']);
    expect(bound.bindings).toEqual([
      expect.objectContaining({
        trigger_id: 'post-login',
        display_name: 'greeting',
        action: expect.objectContaining({ id }),
      }),
    ]);
    const listed = await hc.api<{ bindings: unknown[]; total: number }>(
      'GET',
      '/api/v2/actions/triggers/post-login/bindings',
    );
    expect(listed.body.total).toBe(1);
    const run = await hc.api<{ result: { id_token_claims: Record<string, string> } }>(
      'POST',
      '/api/v2/actions/triggers/post-login/execute',
      { event: sampleEvent('post-login') },
    );
    expect(run.body.result.id_token_claims['https://acme.test/tier']).toBe('gold');
  });

  it('re-deploys a changed draft as version 2, keeping the secret it was not sent again', async () => {
    const patched = await hc.api<Record<string, unknown>>('PATCH', `/api/v2/actions/actions/${id}`, {
      code: GREETER.replace("'https://acme.test/tier'", "'https://acme.test/level'"),
      secrets: [{ name: 'TIER' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'pending', all_changes_deployed: false });
    await waitForBuild(hc, id);
    const deployed = await hc.api<{ number: number }>('POST', `/api/v2/actions/actions/${id}/deploy`);
    expect(deployed.body.number).toBe(2);
    await waitForLive(hc, id, 2);
    const run = await hc.api<{ result: { id_token_claims: Record<string, string> } }>(
      'POST',
      '/api/v2/actions/triggers/post-login/execute',
      { event: sampleEvent('post-login') },
    );
    expect(run.body.result.id_token_claims).toMatchObject({ 'https://acme.test/level': 'gold' });
  });

  it('lists versions newest first and reads one', async () => {
    const { body } = await hc.api<{
      versions: Array<{ id: string; number: number; deployed: boolean }>;
      total: number;
    }>('GET', `/api/v2/actions/actions/${id}/versions`);
    expect(body.total).toBe(2);
    expect(body.versions.map((v) => [v.number, v.deployed])).toEqual([
      [2, true],
      [1, false],
    ]);
    const one = await hc.api<{ number: number }>(
      'GET',
      `/api/v2/actions/actions/${id}/versions/${body.versions[1]?.id}`,
    );
    expect(one.body.number).toBe(1);
  });

  it('rolls back by deploying a new version 3 copied from version 1', async () => {
    const { body: list } = await hc.api<{ versions: Array<{ id: string; number: number }> }>(
      'GET',
      `/api/v2/actions/actions/${id}/versions`,
    );
    const first = list.versions.find((v) => v.number === 1);
    const { status, body } = await hc.api<{ number: number; code: string }>(
      'POST',
      `/api/v2/actions/actions/${id}/versions/${first?.id}/deploy`,
      {},
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ number: 3, code: GREETER });
    const live = await waitForLive(hc, id, 3);
    expect(live.all_changes_deployed).toBe(false);
    const run = await hc.api<{ result: { id_token_claims: Record<string, string> } }>(
      'POST',
      '/api/v2/actions/triggers/post-login/execute',
      { event: sampleEvent('post-login') },
    );
    expect(run.body.result.id_token_claims).toMatchObject({ 'https://acme.test/tier': 'gold' });
  });

  it('refuses to delete a bound action (409), deletes it once unbound or when forced', async () => {
    const refused = await hc.api('DELETE', `/api/v2/actions/actions/${id}`);
    expect(refused).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'Unable to delete an action bound to a trigger.',
        errorCode: 'action_bound',
      },
    });
    const forced = await hc.api('DELETE', `/api/v2/actions/actions/${id}?force=true`);
    expect(forced.status).toBe(204);
    const gone = await hc.api('GET', `/api/v2/actions/actions/${id}`);
    expect(gone).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'That action does not exist.',
        errorCode: 'not_found',
      },
    });
    const bindings = await hc.api<{ bindings: unknown[] }>(
      'GET',
      '/api/v2/actions/triggers/post-login/bindings',
    );
    expect(bindings.body.bindings).toEqual([]);
  });

  it('unbinds with an empty list, after which a plain delete succeeds', async () => {
    const action = await deployedAction(hc, {
      name: 'short-lived',
      code: 'exports.onExecutePostLogin = async () => {};',
    });
    await bind(hc, 'post-login', ['short-lived']);
    expect((await bind(hc, 'post-login', [])).bindings).toEqual([]);
    expect((await hc.api('DELETE', `/api/v2/actions/actions/${action.id}`)).status).toBe(204);
  });
});

describe('create with deploy: true', () => {
  it('deploys version 1 by itself once the draft is built', async () => {
    const { status, body } = await hc.api<{ id: string }>('POST', '/api/v2/actions/actions', {
      name: 'deploy-on-create',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: 'exports.onExecutePostLogin = async () => {};',
      deploy: true,
    });
    expect(status).toBe(201);
    const live = await waitForLive(hc, body.id, 1);
    expect(live.all_changes_deployed).toBe(true);
  });
});

describe('the management API refuses bad input clearly, and keeps nothing half-written', () => {
  const post = (body: unknown) => hc.api('POST', '/api/v2/actions/actions', body);
  const valid = { name: 'valid', supported_triggers: [{ id: 'post-login', version: 'v3' }] };

  it.each([
    ['malformed JSON', '{"name": ', 'Invalid request payload JSON format.'],
    ['a wrong type', { ...valid, name: 42 }, 'name'],
    ['an unknown field', { ...valid, colour: 'blue' }, 'Additional properties not allowed: colour'],
    [
      'an unknown trigger',
      { ...valid, supported_triggers: [{ id: 'post-lunch', version: 'v1' }] },
      'trigger id',
    ],
    ['oversize code', { ...valid, code: 'x'.repeat(101 * 1024) }, 'code must be at most 100 kB'],
    [
      '31 secrets',
      { ...valid, secrets: Array.from({ length: 31 }, (_, i) => ({ name: `S${i}`, value: 'v' })) },
      'at most 30 secrets',
    ],
    ['a secret without a value', { ...valid, secrets: [{ name: 'NEW' }] }, "Secret 'NEW' has no value"],
  ])('%s → 400 naming the problem', async (_case, body, message) => {
    const { status, body: error } = await post(body);
    expect(status).toBe(400);
    expect(error).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining(message as string),
    });
  });

  it('refuses 21 bindings', async () => {
    const bindings = Array.from({ length: 21 }, (_, i) => ({ ref: { type: 'action_name', value: `a${i}` } }));
    const { status, body } = await hc.api('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
      bindings,
    });
    expect(status).toBe(400);
    expect(body.message).toContain('at most 20 actions');
  });

  it('refuses to bind an action that was never deployed', async () => {
    await createAction(hc, { name: 'draft-only', code: 'exports.onExecutePostLogin = async () => {};' });
    const { status, body } = await hc.api('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
      bindings: [{ ref: { type: 'action_name', value: 'draft-only' } }],
    });
    expect(status).toBe(400);
    expect(body.message).toContain('must be deployed');
  });

  it('refuses to deploy a draft whose build failed, saying why', async () => {
    // A draft whose build fails stays unbuilt for good: no race with the builder.
    const created = await createAction(hc, {
      name: 'not-built',
      code: 'exports.onExecutePostLogin = async () => { return ; ; ) };',
    });
    expect((await waitForBuild(hc, created.id)).status).toBe('failed');
    const { status, body } = await hc.api('POST', `/api/v2/actions/actions/${created.id}/deploy`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ errorCode: 'draft_not_built' });
    expect(body.message).toMatch(
      /^The draft's build failed, so it cannot be deployed\. Compilation failed: .*line 1/,
    );
    const versions = await hc.api<{ versions: unknown[] }>(
      'GET',
      `/api/v2/actions/actions/${created.id}/versions`,
    );
    expect(versions.body.versions).toEqual([]);
  });

  it('fails the build of a syntax error with the compiler’s message and line', async () => {
    const created = await createAction(hc, {
      name: 'syntax-error',
      code: 'exports.onExecutePostLogin = async (event, api) => {\n  const x = ;\n};',
    });
    const built = await waitForBuild(hc, created.id);
    expect(built.status).toBe('failed');
    expect(JSON.stringify(built.errors)).toMatch(/line 2/);
  });

  it('fails the build of a missing npm package, naming it', async () => {
    const created = await createAction(hc, {
      name: 'missing-package',
      code: "const x = require('no-such-package-here'); exports.onExecutePostLogin = async () => {};",
      dependencies: [{ name: 'no-such-package-here', version: '1.0.0' }],
    });
    const built = await waitForBuild(hc, created.id);
    expect(built.status).toBe('failed');
    expect(JSON.stringify(built.errors)).toContain('no-such-package-here');
  });

  it('keeps names unique per tenant', async () => {
    await createAction(hc, { name: 'unique-name', code: '' });
    const { status, body } = await post({ ...valid, name: 'unique-name' });
    expect(status).toBe(409);
    expect(body.message).toContain("'unique-name' already exists");
  });

  it('rejects unknown query parameters as Auth0 does', async () => {
    const { status, body } = await hc.api('GET', '/api/v2/actions/actions?include_totals=true');
    expect(status).toBe(400);
    expect(body.message).toContain('Additional properties not allowed: include_totals');
  });

  it('answers an unknown trigger in the path with 404', async () => {
    const { status } = await hc.api('GET', '/api/v2/actions/triggers/post-lunch/bindings');
    expect(status).toBe(404);
  });
});

describe('authentication and scopes', () => {
  it('answers 401 without a token or with an unknown one', async () => {
    expect((await hc.api('GET', '/api/v2/actions/actions', undefined, '')).status).toBe(401);
    const forged = await hc.api('GET', '/api/v2/actions/actions', undefined, 'hc_forged');
    expect(forged).toEqual({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token.', errorCode: 'invalid_token' },
    });
  });

  it('answers 403 insufficient_scope for a token without the needed scope', async () => {
    const issued = await hc.api<{ token: string }>(
      'POST',
      '/api/v2/hookchain/tenants/dev/tokens',
      { name: 'read-only', scopes: ['read:actions'] },
      hc.operatorToken,
    );
    expect(issued.status).toBe(201);
    expect((await hc.api('GET', '/api/v2/actions/actions', undefined, issued.body.token)).status).toBe(200);
    const denied = await hc.api(
      'POST',
      '/api/v2/actions/actions',
      { name: 'x', supported_triggers: [] },
      issued.body.token,
    );
    expect(denied).toEqual({
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message: 'Insufficient scope, expected any of: create:actions',
        errorCode: 'insufficient_scope',
      },
    });
  });

  it('scopes every id to the token’s tenant: another tenant’s action answers 404', async () => {
    await hc.api('POST', '/api/v2/hookchain/tenants', { id: 'globex' }, hc.operatorToken);
    const other = await hc.api<{ token: string }>(
      'POST',
      '/api/v2/hookchain/tenants/globex/tokens',
      { name: 'admin' },
      hc.operatorToken,
    );
    const mine = await createAction(hc, { name: 'mine', code: '' });
    const seen = await hc.api('GET', `/api/v2/actions/actions/${mine.id}`, undefined, other.body.token);
    expect(seen.status).toBe(404);
    const listed = await hc.api<{ actions: unknown[] }>(
      'GET',
      '/api/v2/actions/actions',
      undefined,
      other.body.token,
    );
    expect(listed.body.actions).toEqual([]);
    const deleted = await hc.api('DELETE', `/api/v2/actions/actions/${mine.id}`, undefined, other.body.token);
    expect(deleted.status).toBe(404);
  });

  it('keeps operator endpoints to operator tokens', async () => {
    const { status } = await hc.api('GET', '/api/v2/hookchain/tenants');
    expect(status).toBe(403);
  });
});
