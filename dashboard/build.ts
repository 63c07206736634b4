/**
 * Builds the dashboard into dashboard/dist, or, with `--if-stale`, only when its inputs changed
 * since the last build. The build records the repository files it read (dist/.build-inputs.json,
 * see vite.config.ts); a hash of those, the build's configuration and the lock file is kept in
 * dist/.build-hash. `npm start`, synth, deploy and the browser tests call it so nobody serves an
 * old build, and a fresh clone needs no extra step.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing separator. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DASHBOARD_DIST = join(REPOSITORY_ROOT, 'dashboard', 'dist');
/** Written by the build into dist: the repository files it read, relative to the root. */
export const BUILD_INPUTS_FILE = '.build-inputs.json';
const HASH_FILE = join(DASHBOARD_DIST, '.build-hash');

/** Read by every build whatever it bundles: its page, its configuration, the locked dependencies. */
const ALWAYS_READ = [
  'dashboard/index.html',
  'dashboard/vite.config.ts',
  'dashboard/build.ts',
  'package-lock.json',
];

async function recordedInputs(): Promise<string[] | undefined> {
  try {
    return JSON.parse(await readFile(join(DASHBOARD_DIST, BUILD_INPUTS_FILE), 'utf8')) as string[];
  } catch {
    return undefined;
  }
}

/** A hash of the files' paths and contents; a file that is gone counts as a change. */
async function hashOf(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) {
    hash.update(file);
    hash.update('\0');
    hash.update(await readFile(join(REPOSITORY_ROOT, file)).catch(() => Buffer.from('\0missing')));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export async function isStale(): Promise<boolean> {
  if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) return true;
  const inputs = await recordedInputs();
  const built = await readFile(HASH_FILE, 'utf8').catch(() => '');
  return inputs === undefined || built.trim() !== (await hashOf([...ALWAYS_READ, ...inputs]));
}

/** Runs Vite's production build in a child process; resolves with the build's duration. */
export async function buildDashboard(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(REPOSITORY_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        'dashboard/vite.config.ts',
      ],
      { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`The dashboard build failed (vite exited with ${code}).`)),
    );
  });
  const inputs = await recordedInputs();
  if (!inputs) throw new Error(`The dashboard build wrote no ${BUILD_INPUTS_FILE}.`);
  await writeFile(HASH_FILE, `${await hashOf([...ALWAYS_READ, ...inputs])}\n`);
  return performance.now() - started;
}

/** Builds when stale; true when it built. */
export async function ensureDashboardBuilt(): Promise<boolean> {
  if (!(await isStale())) return false;
  await buildDashboard();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !(await isStale())) {
    process.stdout.write('Dashboard is up to date.\n');
  } else {
    process.stdout.write('Building the dashboard…\n');
    const ms = await buildDashboard();
    process.stdout.write(`Dashboard built in ${(ms / 1000).toFixed(1)} s (dashboard/dist).\n`);
  }
}
