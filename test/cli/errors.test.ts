/** Failures that need no server: they must exit 2 and say what to do next. */
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, killAll, runCli } from './run-cli.ts';

afterAll(killAll);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('errors', () => {
  it('says the server is unreachable and how to start it', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(['actions', 'list'], {
      env: cliEnv({ HOOKCHAIN_URL: url, HOOKCHAIN_TOKEN: 'hc_x' }),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Could not reach Hookchain at ${url} — is \`npm start\` running?`);
  });

  it('says how to configure a server when there is none', async () => {
    const run = await runCli(['actions', 'list'], { env: cliEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No Hookchain server is configured');
    expect(run.stderr).toContain('hookchain login');
  });

  it('reports errors as JSON on stderr with --json', async () => {
    const run = await runCli(['actions', 'list', '--json'], { env: cliEnv() });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stderr).error.message).toContain('No Hookchain server is configured');
  });

  it('exits 2 on usage errors, with a pointer to --help', async () => {
    const run = await runCli(['invoke'], { env: cliEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'trigger'");
    expect(run.stderr).toContain('--help');
  });

  it('refuses a project folder that is not one', async () => {
    const run = await runCli(['push', '/'], {
      env: cliEnv({ HOOKCHAIN_URL: 'http://127.0.0.1:9', HOOKCHAIN_TOKEN: 'x' }),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('holds none of actions/, action-modules/ or triggers/triggers.json');
  });
});
