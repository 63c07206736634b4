import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./require-otp-for-admins.js', import.meta.url));
const code = readFileSync(filename, 'utf8');

function reset(roles: string[], factors: string[], secrets: Record<string, string> = {}) {
  const event = sampleEvent('password-reset-post-challenge');
  event.authorization = { roles };
  (event.user as Record<string, unknown>).enrolledFactors = factors.map((type) => ({ type }));
  return runChain({
    trigger: 'password-reset-post-challenge',
    actions: [{ name: 'require-otp-for-admins', code, filename, secrets }],
    event,
  });
}

const steps = (result: Record<string, unknown>) => (result.authentication as { steps: unknown[] }).steps;

describe('password-reset-post-challenge: OTP challenge for admins', () => {
  it('lets non-admins reset with the email link alone', async () => {
    const { status, result } = await reset(['editor'], ['otp']);
    expect(status).toBe('final');
    expect(steps(result)).toEqual([]);
    expect(result.access).toEqual({ denied: false });
  });

  it('challenges an admin with OTP first, offering their other strong factors', async () => {
    const { status, result } = await reset(['admin'], ['email', 'phone', 'otp', 'webauthn-roaming']);
    expect(status).toBe('final');
    expect(steps(result)).toEqual([
      {
        kind: 'challenge',
        any: false,
        factors: [{ type: 'otp' }, { type: 'webauthn-roaming' }, { type: 'phone' }],
      },
    ]);
    expect(result.result_url).toBeNull();
  });

  it('falls back to the strongest other factor when the admin has no OTP', async () => {
    const { result } = await reset(['admin'], ['phone', 'push-notification', 'recovery-code']);
    expect(steps(result)).toMatchObject([
      { factors: [{ type: 'push-notification' }, { type: 'phone' }, { type: 'recovery-code' }] },
    ]);
  });

  it.each([
    ['no factor at all', []],
    ['only email, which the reset link already used', ['email']],
    ['only recovery codes', ['recovery-code']],
  ])('refuses an admin with %s', async (_what, factors) => {
    const { status, result } = await reset(['admin'], factors);
    expect(status).toBe('denied');
    expect(result.access).toEqual({
      denied: true,
      reason:
        'Administrator accounts need a second factor to reset their password. Please contact the IT service desk.',
    });
    expect(steps(result)).toEqual([]);
  });

  it('reads admin roles from ADMIN_ROLES and sends admins to ADMIN_RESULT_URL afterwards', async () => {
    const secrets = {
      ADMIN_ROLES: 'owner, security',
      ADMIN_RESULT_URL: 'https://admin.acme.test/welcome-back',
    };
    const { result } = await reset(['security'], ['otp'], secrets);
    expect(steps(result)).toHaveLength(1);
    expect(result.result_url).toEqual({
      url: 'https://admin.acme.test/welcome-back',
      query: { reason: 'password-reset' },
    });
    expect(steps((await reset(['admin'], ['otp'], secrets)).result)).toEqual([]);
  });
});
