import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./mfa-by-role.js', import.meta.url));
const code = readFileSync(filename, 'utf8');

interface Login {
  roles?: string[];
  factors?: string[];
  methods?: string[];
  protocol?: string;
  secrets?: Record<string, string>;
}

function login({ roles = ['admin'], factors = ['otp'], methods = ['pwd'], protocol, secrets = {} }: Login) {
  const event = sampleEvent('post-login');
  event.authorization = { roles };
  event.authentication = {
    methods: methods.map((name) => ({ name, timestamp: '2026-11-23T10:15:22.000Z' })),
  };
  (event.user as Record<string, unknown>).enrolledFactors = factors.map((type) => ({ type }));
  if (protocol) (event.transaction as Record<string, unknown>).protocol = protocol;
  return runChain({
    trigger: 'post-login',
    actions: [{ name: 'mfa-by-role', code, filename, secrets }],
    event,
  });
}

const noMfa = { steps: [], recorded_methods: [], primary_user_id: null };

describe('post-login: enforce MFA by role', () => {
  it('leaves users without a privileged role alone', async () => {
    const { status, result } = await login({ roles: ['editor', 'viewer'] });
    expect(status).toBe('final');
    expect(result.authentication).toEqual(noMfa);
    expect(result.multifactor).toBeNull();
  });

  it('challenges an admin with their enrolled factor', async () => {
    const { status, result } = await login({ factors: ['otp'] });
    expect(status).toBe('final');
    expect(result.authentication).toEqual({
      ...noMfa,
      steps: [{ kind: 'challenge', any: false, factors: [{ type: 'otp' }] }],
    });
    expect(result.multifactor).toBeNull();
  });

  it('prefers the strongest factor and offers the others, recovery codes last', async () => {
    const { result } = await login({ factors: ['recovery-code', 'phone', 'otp', 'webauthn-roaming'] });
    expect(result.authentication).toMatchObject({
      steps: [
        {
          kind: 'challenge',
          factors: [
            { type: 'webauthn-roaming' },
            { type: 'otp' },
            { type: 'phone' },
            { type: 'recovery-code' },
          ],
        },
      ],
    });
  });

  it.each([
    ['no factor', []],
    ['only recovery codes', ['recovery-code']],
  ])('sends an admin with %s through MFA enrolment', async (_what, factors) => {
    const { result, executions } = await login({ factors });
    expect(result.multifactor).toEqual({ provider: 'any', allow_remember_browser: false });
    expect(result.authentication).toEqual(noMfa);
    expect(executions[0]?.logs[0]?.message).toBe(
      'auth0|64b7f2c9e1a2b3c4d5e6f708 has role admin but no MFA factor: enrolling',
    );
  });

  it('does not challenge twice in a session that already passed MFA', async () => {
    const { result } = await login({ methods: ['pwd', 'mfa'] });
    expect(result.authentication).toEqual(noMfa);
    expect(result.multifactor).toBeNull();
  });

  it('skips refresh-token exchanges, which cannot show a challenge', async () => {
    const { status, result } = await login({ protocol: 'oauth2-refresh-token' });
    expect(status).toBe('final');
    expect(result.authentication).toEqual(noMfa);
  });

  it('reads the privileged roles from MFA_ROLES', async () => {
    const secrets = { MFA_ROLES: 'billing-admin, support ' };
    expect((await login({ roles: ['admin'], secrets })).result.authentication).toEqual(noMfa);
    expect((await login({ roles: ['support'], secrets })).result.authentication).toMatchObject({
      steps: [{ kind: 'challenge', factors: [{ type: 'otp' }] }],
    });
  });

  it('lets later actions run: the caller performs the challenge after the chain', async () => {
    const event = sampleEvent('post-login');
    event.authorization = { roles: ['admin'] };
    const { executions } = await runChain({
      trigger: 'post-login',
      actions: [
        { name: 'mfa-by-role', code, filename },
        { name: 'after', code: 'exports.onExecutePostLogin = async () => {};' },
      ],
      event,
    });
    expect(executions.map((e) => e.action_name)).toEqual(['mfa-by-role', 'after']);
  });
});
