/** `npm start` end to end: the real entry in its own process, Ctrl-C, and a second start on the same state. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { handlerZip, isAlive, TEST_ROLE } from '../../support/lambda-zip.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  manifest: {
    url: string;
    token: string;
    endpoints: { lambda: string };
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}

async function start(stateDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, PORT: '0', HOOKCHAIN_STATE_DIR: stateDir, HOOKCHAIN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await expect.poll(() => output, { timeout: 20_000, interval: 100 }).toContain('Press Ctrl-C to stop.');
  const manifest = JSON.parse(await readFile(join(stateDir, 'local.json'), 'utf8'));
  return { child, output: () => output, manifest };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('npm start (infra/local/main.ts)', () => {
  it('starts, answers /health, stops cleanly on SIGINT, and finds its state on the next start', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'hookchain-main-'));
    dirs.push(stateDir);
    const first = await start(stateDir);
    expect(first.output()).toContain(first.manifest.url);
    expect(first.output()).toContain(first.manifest.token);
    // The dashboard's address, which the user signs in to with that token.
    const dashboard = first
      .output()
      .split('\n')
      .find((line) => line.trim().startsWith('Dashboard '));
    expect(dashboard).toContain(`  ${first.manifest.url}/dashboard/ `);
    expect(dashboard).toContain('sign in with the token below');
    expect((await fetch(`${first.manifest.url}/health`)).status).toBe(200);
    // Where the platform's metrics are, listed for the user and answering.
    const metrics = first
      .output()
      .split('\n')
      .find((line) => line.trim().startsWith('Metrics '));
    expect(metrics).toContain(`${first.manifest.url}/metrics`);
    const shown = await fetch(`${first.manifest.url}/metrics`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ namespace: 'Hookchain', series: expect.any(Array) });

    const lambda = new LambdaClient({
      endpoint: first.manifest.endpoints.lambda,
      region: 'us-east-1',
      credentials: first.manifest.credentials,
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'kept',
        Role: TEST_ROLE,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('return process.pid;') },
      }),
    );
    const pid = Number(
      Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'kept' }))).Payload ?? []).toString(),
    );
    lambda.destroy();
    expect(isAlive(pid)).toBe(true);

    first.child.kill('SIGINT');
    expect(await exitCode(first.child)).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(isAlive(pid)).toBe(false);

    const second = await start(stateDir);
    expect(second.manifest.token).toBe(first.manifest.token);
    // The local AWS credentials are new at every start.
    expect(second.manifest.credentials.accessKeyId).not.toBe(first.manifest.credentials.accessKeyId);
    const again = new LambdaClient({
      endpoint: second.manifest.endpoints.lambda,
      region: 'us-east-1',
      credentials: second.manifest.credentials,
    });
    const out = await again.send(new InvokeCommand({ FunctionName: 'kept' }));
    expect(out.FunctionError).toBeUndefined();
    again.destroy();
    second.child.kill('SIGTERM');
    expect(await exitCode(second.child)).toBe(0);
  });
});
