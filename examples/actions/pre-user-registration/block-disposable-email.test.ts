import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./block-disposable-email.js', import.meta.url));
const code = readFileSync(filename, 'utf8');

function signUp(
  email: string | undefined,
  options: { secrets?: Record<string, string>; body?: object } = {},
) {
  const event = sampleEvent('pre-user-registration');
  const user = event.user as Record<string, unknown>;
  if (email === undefined) {
    delete user.email;
    user.phone_number = '+447700900456';
  } else user.email = email;
  if (options.body) (event.request as Record<string, unknown>).body = options.body;
  return runChain({
    trigger: 'pre-user-registration',
    actions: [{ name: 'block-disposable-email', code, filename, secrets: options.secrets ?? {} }],
    event,
  });
}

describe('pre-user-registration: block disposable email domains', () => {
  it.each([
    ['a listed domain', 'someone@mailinator.com', 'mailinator.com'],
    ['a subdomain of one, in capitals', 'Someone@EU.Mailinator.COM', 'eu.mailinator.com'],
    ['a trailing dot', 'someone@yopmail.com.', 'yopmail.com'],
  ])('refuses %s with a message for the user', async (_what, email, domain) => {
    const run = await signUp(email);
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({
      denied: true,
      reason: `disposable_email_domain: ${domain}`,
      user_message: 'Please sign up with a permanent email address, not a disposable one.',
    });
    expect(run.result.user).toEqual({ app_metadata: {}, user_metadata: {} });
  });

  it('refuses domains added with EXTRA_BLOCKED_DOMAINS', async () => {
    const secrets = { EXTRA_BLOCKED_DOMAINS: 'Competitor.example, spam.example' };
    expect((await signUp('x@mail.competitor.example', { secrets })).status).toBe('denied');
    expect((await signUp('x@acme.test', { secrets })).status).toBe('final');
  });

  it('does not mistake look-alike domains for listed ones', async () => {
    for (const email of ['ada@notmailinator.com', 'ada@mailinator.com.acme.test']) {
      expect((await signUp(email)).status).toBe('final');
    }
  });

  it('accepts a real address and records signup metadata and the full name', async () => {
    const run = await signUp('grace.hopper@acme.test', {
      body: { 'ulp-fullName': '  Grace Brewster Hopper ' },
    });
    expect(run.status).toBe('final');
    expect(run.result.access).toEqual({ denied: false });
    const { app_metadata, user_metadata } = run.result.user as Record<string, Record<string, unknown>>;
    expect(app_metadata).toEqual({
      signup: { client_id: 'aK3vQp9ZtR7mW2xY8nB4cD6fG1hJ5kL0', country: 'GB', at: expect.any(String) },
    });
    expect(user_metadata).toEqual({ full_name: 'Grace Brewster Hopper' });
  });

  it('leaves the full name out when the form did not send one', async () => {
    const run = await signUp('grace.hopper@acme.test', { body: { 'ulp-fullName': '   ' } });
    expect((run.result.user as { user_metadata: object }).user_metadata).toEqual({});
  });

  it('lets phone-only (passwordless) signups through', async () => {
    const run = await signUp(undefined);
    expect(run.status).toBe('final');
    expect(run.result.user).toMatchObject({ app_metadata: { signup: { country: 'GB' } } });
  });
});
