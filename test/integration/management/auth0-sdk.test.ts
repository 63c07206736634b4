/**
 * Wire compatibility: the official `auth0` SDK (v7), pointed at Hookchain with a custom fetch,
 * drives the whole actions lifecycle unchanged.
 */
import { ManagementClient, ManagementError } from 'auth0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;
let auth0: ManagementClient;

beforeAll(async () => {
  hc = await startTestHookchain();
  const domain = 'acme.hookchain.test';
  auth0 = new ManagementClient({
    domain,
    token: hc.token,
    // The SDK builds https://<domain>/api/v2/...; Hookchain serves the same paths.
    fetch: (input, init) =>
      fetch(String(input instanceof Request ? input.url : input).replace(`https://${domain}`, hc.url), init),
    maxRetries: 0,
  });
});
afterAll(() => hc?.stop());

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  return hc.until('the SDK to observe the change', check);
}

describe('the official auth0 SDK against Hookchain', () => {
  it('creates, builds, tests, deploys, binds, executes, rolls back and deletes an action', async () => {
    const created = await auth0.actions.create({
      name: 'sdk-action',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: "exports.onExecutePostLogin = async (event, api) => { api.accessToken.setCustomClaim('https://acme.test/sdk', event.secrets.WHO); };",
      secrets: [{ name: 'WHO', value: 'auth0-sdk' }],
      runtime: 'node22',
    });
    expect(created.id).toEqual(expect.any(String));
    const id = created.id as string;

    const built = await until(async () => {
      const action = await auth0.actions.get(id);
      return action.status === 'built' ? action : undefined;
    });
    expect(built.secrets?.[0]?.name).toBe('WHO');

    const tested = await auth0.actions.test(id, { payload: { event: sampleEvent('post-login') } });
    expect(JSON.stringify(tested.payload)).toContain('auth0-sdk');

    const version = await auth0.actions.deploy(id);
    expect(version.number).toBe(1);
    await until(async () =>
      (await auth0.actions.get(id)).deployed_version?.number === 1 ? true : undefined,
    );

    const page = await auth0.actions.list({ deployed: true });
    expect(page.data.map((a) => a.name)).toContain('sdk-action');

    const triggers = await auth0.actions.triggers.list();
    expect(triggers.triggers?.map((t) => t.id)).toContain('post-login');

    const bindings = await auth0.actions.triggers.bindings.updateMany('post-login', {
      bindings: [{ ref: { type: 'action_name', value: 'sdk-action' }, display_name: 'SDK action' }],
    });
    expect(bindings.bindings?.[0]?.display_name).toBe('SDK action');
    const listed = await auth0.actions.triggers.bindings.list('post-login');
    expect(listed.data.map((b) => b.action?.name)).toEqual(['sdk-action']);

    const run = await hc.api<{
      execution_id: string;
      result: { access_token_claims: Record<string, string> };
    }>('POST', '/api/v2/actions/triggers/post-login/execute', { event: sampleEvent('post-login') });
    expect(run.body.result.access_token_claims['https://acme.test/sdk']).toBe('auth0-sdk');
    const execution = await auth0.actions.executions.get(run.body.execution_id);
    expect(execution).toMatchObject({ id: run.body.execution_id, trigger_id: 'post-login', status: 'final' });

    const versions = await auth0.actions.versions.list(id);
    const first = versions.data[0];
    expect(first?.number).toBe(1);
    const single = await auth0.actions.versions.get(id, first?.id as string);
    expect(single.deployed).toBe(true);
    const rolledBack = await auth0.actions.versions.deploy(id, first?.id as string, { update_draft: true });
    expect(rolledBack.number).toBe(2);

    await auth0.actions.update(id, { name: 'sdk-action-renamed' });
    expect((await auth0.actions.get(id)).name).toBe('sdk-action-renamed');

    await auth0.actions.delete(id, { force: true });
    const gone = await auth0.actions.get(id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ManagementError);
    expect((gone as ManagementError).statusCode).toBe(404);
  });

  it('drives Actions Modules through actions.modules: create, publish, pin, list users, roll back, delete', async () => {
    const created = await auth0.actions.modules.create({
      name: 'sdk-module',
      code: 'exports.who = () => actions.secrets.WHO;',
      secrets: [{ name: 'WHO', value: 'sdk-module-secret' }],
      publish: true,
    });
    expect(created).toMatchObject({
      name: 'sdk-module',
      latest_version_number: 1,
      all_changes_published: true,
    });
    const id = created.id as string;

    await auth0.actions.modules.update(id, { code: 'exports.who = () => actions.secrets.WHO + "!";' });
    const v2 = await auth0.actions.modules.versions.create(id);
    expect(v2.version_number).toBe(2);
    const versions = await auth0.actions.modules.versions.list(id);
    expect(versions.data.map((v) => v.version_number)).toEqual([2, 1]);
    const first = versions.data[1];
    expect((await auth0.actions.modules.versions.get(id, first?.id as string)).code).toBe(
      'exports.who = () => actions.secrets.WHO;',
    );

    const action = await auth0.actions.create({
      name: 'sdk-module-user',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: "const m = require('actions:sdk-module'); exports.onExecutePostLogin = async () => { m.who(); };",
      modules: [{ module_id: id, module_version_id: first?.id as string }],
    });
    expect(action.modules).toEqual([
      { module_id: id, module_name: 'sdk-module', module_version_id: first?.id, module_version_number: 1 },
    ]);
    const users = await auth0.actions.modules.listActions(id);
    expect(users.data.map((u) => u.action_name)).toEqual(['sdk-module-user']);

    const rolledBack = await auth0.actions.modules.rollback(id, { module_version_id: first?.id as string });
    expect(rolledBack).toMatchObject({
      code: 'exports.who = () => actions.secrets.WHO;',
      latest_version_number: 2,
    });
    const listed = await auth0.actions.modules.list();
    expect(listed.data.map((m) => [m.name, m.actions_using_module_total])).toEqual([['sdk-module', 1]]);

    const inUse = await auth0.actions.modules.delete(id).catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(ManagementError);
    expect((inUse as ManagementError).statusCode).toBe(409);
    await auth0.actions.delete(action.id as string, { force: true });
    await auth0.actions.modules.delete(id);
    expect(
      ((await auth0.actions.modules.get(id).catch((e: unknown) => e)) as ManagementError).statusCode,
    ).toBe(404);
  });

  it('surfaces Hookchain’s errors as the SDK’s typed errors', async () => {
    const error = await auth0.actions
      .create({ name: '', supported_triggers: [{ id: 'post-login', version: 'v3' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ManagementError).statusCode).toBe(400);
    expect((error as ManagementError).message).toContain('name must not be empty');
  });
});
