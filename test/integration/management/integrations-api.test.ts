/**
 * The integration catalog over HTTP on the local stack: an operator publishes a partner's
 * integration from its directory, two tenants install it with their own values and run it, its
 * code stays invisible and closed to them, a new release is applied only by an explicit upgrade,
 * and the ordinary version rollback takes a tenant back.
 */
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIntegrationDir } from '../../../shared/integrations/read-integration-dir.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { type ActionBody, bind, createAction, waitForLive } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

const EXAMPLE = fileURLToPath(new URL('../../../examples/integrations/acme-chat-identity', import.meta.url));
const NS = 'https://chat.acme.example/';
const USER_ID = 'auth0|64b7f2c9e1a2b3c4d5e6f708';
const hash = (secret: string) => createHmac('sha256', secret).update(USER_ID).digest('hex');
/** A line only the integration's code contains: it must never reach a tenant. */
const CODE_MARKER = "crypto.createHmac('sha256', secret)";

let hc: TestHookchain;
let globex: string;

beforeAll(async () => {
  hc = await startTestHookchain();
  await hc.api('POST', '/api/v2/hookchain/tenants', { id: 'globex' }, hc.operatorToken);
  const issued = await hc.api<{ token: string }>(
    'POST',
    '/api/v2/hookchain/tenants/globex/tokens',
    { name: 'admin' },
    hc.operatorToken,
  );
  globex = issued.body.token;
});
afterAll(() => hc?.stop());

async function claims(token: string): Promise<Record<string, string>> {
  const run = await hc.api<{ status: string; result: { id_token_claims: Record<string, string> } }>(
    'POST',
    '/api/v2/actions/triggers/post-login/execute',
    { event: sampleEvent('post-login') },
    token,
  );
  expect(run.body.status, JSON.stringify(run.body)).toBe('final');
  return run.body.result.id_token_claims;
}

/** Release 2: a widget theme, chosen by a new configuration field with a default. */
async function releaseTwo() {
  const { body } = await readIntegrationDir(EXAMPLE);
  return {
    ...body,
    code: body.code.replace(
      '  if (debug)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this is release 2's source code.
      '  api.idToken.setCustomClaim(`${namespace}widget_theme`, config.WIDGET_THEME);\n  if (debug)',
    ),
    configuration: [
      ...body.configuration,
      {
        name: 'WIDGET_THEME',
        label: 'Widget theme',
        description: 'Colours of the chat widget.',
        default_value: 'light',
        options: [
          { value: 'light', label: 'Light' },
          { value: 'dark', label: 'Dark' },
        ],
      },
    ],
    notes: 'Widget themes.',
  };
}

describe('an integration in the catalog, installed by two tenants', () => {
  let devAction: ActionBody;
  let globexAction: ActionBody;

  it('is published by an operator from its directory, and only by an operator', async () => {
    const { body } = await readIntegrationDir(EXAMPLE);
    const refused = await hc.api('POST', '/api/v2/hookchain/integrations', body);
    expect(refused.status).toBe(403);
    const published = await hc.api<Record<string, unknown>>(
      'POST',
      '/api/v2/hookchain/integrations',
      body,
      hc.operatorToken,
    );
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(published.body).toMatchObject({
      id: 'acme-chat-identity',
      name: 'Acme Chat identity verification',
      partner_id: 'acme-chat',
      feature_type: 'action',
      latest_version: 1,
      current_release: {
        version: 1,
        trigger: { id: 'post-login', version: 'v3' },
        required_secrets: [{ name: 'CHAT_SIGNING_SECRET', required: true, type: 'STRING' }],
      },
    });
    expect(JSON.stringify(published.body)).not.toContain(CODE_MARKER);
  });

  it('is listed for tenants, without its code', async () => {
    // The catalog is listed from a global secondary index, which DynamoDB reads only eventually
    // consistently: a just-published integration shows up a moment later (the get below is consistent).
    const listed = await hc.until('the catalog to list the integration', async () => {
      const { status, body } = await hc.api<{ integrations: Array<{ id: string }> }>(
        'GET',
        '/api/v2/hookchain/integrations',
        undefined,
        globex,
      );
      expect(status).toBe(200);
      return body.integrations.length > 0 ? body.integrations : undefined;
    });
    expect(listed.map((i) => i.id)).toEqual(['acme-chat-identity']);
    const one = await hc.api('GET', '/api/v2/hookchain/integrations/acme-chat-identity', undefined, globex);
    expect(one.body).toMatchObject({
      current_release: {
        required_configuration: expect.arrayContaining([
          expect.objectContaining({
            name: 'CHAT_REGION',
            required: true,
            options: [
              { value: 'eu', label: 'Europe (Frankfurt)' },
              { value: 'us', label: 'United States (Virginia)' },
            ],
          }),
        ]),
      },
    });
    expect(JSON.stringify(one.body)).not.toContain(CODE_MARKER);
  });

  it('refuses an install with invalid values, naming each field', async () => {
    const { status, body } = await hc.api(
      'POST',
      '/api/v2/hookchain/integrations/acme-chat-identity/install',
      {
        secrets: {},
        configuration: { CHAT_REGION: 'apac' },
      },
    );
    expect(status).toBe(400);
    expect(body.message).toContain('secrets.CHAT_SIGNING_SECRET: required');
    expect(body.message).toContain('configuration.CHAT_REGION: must be one of eu, us');
  });

  it('installs for each tenant with its own values, deploying it, code hidden', async () => {
    const dev = await hc.api<ActionBody>(
      'POST',
      '/api/v2/hookchain/integrations/acme-chat-identity/install',
      {
        secrets: { CHAT_SIGNING_SECRET: 'dev-signing-secret' },
        configuration: { CHAT_REGION: 'eu' },
      },
    );
    expect(dev.status, JSON.stringify(dev.body)).toBe(201);
    devAction = dev.body;
    expect(dev.body).toMatchObject({
      name: 'Acme Chat identity verification',
      installed_integration_id: expect.any(String),
      integration: { id: 'acme-chat-identity', version: 1, latest_version: 1, upgrade_available: false },
      configuration: {
        CHAT_REGION: 'eu',
        CLAIM_NAMESPACE: NS,
        INCLUDE_EMAIL: 'true',
        DEBUG_LOGGING: 'false',
      },
      secrets: [{ name: 'CHAT_SIGNING_SECRET', updated_at: expect.any(String) }],
    });
    expect(dev.body).not.toHaveProperty('code');
    expect(JSON.stringify(dev.body)).not.toContain('dev-signing-secret');

    const other = await hc.api<ActionBody>(
      'POST',
      '/api/v2/hookchain/integrations/acme-chat-identity/install',
      {
        name: 'Chat verification',
        secrets: { CHAT_SIGNING_SECRET: 'globex-signing-secret' },
        configuration: { CHAT_REGION: 'us', INCLUDE_EMAIL: 'false' },
      },
      globex,
    );
    expect(other.status).toBe(201);
    globexAction = other.body;

    await waitForLive(hc, devAction.id, 1);
    await waitForLive(hc, globexAction.id, 1, globex);
  });

  it('runs each tenant’s copy with that tenant’s secrets and configuration', async () => {
    await bind(hc, 'post-login', ['Acme Chat identity verification']);
    await bind(hc, 'post-login', ['Chat verification'], globex);
    expect(await claims(hc.token)).toEqual({
      [`${NS}user_hash`]: hash('dev-signing-secret'),
      [`${NS}widget_url`]: 'https://widget.eu.chat.acme.example',
      [`${NS}email`]: 'ada.lovelace@acme.test',
    });
    expect(await claims(globex)).toEqual({
      [`${NS}user_hash`]: hash('globex-signing-secret'),
      [`${NS}widget_url`]: 'https://widget.us.chat.acme.example',
    });
  });

  it('never shows the code: not in the action, its versions, its bindings or the list', async () => {
    const reads = await Promise.all([
      hc.api('GET', `/api/v2/actions/actions/${devAction.id}`),
      hc.api('GET', `/api/v2/actions/actions/${devAction.id}/versions`),
      hc.api('GET', '/api/v2/actions/triggers/post-login/bindings'),
      hc.api('GET', '/api/v2/actions/actions'),
    ]);
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain(CODE_MARKER);
    }
    const versions = reads[1]?.body as { versions: Array<Record<string, unknown>> };
    expect(versions.versions[0]).not.toHaveProperty('code');
    const one = await hc.api(
      'GET',
      `/api/v2/actions/actions/${devAction.id}/versions/${versions.versions[0]?.id}`,
    );
    expect(one.body).not.toHaveProperty('code');
  });

  it('refuses changes to its code or dependencies, and checks configuration again', async () => {
    const code = await hc.api('PATCH', `/api/v2/actions/actions/${devAction.id}`, {
      code: 'exports.onExecutePostLogin = async () => {};',
    });
    expect(code.status).toBe(400);
    expect(code.body).toMatchObject({ errorCode: 'integration_closed' });
    expect(code.body.message).toContain('its code cannot be read or changed');
    const deps = await hc.api('PATCH', `/api/v2/actions/actions/${devAction.id}`, {
      dependencies: [{ name: 'lodash', version: '4.17.21' }],
    });
    expect(deps.status).toBe(400);

    const invalid = await hc.api('PATCH', `/api/v2/actions/actions/${devAction.id}`, {
      configuration: { INCLUDE_EMAIL: 'maybe' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('configuration.INCLUDE_EMAIL: must be one of true, false');

    const valid = await hc.api<ActionBody>('PATCH', `/api/v2/actions/actions/${devAction.id}`, {
      configuration: { DEBUG_LOGGING: 'true' },
    });
    expect(valid.status).toBe(200);
    expect(valid.body.configuration).toMatchObject({ CHAT_REGION: 'eu', DEBUG_LOGGING: 'true' });
    expect(valid.body.all_changes_deployed).toBe(false);
  });

  it('filters installed and custom actions with installed=true|false (configuration is for installs only)', async () => {
    const custom = await createAction(hc, {
      name: 'custom-one',
      code: 'exports.onExecutePostLogin = async () => {};',
    });
    const configured = await hc.api('PATCH', `/api/v2/actions/actions/${custom.id}`, {
      configuration: { REGION: 'eu' },
    });
    expect(configured.status).toBe(400);
    expect(configured.body.message).toContain('configuration is only accepted by actions installed');
    const names = async (installed: boolean) =>
      (
        await hc.api<{ actions: Array<{ name: string }> }>(
          'GET',
          `/api/v2/actions/actions?installed=${installed}`,
        )
      ).body.actions.map((a) => a.name);
    expect(await names(true)).toEqual(['Acme Chat identity verification']);
    expect(await names(false)).toEqual(['custom-one']);
  });

  it('offers a new release without applying it', async () => {
    const published = await hc.api(
      'POST',
      '/api/v2/hookchain/integrations',
      await releaseTwo(),
      hc.operatorToken,
    );
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({
      latest_version: 2,
      current_release: { version: 2, notes: 'Widget themes.' },
    });
    const action = await hc.api<ActionBody>('GET', `/api/v2/actions/actions/${devAction.id}`);
    expect(action.body.integration).toMatchObject({ version: 1, latest_version: 2, upgrade_available: true });
    for (const dispatcher of hc.stack.platforms.dispatchers) dispatcher.dispatch.chains.invalidate();
    expect(await claims(hc.token)).not.toHaveProperty(`${NS}widget_theme`);
  });

  it('upgrades one tenant explicitly, as a new version with the new field', async () => {
    const refused = await hc.api('POST', `/api/v2/hookchain/actions/${devAction.id}/upgrade`, {
      configuration: { WIDGET_THEME: 'neon' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('configuration.WIDGET_THEME: must be one of light, dark');

    const upgraded = await hc.api<ActionBody>('POST', `/api/v2/hookchain/actions/${devAction.id}/upgrade`, {
      configuration: { WIDGET_THEME: 'dark' },
    });
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    expect(upgraded.body).toMatchObject({
      integration: { version: 2, latest_version: 2, upgrade_available: false },
      configuration: { WIDGET_THEME: 'dark', DEBUG_LOGGING: 'true', CHAT_REGION: 'eu' },
    });
    const live = await waitForLive(hc, devAction.id, 2);
    expect(live.all_changes_deployed).toBe(true);
    expect(await claims(hc.token)).toMatchObject({
      [`${NS}widget_theme`]: 'dark',
      [`${NS}user_hash`]: hash('dev-signing-secret'),
    });
    // The other tenant still runs release 1.
    expect(await claims(globex)).not.toHaveProperty(`${NS}widget_theme`);

    const again = await hc.api('POST', `/api/v2/hookchain/actions/${devAction.id}/upgrade`, {});
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ errorCode: 'already_current' });
  });

  it('rolls back to release 1 through the ordinary version rollback', async () => {
    const { body } = await hc.api<{ versions: Array<{ id: string; number: number }> }>(
      'GET',
      `/api/v2/actions/actions/${devAction.id}/versions`,
    );
    const first = body.versions.find((v) => v.number === 1);
    const rolledBack = await hc.api<{ number: number }>(
      'POST',
      `/api/v2/actions/actions/${devAction.id}/versions/${first?.id}/deploy`,
      {},
    );
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ number: 3 });
    expect(rolledBack.body).not.toHaveProperty('code');
    await waitForLive(hc, devAction.id, 3);
    const after = await claims(hc.token);
    expect(after).not.toHaveProperty(`${NS}widget_theme`);
    expect(after[`${NS}user_hash`]).toBe(hash('dev-signing-secret'));
    // Upgrading again is allowed: the live version runs release 1 once more.
    const reupgrade = await hc.api('POST', `/api/v2/hookchain/actions/${devAction.id}/upgrade`, {});
    expect(reupgrade.status).toBe(200);
    await waitForLive(hc, devAction.id, 4);
  });

  it('answers 404 for an integration that is not in the catalog', async () => {
    const { status, body } = await hc.api('POST', '/api/v2/hookchain/integrations/nope/install', {});
    expect(status).toBe(404);
    expect(body.message).toBe('That integration does not exist.');
  });
});
