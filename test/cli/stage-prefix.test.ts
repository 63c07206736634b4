/**
 * The CLI against a server under a path, as API Gateway serves the API under its stage
 * (`https://<id>.execute-api.<region>.amazonaws.com/dev`): every call keeps the path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagePrefixOnly, startTestHookchain, type TestHookchain } from '../support/hookchain.ts';
import { cliEnv, killAll, runCli } from './run-cli.ts';

let hc: TestHookchain;
beforeAll(async () => {
  hc = await startTestHookchain({ fidelity: stagePrefixOnly('dev') });
});
afterAll(async () => {
  killAll();
  await hc?.stop();
});

describe('a server URL with a stage', () => {
  it('logs in, creates and lists actions under /dev, with or without a trailing slash', async () => {
    expect(hc.url).toMatch(/\/dev$/);
    const env = cliEnv();
    const login = await runCli(['login', '--url', `${hc.url}/`, '--token', hc.token], { env });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);

    const create = await runCli(['actions', 'create', 'staged', '--trigger', 'post-login', '--json'], {
      env,
    });
    expect(create.stderr).toBe('');
    expect(create.code).toBe(0);

    const list = await runCli(['actions', 'list', '--json'], {
      env: cliEnv({ HOOKCHAIN_URL: hc.url, HOOKCHAIN_TOKEN: hc.token }),
    });
    expect(list.code).toBe(0);
    expect(JSON.stringify(JSON.parse(list.stdout))).toContain('"staged"');
  });
});
