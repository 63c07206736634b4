/**
 * Runs the real `hookchain` binary (`node cli/bin.js`) the way a user's shell would: its own
 * process, a temp HOME and config file, and only the connection settings a test gives it. Every
 * process started here is tracked so the suite can kill whatever is still running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO_ROOT, 'cli', 'bin.js');
export const EXAMPLE_PROJECT = join(REPO_ROOT, 'examples', 'project');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** A clean environment: nothing of the developer's Hookchain or Deploy CLI settings leaks in. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(HOOKCHAIN_|AUTH0_|NAMESPACE$|BLOCKED_DOMAINS$|ALLOWED_SIGNUP_DOMAINS$|FORCE_COLOR$)/.test(key))
      env[key] = value;
  }
  const home = mkdtempSync(join(tmpdir(), 'hookchain-cli-home-'));
  return { ...env, HOME: home, HOOKCHAIN_CONFIG: join(home, 'config.json'), NO_COLOR: '1', ...extra };
}

export function spawnCli(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env,
    cwd: options.cwd ?? tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function runCli(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `hookchain ${args.join(' ')} did not finish in time.\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Kills every CLI process still running (afterAll/afterEach). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
