import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./custom-claims.js', import.meta.url));
const code = readFileSync(filename, 'utf8');

const run = (secrets: Record<string, string>, event = sampleEvent('post-login')) =>
  runChain({ trigger: 'post-login', actions: [{ name: 'custom-claims', code, filename, secrets }], event });

describe('post-login: custom claims from secrets', () => {
  it('namespaces roles, plan, organization and locale with the CLAIM_NAMESPACE secret', async () => {
    const { status, result } = await run({ CLAIM_NAMESPACE: 'https://acme.test/' });
    expect(status).toBe('final');
    expect(result.id_token_claims).toEqual({
      'https://acme.test/roles': ['editor'],
      'https://acme.test/organization': { id: 'org_R2d4F6h8J0k2', name: 'Acme Ltd' },
      'https://acme.test/locale': 'en-GB',
    });
    expect(result.access_token_claims).toEqual({
      'https://acme.test/roles': ['editor'],
      'https://acme.test/plan': 'pro',
    });
  });

  it('adds the trailing slash a namespace needs', async () => {
    const { result } = await run({ CLAIM_NAMESPACE: 'https://claims.acme.test' });
    expect(Object.keys(result.access_token_claims as object)).toEqual([
      'https://claims.acme.test/roles',
      'https://claims.acme.test/plan',
    ]);
  });

  it('sends an empty role list, and leaves out what the user does not have', async () => {
    const event = sampleEvent('post-login');
    delete event.authorization;
    delete event.organization;
    const user = event.user as Record<string, unknown>;
    user.app_metadata = {};
    user.user_metadata = null;
    const { status, result } = await run({ CLAIM_NAMESPACE: 'https://acme.test/' }, event);
    expect(status).toBe('final');
    expect(result.id_token_claims).toEqual({ 'https://acme.test/roles': [] });
    expect(result.access_token_claims).toEqual({ 'https://acme.test/roles': [] });
  });

  it('sees a plan set by an earlier action in the same login', async () => {
    const { result } = await runChain({
      trigger: 'post-login',
      actions: [
        {
          name: 'upgrade',
          code: `exports.onExecutePostLogin = async (e, api) => { api.user.setAppMetadata('plan', 'enterprise'); };`,
        },
        { name: 'custom-claims', code, filename, secrets: { CLAIM_NAMESPACE: 'https://acme.test/' } },
      ],
    });
    expect(result.access_token_claims).toMatchObject({ 'https://acme.test/plan': 'enterprise' });
  });

  it.each([
    ['missing', {}],
    ['not a URL', { CLAIM_NAMESPACE: 'acme' }],
    ['not http(s)', { CLAIM_NAMESPACE: 'urn:acme:claims' }],
  ])('adds no claims, but lets the login through, when the namespace is %s', async (_what, secrets) => {
    const { status, result, executions } = await run(secrets);
    expect(status).toBe('final');
    expect(result.id_token_claims).toEqual({});
    expect(result.access_token_claims).toEqual({});
    expect(executions[0]?.logs.map((l) => l.level)).toEqual(['error']);
  });
});
