/**
 * Actions Modules over HTTP on the local stack: a module with its own secret and dependency shared
 * by two actions, publishing without upgrading anyone silently, re-pinning, rollback, and the
 * refusals (delete in use, bad pins, unpinned dependencies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { type ActionBody, bind, waitForBuild, waitForLive } from '../../support/actions.ts';
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

const MODULE_V1 = `
const pad = require('left-pad-lite');
exports.tag = (who) => 'v1:' + pad(who, 6, '.') + ':' + actions.secrets.CRM_TOKEN;
`;
const MODULE_V2 = MODULE_V1.replace("'v1:'", "'v2:'");

const actionCode = (claim: string) => `
const crm = require('actions:crm');
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('${claim}', crm.tag(event.secrets.WHO) + '|' + (event.secrets.CRM_TOKEN ?? 'no-module-secret-here'));
};`;

type ModuleBody = Record<string, unknown> & { id: string };
type VersionBody = { id: string; version_number: number };

async function execute(): Promise<Record<string, string>> {
  const run = await hc.api<{ status: string; result: { id_token_claims: Record<string, string> } }>(
    'POST',
    '/api/v2/actions/triggers/post-login/execute',
    { event: sampleEvent('post-login') },
  );
  expect(run.body.status).toBe('final');
  return run.body.result.id_token_claims;
}

/** Creates (or re-pins) an action, waits for its build, deploys it and waits until it is live. */
async function deployWithModules(
  name: string,
  modules: unknown[],
  who: string,
  existing?: string,
): Promise<ActionBody> {
  const reply = existing
    ? await hc.api<ActionBody>('PATCH', `/api/v2/actions/actions/${existing}`, { modules })
    : await hc.api<ActionBody>('POST', '/api/v2/actions/actions', {
        name,
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        code: actionCode(name),
        secrets: [{ name: 'WHO', value: who }],
        modules,
      });
  expect(reply.status, JSON.stringify(reply.body)).toBe(existing ? 200 : 201);
  const built = await waitForBuild(hc, reply.body.id);
  expect(built.status, JSON.stringify(built.errors)).toBe('built');
  const deployed = await hc.api<{ number: number }>(
    'POST',
    `/api/v2/actions/actions/${reply.body.id}/deploy`,
  );
  return waitForLive(hc, reply.body.id, deployed.body.number);
}

describe('an Actions Module shared by two actions', () => {
  let moduleId: string;
  let v1: VersionBody;
  let first: ActionBody;
  let second: ActionBody;

  it('creates a module with its own secret and a pinned dependency, unpublished', async () => {
    const { status, body } = await hc.api<ModuleBody>('POST', '/api/v2/actions/modules', {
      name: 'crm',
      code: MODULE_V1,
      secrets: [{ name: 'CRM_TOKEN', value: 'module-secret-1' }],
      dependencies: [{ name: 'left-pad-lite', version: '1.1.0' }],
    });
    expect(status).toBe(201);
    moduleId = body.id;
    expect(body).toMatchObject({
      name: 'crm',
      code: MODULE_V1,
      dependencies: [{ name: 'left-pad-lite', version: '1.1.0' }],
      secrets: [{ name: 'CRM_TOKEN', updated_at: expect.any(String) }],
      actions_using_module_total: 0,
      all_changes_published: false,
      latest_version_number: 0,
    });
    expect(JSON.stringify(body)).not.toContain('module-secret-1');
  });

  it('refuses to pin a module that was never published', async () => {
    const { status, body } = await hc.api('POST', '/api/v2/actions/actions', {
      name: 'too-early',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      modules: [{ module_name: 'crm', module_version_number: 1 }],
    });
    expect(status).toBe(400);
    expect(body.message).toContain('never published');
  });

  it('publishes version 1', async () => {
    const { status, body } = await hc.api<VersionBody>(
      'POST',
      `/api/v2/actions/modules/${moduleId}/versions`,
    );
    expect(status).toBe(201);
    v1 = body;
    expect(body).toMatchObject({ version_number: 1, module_id: moduleId, code: MODULE_V1 });
    const module = await hc.api<ModuleBody>('GET', `/api/v2/actions/modules/${moduleId}`);
    expect(module.body).toMatchObject({
      all_changes_published: true,
      latest_version_number: 1,
      latest_version: { id: v1.id, version_number: 1, code: MODULE_V1 },
    });
  });

  it('runs two actions that pin it, each with its own secrets and the module with its own', async () => {
    first = await deployWithModules('first', [{ module_id: moduleId, module_version_id: v1.id }], 'ada');
    second = await deployWithModules('second', [{ module_name: 'crm', module_version_number: 1 }], 'bob');
    expect(first.modules).toEqual([
      { module_id: moduleId, module_name: 'crm', module_version_id: v1.id, module_version_number: 1 },
    ]);
    expect((first.deployed_version as { modules: unknown[] }).modules).toEqual(first.modules);
    await bind(hc, 'post-login', ['first', 'second']);
    expect(await execute()).toEqual({
      first: 'v1:...ada:module-secret-1|no-module-secret-here',
      second: 'v1:...bob:module-secret-1|no-module-secret-here',
    });
  });

  it('lists the actions using it', async () => {
    const { body } = await hc.api<{ actions: unknown[]; total: number }>(
      'GET',
      `/api/v2/actions/modules/${moduleId}/actions`,
    );
    expect(body.total).toBe(2);
    expect(body.actions).toEqual(
      expect.arrayContaining([
        {
          action_id: first.id,
          action_name: 'first',
          module_version_id: v1.id,
          module_version_number: 1,
          supported_triggers: [{ id: 'post-login', version: 'v3' }],
        },
      ]),
    );
    const listed = await hc.api<{ modules: ModuleBody[]; total: number }>('GET', '/api/v2/actions/modules');
    expect(listed.body.modules.map((m) => [m.name, m.actions_using_module_total])).toEqual([['crm', 2]]);
  });

  it('publishes version 2 (new code, new secret) without upgrading either action', async () => {
    const patched = await hc.api<ModuleBody>('PATCH', `/api/v2/actions/modules/${moduleId}`, {
      code: MODULE_V2,
      secrets: [{ name: 'CRM_TOKEN', value: 'module-secret-2' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.all_changes_published).toBe(false);
    const v2 = await hc.api<VersionBody>('POST', `/api/v2/actions/modules/${moduleId}/versions`);
    expect(v2.body.version_number).toBe(2);
    // Both still run version 1 with its secret, even with the chain cache dropped.
    hc.stack.platform.dispatch.chains.invalidate();
    expect(await execute()).toEqual({
      first: 'v1:...ada:module-secret-1|no-module-secret-here',
      second: 'v1:...bob:module-secret-1|no-module-secret-here',
    });
    const action = await hc.api<ActionBody>('GET', `/api/v2/actions/actions/${first.id}`);
    expect(action.body.modules).toEqual([expect.objectContaining({ module_version_number: 1 })]);
  });

  it('upgrades an action only when it is re-pinned and deployed', async () => {
    await deployWithModules('first', [{ module_name: 'crm', module_version_number: 2 }], 'ada', first.id);
    expect(await execute()).toEqual({
      first: 'v2:...ada:module-secret-2|no-module-secret-here',
      second: 'v1:...bob:module-secret-1|no-module-secret-here',
    });
    const versions = await hc.api<{ versions: VersionBody[]; total: number }>(
      'GET',
      `/api/v2/actions/modules/${moduleId}/versions`,
    );
    expect(versions.body.versions.map((v) => v.version_number)).toEqual([2, 1]);
    const one = await hc.api<VersionBody>('GET', `/api/v2/actions/modules/${moduleId}/versions/${v1.id}`);
    expect(one.body).toMatchObject({ version_number: 1, code: MODULE_V1 });
  });

  it('tests a draft with its pinned module’s secrets', async () => {
    const { body } = await hc.api<{ payload: { result: { id_token_claims: Record<string, string> } } }>(
      'POST',
      `/api/v2/actions/actions/${second.id}/test`,
      { payload: { event: sampleEvent('post-login') } },
    );
    expect(body.payload.result.id_token_claims.second).toBe(
      'v1:...bob:module-secret-1|no-module-secret-here',
    );
  });

  it('rolls the module draft back to version 1', async () => {
    const { status, body } = await hc.api<ModuleBody>(
      'POST',
      `/api/v2/actions/modules/${moduleId}/rollback`,
      {
        module_version_id: v1.id,
      },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: MODULE_V1, all_changes_published: false, latest_version_number: 2 });
  });

  it('refuses to delete the module while actions use it, then deletes it once they are gone', async () => {
    const refused = await hc.api('DELETE', `/api/v2/actions/modules/${moduleId}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ errorCode: 'module_in_use' });
    expect(refused.body.message).toContain("'first' (deployed)");
    expect(refused.body.message).toContain("'second' (deployed)");
    for (const action of [first, second]) {
      expect((await hc.api('DELETE', `/api/v2/actions/actions/${action.id}?force=true`)).status).toBe(204);
    }
    expect((await hc.api('DELETE', `/api/v2/actions/modules/${moduleId}`)).status).toBe(204);
    expect((await hc.api('GET', `/api/v2/actions/modules/${moduleId}`)).body).toMatchObject({
      statusCode: 404,
      message: 'That module does not exist.',
    });
  });
});

describe('module input is checked clearly', () => {
  const valid = { name: 'ok-module', code: 'exports.x = 1;' };

  it.each([
    [
      'a dependency range',
      { ...valid, dependencies: [{ name: 'left-pad-lite', version: '^1.0.0' }] },
      'exact version',
    ],
    ['a name require() cannot spell', { ...valid, name: 'no spaces' }, 'name may contain'],
    ['no code', { name: 'codeless' }, 'code'],
  ])('refuses %s', async (_what, body, message) => {
    const reply = await hc.api('POST', '/api/v2/actions/modules', body);
    expect(reply.status).toBe(400);
    expect(reply.body.message).toContain(message);
  });

  it('keeps module names unique and limits an action to three modules', async () => {
    expect((await hc.api('POST', '/api/v2/actions/modules', { ...valid, publish: true })).status).toBe(201);
    const again = await hc.api('POST', '/api/v2/actions/modules', valid);
    expect(again.status).toBe(409);
    const four = Array.from({ length: 4 }, (_, i) => ({ module_id: `m${i}`, module_version_id: `v${i}` }));
    const tooMany = await hc.api('POST', '/api/v2/actions/actions', {
      name: 'four-modules',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      modules: four,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain('at most 3 modules');
    const unknown = await hc.api('POST', '/api/v2/actions/actions', {
      name: 'unknown-module',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      modules: [{ module_id: 'nope', module_version_id: 'nope' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("modules.0: no module matches 'nope'");
  });

  it('hides another tenant’s modules', async () => {
    const mine = await hc.api<ModuleBody>('POST', '/api/v2/actions/modules', { name: 'private', code: '' });
    await hc.api('POST', '/api/v2/hookchain/tenants', { id: 'other-co' }, hc.operatorToken);
    const other = await hc.api<{ token: string }>(
      'POST',
      '/api/v2/hookchain/tenants/other-co/tokens',
      { name: 'admin' },
      hc.operatorToken,
    );
    const seen = await hc.api('GET', `/api/v2/actions/modules/${mine.body.id}`, undefined, other.body.token);
    expect(seen.status).toBe(404);
  });
});
