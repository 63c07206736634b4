import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChain, sampleEvent } from '../../../shared/testing/index.ts';

const filename = fileURLToPath(new URL('./ip-allow-list.js', import.meta.url));
const code = readFileSync(filename, 'utf8');
const ALLOWED_CIDRS = '10.0.0.0/8, 203.0.113.0/24 2001:db8::/32,198.51.100.7';

function loginFrom(ip: string | undefined, secrets: Record<string, string> = { ALLOWED_CIDRS }) {
  const event = sampleEvent('post-login');
  const request = event.request as Record<string, unknown>;
  if (ip === undefined) delete request.ip;
  else request.ip = ip;
  return runChain({
    trigger: 'post-login',
    actions: [{ name: 'ip-allow-list', code, filename, secrets }],
    event,
  });
}

const logsOf = (run: Awaited<ReturnType<typeof runChain>>) =>
  run.executions.flatMap((e) => e.logs.map((l) => `${l.level}: ${l.message}`));

describe('post-login: IP allow-list', () => {
  it.each([
    ['an IPv4 address inside a listed range', '203.0.113.42'],
    ['an address in a /8', '10.200.3.4'],
    ['a single listed address', '198.51.100.7'],
    ['an IPv6 address inside a listed range', '2001:db8:abcd::1'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.9'],
  ])('lets %s in', async (_what, ip) => {
    const run = await loginFrom(ip);
    expect(run.status).toBe('final');
    expect(run.result.access).toEqual({ denied: false });
  });

  it.each([
    ['an IPv4 address outside every range', '192.0.2.10'],
    ['the neighbour of a single listed address', '198.51.100.8'],
    ['an IPv6 address outside every range', '2001:db9::1'],
  ])('denies %s', async (_what, ip) => {
    const run = await loginFrom(ip);
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({ denied: true, reason: 'Access from your network is not allowed.' });
    expect(logsOf(run)).toEqual([
      `log: Denying auth0|64b7f2c9e1a2b3c4d5e6f708: ${ip} is not on the allow-list`,
    ]);
  });

  it('stops the chain: actions after the deny do not run', async () => {
    const event = sampleEvent('post-login');
    (event.request as Record<string, unknown>).ip = '192.0.2.10';
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        { name: 'ip-allow-list', code, filename, secrets: { ALLOWED_CIDRS } },
        {
          name: 'claims',
          code: `exports.onExecutePostLogin = async (e, api) => { api.idToken.setCustomClaim('https://acme.test/x', 1); };`,
        },
      ],
      event,
    });
    expect(run.executions.map((e) => e.action_name)).toEqual(['ip-allow-list']);
    expect(run.result.id_token_claims).toEqual({});
  });

  it('denies when the caller sent no client IP, or a garbled one', async () => {
    for (const ip of [undefined, 'not-an-ip']) {
      const run = await loginFrom(ip);
      expect(run.status).toBe('denied');
      expect(logsOf(run)[0]).toMatch(/^error: Denying auth0\|.*: no valid client IP/);
    }
  });

  it.each([
    ['missing', {}, 'ALLOWED_CIDRS is empty'],
    ['empty', { ALLOWED_CIDRS: ' , ' }, 'ALLOWED_CIDRS is empty'],
    ['a bad prefix', { ALLOWED_CIDRS: '10.0.0.0/33' }, 'ALLOWED_CIDRS has an invalid entry: "10.0.0.0/33"'],
    [
      'a host name',
      { ALLOWED_CIDRS: '10.0.0.0/8, intranet.acme.test' },
      'ALLOWED_CIDRS has an invalid entry: "intranet.acme.test"',
    ],
  ])('fails closed when the secret is %s', async (_what, secrets, problem) => {
    const run = await loginFrom('10.1.2.3', secrets);
    expect(run.status).toBe('denied');
    expect(run.result.access).toEqual({
      denied: true,
      reason: 'Login is not available right now. Please contact your administrator.',
    });
    expect(logsOf(run)).toEqual([`error: IP allow-list misconfigured: ${problem}`]);
  });
});
