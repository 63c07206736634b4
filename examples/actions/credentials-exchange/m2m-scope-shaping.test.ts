import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./m2m-scope-shaping.js', import.meta.url));
const code = readFileSync(filename, 'utf8');
const secrets = { CLAIM_NAMESPACE: 'https://acme.test/' };

function exchange(
  metadata: Record<string, string>,
  requested: string[] | undefined,
  actionSecrets = secrets,
) {
  const event = sampleEvent('credentials-exchange');
  (event.client as Record<string, unknown>).metadata = metadata;
  const transaction = event.transaction as Record<string, unknown>;
  if (requested === undefined) delete transaction.requested_scopes;
  else transaction.requested_scopes = requested;
  return runChain({
    trigger: 'credentials-exchange',
    actions: [{ name: 'm2m-scope-shaping', code, filename, secrets: actionSecrets }],
    event,
  });
}

const reporting = { allowed_scopes: 'read:* write:reports', tenant_id: 'tnt_42', tier: 'gold' };

describe('credentials-exchange: M2M scope shaping', () => {
  it('grants requested scopes that the client may have, and adds tenant claims', async () => {
    const run = await exchange(reporting, ['read:reports', 'read:invoices', 'write:reports']);
    expect(run.status).toBe('final');
    expect(run.result.access).toEqual({ denied: false });
    expect(run.result.target_scopes).toEqual(['read:reports', 'read:invoices', 'write:reports']);
    expect(run.result.access_token_claims).toEqual({
      'https://acme.test/tenant_id': 'tnt_42',
      'https://acme.test/tier': 'gold',
    });
  });

  it('refuses with invalid_scope, naming every scope the client may not have', async () => {
    const run = await exchange(reporting, ['read:reports', 'write:invoices', 'admin']);
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({
      denied: true,
      code: 'invalid_scope',
      reason: 'Scopes not allowed for this client: write:invoices admin',
    });
    expect(run.result.target_scopes).toBeNull();
    expect(run.result.access_token_claims).toEqual({});
  });

  it('treats a wildcard as a prefix, not as "anything"', async () => {
    const run = await exchange({ allowed_scopes: 'read:*' }, ['readwrite:all']);
    expect(run.result.access).toMatchObject({ denied: true, code: 'invalid_scope' });
  });

  it('grants default_scopes, or else the exact allowed scopes, when none are requested', async () => {
    expect(
      (await exchange({ ...reporting, default_scopes: 'read:reports' }, [])).result.target_scopes,
    ).toEqual(['read:reports']);
    expect((await exchange(reporting, undefined)).result.target_scopes).toEqual(['write:reports']);
  });

  it('refuses clients that are not configured for M2M with invalid_request', async () => {
    const run = await exchange({ tier: 'gold' }, ['read:reports']);
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({
      denied: true,
      code: 'invalid_request',
      reason: 'Client aK3vQp9ZtR7mW2xY8nB4cD6fG1hJ5kL0 is not enabled for machine-to-machine access.',
    });
  });

  it('shapes scopes but adds no claims without a namespace, and says so', async () => {
    const run = await exchange(reporting, ['read:reports'], {} as typeof secrets);
    expect(run.result.target_scopes).toEqual(['read:reports']);
    expect(run.result.access_token_claims).toEqual({});
    expect(run.executions[0]?.logs).toMatchObject([
      { level: 'warn', message: 'CLAIM_NAMESPACE is not set; no claims added.' },
    ]);
  });

  it('hands the shaped scopes to later actions in event.transaction.target_scopes', async () => {
    const event = sampleEvent('credentials-exchange');
    (event.client as Record<string, unknown>).metadata = reporting;
    const run = await runChain({
      trigger: 'credentials-exchange',
      actions: [
        { name: 'm2m-scope-shaping', code, filename, secrets },
        {
          name: 'audit',
          code: `exports.onExecuteCredentialsExchange = async (event) => { console.log(event.transaction.target_scopes.join(' ')); };`,
        },
      ],
      event,
    });
    expect(run.executions[1]?.logs[0]?.message).toBe('read:reports write:reports');
  });
});
