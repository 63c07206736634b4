/**
 * Builds the dashboard into dashboard/dist, or, with `--if-stale`, only when its inputs changed
 * since the last build (a hash of them is kept in dist/.build-hash). `npm start` and the browser
 * tests call it so nobody serves an old build, and a fresh clone needs no extra step.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DASHBOARD_DIST = join(ROOT, 'dashboard', 'dist');
const HASH_FILE = join(DASHBOARD_DIST, '.build-hash');

/** Everything the build reads from this repository, plus the lock file for its dependencies. */
const INPUTS = [
  'dashboard/src',
  'dashboard/index.html',
  'dashboard/vite.config.ts',
  'shared/types',
  'shared/triggers/samples.ts',
  'package-lock.json',
];

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return existsSync(path) ? [path] : [];
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? filesUnder(join(path, entry.name)) : [join(path, entry.name)],
    ),
  );
  return nested.flat();
}

export async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(INPUTS.map((input) => filesUnder(join(ROOT, input))))).flat().sort();
  for (const file of files) {
    hash.update(relative(ROOT, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export async function isStale(): Promise<boolean> {
  if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) return true;
  const built = await readFile(HASH_FILE, 'utf8').catch(() => '');
  return built.trim() !== (await inputsHash());
}

/** Runs Vite's production build in a child process; resolves with the build's duration. */
export async function buildDashboard(): Promise<number> {
  const started = performance.now();
  const hash = await inputsHash();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'dashboard/vite.config.ts'],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`The dashboard build failed (vite exited with ${code}).`)),
    );
  });
  await writeFile(HASH_FILE, `${hash}\n`);
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
