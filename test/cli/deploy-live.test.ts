/**
 * Deploy means live, from the command line: `actions create --deploy`, `bindings set`, `invoke`,
 * one after the other with nothing in between, run the new version; so do a second deploy and a
 * rollback.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookchain, type TestHookchain } from '../support/hookchain.ts';
import { cliEnv, killAll, runCli } from './run-cli.ts';

let hc: TestHookchain;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => runCli(args, { env });
const dir = mkdtempSync(join(tmpdir(), 'hookchain-cli-live-'));

const CLAIM = 'https://acme.test/release';
function codeFile(release: string): string {
  const file = join(dir, `${release}.js`);
  writeFileSync(
    file,
    `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('${CLAIM}', '${release}'); };\n`,
  );
  return file;
}

async function served(): Promise<string> {
  const run = await cli('invoke', 'post-login', '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).result.id_token_claims[CLAIM];
}

beforeAll(async () => {
  hc = await startTestHookchain();
  env = cliEnv({ HOOKCHAIN_URL: hc.url, HOOKCHAIN_TOKEN: hc.token });
});
afterAll(async () => {
  await killAll();
  await hc?.stop();
});

describe('hookchain deploy means live', () => {
  it('create --deploy → bindings set → invoke, then update --deploy and rollback, each seen by the next invoke', {
    timeout: 120_000,
  }, async () => {
    const created = await cli(
      'actions',
      'create',
      'cli-live',
      '-t',
      'post-login',
      '-c',
      codeFile('one'),
      '--deploy',
    );
    expect(created.code, created.stderr).toBe(0);
    const bound = await cli('bindings', 'set', 'post-login', 'cli-live');
    expect(bound.code, bound.stderr).toBe(0);
    expect(await served()).toBe('one');

    const updated = await cli('actions', 'update', 'cli-live', '-c', codeFile('two'), '--deploy');
    expect(updated.code, updated.stderr).toBe(0);
    expect(await served()).toBe('two');

    const rolledBack = await cli('actions', 'rollback', 'cli-live');
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(await served()).toBe('one');
  });
});
