/**
 * Actions Modules and integrations with the real binary against the local stack: modules are
 * created, published, pinned and refused deletion while in use; a project's action-modules/ is
 * pushed, and pulled back with no diff; an operator publishes an integration from its
 * directory, a tenant installs it with its values and upgrades it to a new release.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHookchain, type TestHookchain } from '../support/hookchain.ts';
import { cliEnv, killAll, REPO_ROOT, runCli } from './run-cli.ts';

let hc: TestHookchain;
let env: NodeJS.ProcessEnv;
let work: string;
const cli = (...args: string[]) => runCli(args, { env, cwd: work });

const MODULE_V1 = "exports.greet = (who) => 'hello ' + who + ' from ' + actions.secrets.GREETING_SOURCE;\n";
const MODULE_V2 = "exports.greet = (who) => 'hi ' + who + ' from ' + actions.secrets.GREETING_SOURCE;\n";
const ACTION = `const { greet } = require('actions:greeter');
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://acme.test/greeting', greet(event.user.user_id));
};
`;

beforeAll(async () => {
  hc = await startTestHookchain();
  env = cliEnv({
    HOOKCHAIN_URL: hc.url,
    HOOKCHAIN_TOKEN: hc.token,
    HOOKCHAIN_OPERATOR_TOKEN: hc.operatorToken,
  });
  work = mkdtempSync(join(tmpdir(), 'hookchain-cli-modules-'));
  writeFileSync(join(work, 'greeter.js'), MODULE_V1);
  writeFileSync(join(work, 'greeter-v2.js'), MODULE_V2);
  writeFileSync(join(work, 'action.js'), ACTION);
});
afterAll(async () => {
  await killAll();
  await hc?.stop();
});

async function greeting(): Promise<string | undefined> {
  const run = await cli('invoke', 'post-login', '--json');
  const body = JSON.parse(run.stdout) as { result?: { id_token_claims?: Record<string, string> } };
  return body.result?.id_token_claims?.['https://acme.test/greeting'];
}

describe('hookchain modules', () => {
  it('creates and publishes a module, with secrets; --json gives the module', async () => {
    const run = await cli(
      'modules',
      'create',
      'greeter',
      '--code',
      'greeter.js',
      '-s',
      'GREETING_SOURCE=the module',
      '--publish',
      '--json',
    );
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: 'greeter',
      code: MODULE_V1,
      secrets: [{ name: 'GREETING_SOURCE' }],
      latest_version_number: 1,
      all_changes_published: true,
    });
  });

  it('refuses a dependency that is not an exact version, before asking the server', async () => {
    const run = await cli('modules', 'create', 'loose', '--code', 'greeter.js', '-d', 'lodash=^4.17.0');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must name an exact version');
  });

  it('is pinned by an action with --module name@N, and runs', async () => {
    const create = await cli(
      'actions',
      'create',
      'greet',
      '--trigger',
      'post-login',
      '--code',
      'action.js',
      '--module',
      'greeter@1',
      '--deploy',
    );
    expect(create.stderr).not.toContain('Error');
    expect(create.code).toBe(0);
    expect((await cli('bindings', 'set', 'post-login', 'greet')).code).toBe(0);
    expect(await greeting()).toMatch(/^hello .* from the module$/);
    const show = await cli('actions', 'show', 'greet');
    expect(show.stdout).toMatch(/Modules\s+greeter@1/);
  });

  it('updates, publishes, lists versions and shows one', async () => {
    const update = await cli('modules', 'update', 'greeter', '--code', 'greeter-v2.js');
    expect(update.code).toBe(0);
    const listed = await cli('modules', 'list');
    expect(listed.stdout).toMatch(/greeter\s+v1 \(draft changed\)\s+1/);
    const publish = await cli('modules', 'publish', 'greeter');
    expect(publish.code).toBe(0);
    expect(publish.stdout).toContain('greeter v2');
    expect(publish.stderr).toContain('--module greeter@2');
    const versions = await cli('modules', 'versions', 'greeter', '--json');
    expect(
      (JSON.parse(versions.stdout) as Array<{ version_number: number }>).map((v) => v.version_number),
    ).toEqual([2, 1]);
    const one = await cli('modules', 'versions', 'show', 'greeter', '1', '--code');
    expect(one.stdout).toBe(MODULE_V1);
    const show = await cli('modules', 'show', 'greeter');
    expect(show.stdout).toMatch(/Published\s+v2\n/);
    expect(show.stdout).toMatch(/Secrets\s+GREETING_SOURCE/);
    expect(show.stdout).toMatch(/Used by\s+1 action/);
    // Publishing changes nothing an action runs until it re-pins.
    expect(await greeting()).toMatch(/^hello /);
    expect((await cli('actions', 'update', 'greet', '--module', 'greeter@2', '--deploy')).code).toBe(0);
    expect(await greeting()).toMatch(/^hi /);
  });

  it('rolls the draft back to a version', async () => {
    const run = await cli('modules', 'rollback', 'greeter', 'v1');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Copied greeter v1 into the draft.');
    expect(run.stderr).toContain('hookchain modules publish greeter');
    const show = await cli('modules', 'show', 'greeter', '--json');
    expect(JSON.parse(show.stdout)).toMatchObject({ code: MODULE_V1, all_changes_published: false });
  });

  it('lists the actions pinning it, and refuses to delete it while one does', async () => {
    const uses = await cli('modules', 'actions', 'greeter');
    expect(uses.stdout).toMatch(/greet\s+post-login\s+v2/);
    const del = await cli('modules', 'delete', 'greeter');
    expect(del.code).toBe(2);
    expect(del.stderr).toMatch(/Error: .*greet/);
    expect(del.stderr).toContain('hookchain modules actions greeter');
    const json = await cli('modules', 'show', 'greeter', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'greeter', actions_using_module_total: 1 });
  });
});

describe('hookchain push with action-modules/', () => {
  let project: string;

  it('publishes a module before the actions that pin it, and pulls back with no diff', async () => {
    project = join(work, 'project');
    cpSync(join(REPO_ROOT, 'examples', 'project'), project, { recursive: true });
    const push = await cli('push', project, '--json');
    expect(push.stderr).not.toContain('Error');
    expect(push.code).toBe(0);
    const result = JSON.parse(push.stdout);
    expect(result.modules).toEqual([
      expect.objectContaining({ name: 'email-domains', op: 'create', publish: true, latest: 1 }),
    ]);
    expect(result.applied.modules.published).toEqual([{ name: 'email-domains', version: 1 }]);
    const blocked = await cli(
      'invoke',
      'post-login',
      '--event',
      join(project, 'events', 'post-login-blocked.json'),
    );
    expect(blocked.code).toBe(1);

    const pulled = join(work, 'pulled');
    expect((await cli('pull', pulled)).code).toBe(0);
    const greeter = JSON.parse(readFileSync(join(pulled, 'action-modules', 'greeter.json'), 'utf8'));
    expect(greeter).toEqual({
      name: 'greeter',
      code: './action-modules/greeter/code.js',
      dependencies: [],
      secrets: [{ name: 'GREETING_SOURCE', value: '##GREETING_SOURCE##' }],
    });
    // greeter's draft was rolled back and not published: the pull has the draft, a push publishes it.
    const first = await cli('push', pulled, '--dry-run');
    expect(first.stdout).toMatch(/↑ greeter\s+unpublished changes → publish v3/);
    expect((await cli('push', pulled)).code).toBe(0);
    const again = await cli('push', pulled, '--dry-run', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ changes: false });
  });

  it('changes a module: PATCH and publish, the pinning action untouched', async () => {
    const file = join(project, 'action-modules', 'email-domains', 'code.js');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nexports.version = 2;\n`);
    const dry = await cli('push', project, '--dry-run');
    expect(dry.stdout).toMatch(/~ email-domains\s+code → publish v2/);
    expect(dry.stdout).not.toContain('block-email-domain');
  });

  it('refuses a pin of a module that does not exist, before changing anything', async () => {
    const json = join(project, 'actions', 'block-email-domain.json');
    const action = JSON.parse(readFileSync(json, 'utf8'));
    action.modules = [{ module_name: 'no-such-module', module_version_number: 1 }];
    writeFileSync(json, JSON.stringify(action));
    const run = await cli('push', project);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "'block-email-domain' pins no-such-module@1, which is neither in action-modules/ nor on the server",
    );
  });
});

describe('hookchain integrations', () => {
  const EXAMPLE = join(REPO_ROOT, 'examples', 'integrations', 'acme-chat-identity');

  it('publishes an integration from its directory with the operator token', async () => {
    const run = await cli('integrations', 'publish', EXAMPLE);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Published acme-chat-identity release 1.');
    const tenantOnly = await runCli(['integrations', 'publish', EXAMPLE], {
      env: { ...env, HOOKCHAIN_OPERATOR_TOKEN: '' },
      cwd: work,
    });
    expect(tenantOnly.code).toBe(2);
  });

  it('lists and shows the catalog, as a table and as JSON', async () => {
    const table = await cli('integrations', 'list');
    expect(table.stdout).toMatch(/acme-chat-identity\s+Acme Chat identity verification\s+post-login\s+v1/);
    const json = await cli('integrations', 'show', 'acme-chat-identity', '--json');
    const body = JSON.parse(json.stdout);
    expect(body.current_release.required_configuration.map((f: { name: string }) => f.name)).toContain(
      'CHAT_REGION',
    );
    expect(body.releases).toHaveLength(1);
    const show = await cli('integrations', 'show', 'acme-chat-identity');
    expect(show.stdout).toMatch(/CHAT_SIGNING_SECRET\s+Identity verification secret — required/);
  });

  it('refuses to install without the required values when not on a terminal, naming them', async () => {
    const run = await cli('integrations', 'install', 'acme-chat-identity');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-s CHAT_SIGNING_SECRET=');
    expect(run.stderr).toContain('-c CHAT_REGION=');
    expect(run.stderr).toContain('(one of eu, us)');
    expect(run.stderr).not.toContain('CLAIM_NAMESPACE');
  });

  it('installs with -s/-c and waits until version 1 is live', async () => {
    const run = await cli(
      'integrations',
      'install',
      'acme-chat-identity',
      '--name',
      'chat',
      '-s',
      'CHAT_SIGNING_SECRET=s3cret',
      '-c',
      'CHAT_REGION=eu',
      '--json',
    );
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: 'chat',
      deployed_version: { number: 1 },
      integration: { id: 'acme-chat-identity', version: 1 },
      configuration: { CHAT_REGION: 'eu' },
    });
    const installed = await cli('actions', 'list', '--installed', '--json');
    expect((JSON.parse(installed.stdout) as Array<{ name: string }>).map((a) => a.name)).toEqual(['chat']);
    const custom = await cli('actions', 'list', '--custom', '--json');
    expect((JSON.parse(custom.stdout) as Array<{ name: string }>).map((a) => a.name)).not.toContain('chat');
  });

  it('has nothing to upgrade to until a new release, then upgrades and waits for it', async () => {
    const none = await cli('integrations', 'upgrade', 'chat');
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('Nothing to do');

    const v2 = join(work, 'acme-chat-v2');
    cpSync(EXAMPLE, v2, { recursive: true });
    const config = JSON.parse(readFileSync(join(v2, 'configuration.json'), 'utf8'));
    config.configuration.push({
      name: 'WIDGET_THEME',
      label: 'Widget theme',
      description: 'Colours of the chat widget.',
      options: [
        { value: 'light', label: 'Light' },
        { value: 'dark', label: 'Dark' },
      ],
    });
    writeFileSync(join(v2, 'configuration.json'), JSON.stringify(config));
    const publish = await cli('integrations', 'publish', v2);
    expect(publish.stdout).toContain('release 2');

    const missing = await cli('integrations', 'upgrade', 'chat');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('-c WIDGET_THEME=');
    expect(missing.stderr).not.toContain('CHAT_REGION');

    const run = await cli('integrations', 'upgrade', 'chat', '-c', 'WIDGET_THEME=dark', '--json');
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      deployed_version: { number: 2 },
      integration: { version: 2, upgrade_available: false },
      configuration: { CHAT_REGION: 'eu', WIDGET_THEME: 'dark' },
    });
  });
});
