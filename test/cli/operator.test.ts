/** Operator commands through the real binary: a tenant, a token with a lifetime, and using it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookchain, type TestHookchain } from '../support/hookchain.ts';
import { cliEnv, killAll, runCli } from './run-cli.ts';

let hc: TestHookchain;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  hc = await startTestHookchain();
  env = cliEnv({ HOOKCHAIN_URL: hc.url, HOOKCHAIN_OPERATOR_TOKEN: hc.operatorToken });
});
afterAll(async () => {
  await killAll();
  await hc?.stop();
});

describe('hookchain tenants and tokens', () => {
  it('creates a tenant and issues it a token that expires, which then works for that tenant', async () => {
    expect((await runCli(['tenants', 'create', 'umbrella'], { env })).code).toBe(0);
    const issued = await runCli(
      ['tokens', 'create', 'umbrella', '--name', 'ci', '--expires-in', '1h', '--json'],
      { env },
    );
    expect(issued.code).toBe(0);
    const token = JSON.parse(issued.stdout) as { token: string; expires_at: string };
    const lifetime = Date.parse(token.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(55 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);

    const listed = await runCli(['actions', 'list', '--json'], {
      env: { ...env, HOOKCHAIN_TOKEN: token.token },
    });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('refuses a lifetime that is not a duration, saying what to use', async () => {
    const run = await runCli(['tokens', 'create', 'umbrella', '--name', 'x', '--expires-in', 'soon'], {
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--expires-in 'soon' is not a duration");
    expect(run.stderr).toContain('12h, 30d or 52w');
  });
});
