/**
 * The definition of done, with the real binary against the local stack: push the example
 * project, invoke a trigger, tail a console.log line within 2 s of the execution, pull into an
 * empty folder and push again with no diff.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_MAX_MS } from '../../shared/client/index.ts';
import { startTestHookchain, type TestHookchain } from '../support/hookchain.ts';
import { cliEnv, EXAMPLE_PROJECT, killAll, runCli, spawnCli } from './run-cli.ts';

let hc: TestHookchain;
let env: NodeJS.ProcessEnv;
const cli = (...args: string[]) => runCli(args, { env });
const event = (name: string) => join(EXAMPLE_PROJECT, 'events', name);

interface ActionBody {
  name: string;
  deployed_version?: { number: number };
  all_changes_deployed: boolean;
}

beforeAll(async () => {
  hc = await startTestHookchain();
  env = cliEnv({ HOOKCHAIN_URL: hc.url, HOOKCHAIN_TOKEN: hc.token });
});
afterAll(async () => {
  await killAll();
  await hc?.stop();
});

describe('hookchain push examples/project', () => {
  it('creates, builds, deploys and binds every action in one run', async () => {
    const push = await cli('push', EXAMPLE_PROJECT);
    expect(push.stderr).not.toContain('Error');
    expect(push.code).toBe(0);
    expect(push.stdout).toContain('+ add-roles-claim');
    expect(push.stdout).toMatch(/Modules\n\s+\+ email-domains\s+new → publish v1/);
    expect(push.stdout).toContain('Pushed');
    expect(push.stderr).not.toContain('action-modules/ is not pushed');

    const { body } = await hc.api<{ actions: ActionBody[] }>('GET', '/api/v2/actions/actions');
    expect(body.actions.map((a) => a.name).sort()).toEqual([
      'add-roles-claim',
      'block-email-domain',
      'log-login',
      'require-invited-domain',
    ]);
    for (const action of body.actions) {
      expect(action.deployed_version?.number).toBe(1);
      expect(action.all_changes_deployed).toBe(true);
    }
    const bindings = await hc.api<{ bindings: Array<{ action: { name: string }; display_name: string }> }>(
      'GET',
      '/api/v2/actions/triggers/post-login/bindings',
    );
    expect(bindings.body.bindings.map((b) => b.action.name)).toEqual([
      'log-login',
      'block-email-domain',
      'add-roles-claim',
    ]);
    expect(bindings.body.bindings[0]?.display_name).toBe('Log the login');
  });

  it('a second push finds nothing to do', async () => {
    const again = await cli('push', EXAMPLE_PROJECT, '--dry-run');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');
  });
});

describe('hookchain invoke', () => {
  it('prints the outcome and exits 0 when the chain lets the login through', async () => {
    const run = await cli('invoke', 'post-login', '--event', event('post-login.json'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('post-login → final');
    expect(run.stdout).toContain('"https://acme.test/roles":["editor"]');
  });

  it('exits 1 and says why when an action denies', async () => {
    const run = await cli('invoke', 'post-login', '--event', event('post-login-blocked.json'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('denied: Accounts at retired.example can no longer sign in.');
  });

  it('prints the API answer with --json', async () => {
    const run = await cli(
      'invoke',
      'pre-user-registration',
      '--event',
      event('pre-user-registration.json'),
      '--json',
    );
    expect(run.code).toBe(0);
    const outcome = JSON.parse(run.stdout);
    expect(outcome).toMatchObject({
      status: 'final',
      result: { user: { app_metadata: { signup_source: 'Acme Web' } } },
    });
    expect(outcome.execution_id).toMatch(/^[0-9A-Z]{26}$/);
  });
});

describe('hookchain logs tail --follow', () => {
  // Tails poll every 2-5 s (cli/logs/poll.ts: FilterLogEvents' quota is the whole account's).
  it('prints a console.log line written by an action within one poll of the execution', async () => {
    const tail = spawnCli(['logs', 'tail', '--follow', '--since', '1s'], { env });
    let stdout = '';
    let stderr = '';
    tail.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    tail.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    try {
      // Startup (tsx, first poll) is not what the bound is about: wait until it follows.
      await hc.until(
        'the tail to start following',
        async () => (stderr.includes('Following logs') ? true : undefined),
        15_000,
      );
      const marker = `tail-${Date.now()}@acme.test`;
      const login = JSON.parse(readFileSync(event('post-login.json'), 'utf8'));
      login.user.email = marker;
      const { status } = await hc.api('POST', '/api/v2/actions/triggers/post-login/execute', {
        event: login,
      });
      expect(status).toBe(200);
      const executedAt = Date.now();
      const line = await hc.until(
        'the log line',
        async () => stdout.split('\n').find((l) => l.includes(marker)),
        10_000,
      );
      const latency = Date.now() - executedAt;
      expect(latency).toBeLessThanOrEqual(POLL_MAX_MS + 1_000);
      // One line per console line: time, level, trigger/action, message.
      expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} LOG {3}post-login\/log-login \{"msg":"login"/);
    } finally {
      tail.kill('SIGINT');
    }
  });

  it('prints past events once and exits without --follow; --json gives one object per line', async () => {
    const run = await cli('logs', 'tail', '--since', '10m', '--action', 'block-email-domain', '--json');
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.action_name === 'block-email-domain')).toBe(true);
    const denied = events.find((e) => e.logs.some((l: { level: string }) => l.level === 'warn'));
    expect(denied.logs[0].message).toContain('retired.example is on the block list');
  });
});

describe('hookchain pull', () => {
  it('writes the Deploy CLI layout into an empty folder, and pushing it back changes nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hookchain-pull-')), 'tenant');
    const pull = await cli('pull', dir);
    expect(pull.code).toBe(0);
    for (const file of [
      'actions/add-roles-claim.json',
      'actions/add-roles-claim/code.js',
      'actions/require-invited-domain.json',
      'action-modules/email-domains.json',
      'action-modules/email-domains/code.js',
      'triggers/triggers.json',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const action = JSON.parse(readFileSync(join(dir, 'actions/add-roles-claim.json'), 'utf8'));
    // Values are never pulled: a keyword placeholder stands in for each.
    expect(action.secrets).toEqual([{ name: 'NAMESPACE', value: '##NAMESPACE##' }]);
    expect(readFileSync(join(dir, 'actions/add-roles-claim/code.js'), 'utf8')).toBe(
      readFileSync(join(EXAMPLE_PROJECT, 'actions/add-roles-claim/code.js'), 'utf8'),
    );

    expect(JSON.parse(readFileSync(join(dir, 'action-modules/email-domains.json'), 'utf8'))).toEqual({
      name: 'email-domains',
      code: './action-modules/email-domains/code.js',
      dependencies: [],
      secrets: [],
    });
    expect(readFileSync(join(dir, 'action-modules/email-domains/code.js'), 'utf8')).toBe(
      readFileSync(join(EXAMPLE_PROJECT, 'action-modules/email-domains/code.js'), 'utf8'),
    );
    expect(JSON.parse(readFileSync(join(dir, 'actions/block-email-domain.json'), 'utf8')).modules).toEqual([
      { module_name: 'email-domains', module_version_number: 1 },
    ]);

    const dry = await cli('push', dir, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('No changes.');
    const push = await cli('push', dir, '--json');
    expect(push.code).toBe(0);
    expect(JSON.parse(push.stdout)).toMatchObject({ dry_run: false, changes: false });
  });
});

describe('everyday commands', () => {
  it('lists actions as a table and as JSON', async () => {
    const table = await cli('actions', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+TRIGGER\s+BUILD\s+LIVE/);
    expect(table.stdout).toMatch(/log-login\s+post-login\s+built\s+v1/);
    const json = await cli('actions', 'list', '--json');
    expect(JSON.parse(json.stdout)).toHaveLength(4);
  });

  it('tests a draft: exit 1 when it denies', async () => {
    const run = await cli('test', 'block-email-domain', '--event', event('post-login-blocked.json'));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('access.deny');
  });

  it('shows the bindings in order', async () => {
    const run = await cli('bindings', 'show', 'post-login');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\. log-login[\s\S]*2\. block-email-domain[\s\S]*3\. add-roles-claim/);
  });

  it('answers an unknown action with exit 2 and what to do', async () => {
    const run = await cli('actions', 'show', 'no-such-action');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("No action named 'no-such-action'");
    expect(run.stderr).toContain('hookchain actions list');
  });

  it('logs in once, then works from the saved profile alone', async () => {
    const home = cliEnv();
    const login = await runCli(['login', '--url', hc.url, '--token', hc.token], { env: home });
    expect(login.code).toBe(0);
    const status = await runCli(['status'], { env: home });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${hc.url} answers (from profile 'default')`);
    const bad = await runCli(['login', '--url', hc.url, '--token', 'hc_wrong'], { env: home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('refused the token');
  });
});
