/**
 * The integration's own spec, run with the testing kit: the code, its configuration.json and the
 * values an installer would type, checked and run exactly as Hookchain runs an installed copy.
 */
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { integrationAction, runChain, sampleEvent } from '../../../shared/testing/index.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const SECRET = 'whsec_test_8c1f2a';
const USER_ID = 'auth0|64b7f2c9e1a2b3c4d5e6f708';

async function login(configuration: Record<string, string>, secrets = { CHAT_SIGNING_SECRET: SECRET }) {
  const action = await integrationAction(dir, { secrets, configuration });
  return runChain({ trigger: action.trigger, actions: [action], event: sampleEvent('post-login') });
}

describe('Acme Chat identity verification', () => {
  it('signs the user id and points the widget at the chosen region, with the defaults', async () => {
    const run = await login({ CHAT_REGION: 'us' });
    expect(run.status).toBe('final');
    expect(run.result.id_token_claims).toEqual({
      'https://chat.acme.example/user_hash': createHmac('sha256', SECRET).update(USER_ID).digest('hex'),
      'https://chat.acme.example/widget_url': 'https://widget.us.chat.acme.example',
      'https://chat.acme.example/email': 'ada.lovelace@acme.test',
    });
    // Debug logging is off by default: nothing is logged.
    expect(run.executions[0]?.logs).toEqual([]);
  });

  it('honours the namespace and keeps the email out when asked', async () => {
    const run = await login({
      CHAT_REGION: 'eu',
      CLAIM_NAMESPACE: 'https://id.example.org',
      INCLUDE_EMAIL: 'false',
    });
    expect(Object.keys(run.result.id_token_claims as object)).toEqual([
      'https://id.example.org/user_hash',
      'https://id.example.org/widget_url',
    ]);
  });

  it('logs one line in debug mode, never the secret', async () => {
    const run = await login({ CHAT_REGION: 'eu', DEBUG_LOGGING: 'true' });
    const lines = run.executions[0]?.logs.map((l) => l.message) ?? [];
    expect(lines).toEqual([`Acme Chat: verified ${USER_ID} for the eu widget`]);
    expect(JSON.stringify(run)).not.toContain(SECRET);
  });

  it('refuses what an install would refuse, naming each field', async () => {
    await expect(
      integrationAction(dir, { secrets: {}, configuration: { CHAT_REGION: 'apac' } }),
    ).rejects.toThrow(
      'Invalid integration values: secrets.CHAT_SIGNING_SECRET: required (Identity verification secret); configuration.CHAT_REGION: must be one of eu, us',
    );
  });
});
