/**
 * The build cache on disk (the builder's /tmp on Lambda, which outlives one invocation but is
 * bounded: 512 MB unless the function asks for more):
 *   <cacheDir>/deps/<set key>/          one installed dependency set, complete once its marker exists
 *   <cacheDir>/deps/<set key>.lock      held while the set is installed, used or evicted
 *   <cacheDir>/tmp/<build>/             one build's npm cache (tarballs, packuments), removed after it
 * Sets are evicted least recently used first once their total passes a size cap. A build marks a
 * set used (the marker's mtime) under the set's lock, and eviction removes a set under the same
 * lock only if nobody used it for IN_USE_MS, so a set a build is still bundling from stays.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { tryWithDirLock, withDirLock } from './dir-lock.ts';
import type { NativeModule } from './native-modules.ts';

/** 256 MiB: well inside Lambda's default 512 MB /tmp, with room for one more install in staging. */
export const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;

/** Lambda's longest function timeout: no build can still be using a set untouched for longer. */
export const IN_USE_MS = 15 * 60_000;

/** Written last into a staged install: its presence means the folder is complete. */
export const MARKER = '.hookchain-install.json';

export interface ResolvedDependency {
  name: string;
  version: string;
}

export interface InstallRecord {
  resolved: ResolvedDependency[];
  native: NativeModule[];
  /** The installed folder's size, for eviction (absent in sets installed before it was recorded). */
  bytes?: number;
}

export function setsDir(cacheDir: string): string {
  return path.join(cacheDir, 'deps');
}

/** A fresh folder for one build's npm cache; the caller removes it when the build ends. */
export function buildTempDir(cacheDir: string): string {
  return path.join(cacheDir, 'tmp', randomBytes(6).toString('hex'));
}

export async function readInstall(dir: string): Promise<InstallRecord | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, MARKER), 'utf8')) as InstallRecord;
  } catch {
    return undefined;
  }
}

/** The installed set at `dir`, marked as used now so eviction leaves it; undefined if not installed. */
export async function reuseInstall(dir: string, signal?: AbortSignal): Promise<InstallRecord | undefined> {
  if (!(await readInstall(dir))) return undefined; // a miss needs no lock
  return withDirLock(
    `${dir}.lock`,
    async () => {
      const record = await readInstall(dir); // evicted meanwhile?
      if (record) await touch(path.join(dir, MARKER));
      return record;
    },
    signal ? { signal } : {},
  );
}

async function touch(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now);
}

/** Bytes of every file under `dir` (symlinks counted as links, not followed). */
export async function directorySize(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(
    entries
      .filter((e) => !e.isDirectory())
      .map((e) => lstat(path.join(e.parentPath, e.name)).then((s) => s.size)),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export interface EvictOptions {
  maxBytes: number;
  /** Sets used more recently than this are kept even over the cap; default IN_USE_MS. */
  inUseMs?: number;
}

interface CachedSet {
  dir: string;
  bytes: number;
  lastUsedMs: number;
}

/**
 * Brings the installed sets under `maxBytes`, least recently used first, and removes what
 * crashed or aborted builds left behind. Safe beside concurrent builds: a set locked (being
 * installed or marked used) or used within `inUseMs` is kept. Returns the evicted sets' folders.
 */
export async function evictCache(cacheDir: string, options: EvictOptions): Promise<string[]> {
  const inUseMs = options.inUseMs ?? IN_USE_MS;
  await removeLeftovers(cacheDir, inUseMs);
  const sets = (await listSets(setsDir(cacheDir))).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  let total = sets.reduce((sum, s) => sum + s.bytes, 0);
  const evicted: string[] = [];
  for (const set of sets) {
    if (total <= options.maxBytes) break;
    if (Date.now() - set.lastUsedMs < inUseMs) break; // this and every later one may be in use
    const taken = await tryWithDirLock(`${set.dir}.lock`, async () => {
      const record = await lastUsed(set.dir); // a build may have used it since the listing
      if (record === undefined || Date.now() - record < inUseMs) return undefined;
      const doomed = `${set.dir}.evicted-${randomBytes(4).toString('hex')}`;
      await rename(set.dir, doomed); // gone at once for readers; deleted outside the lock
      return doomed;
    });
    if (!taken.held || taken.value === undefined) continue;
    await rm(taken.value, { recursive: true, force: true });
    total -= set.bytes;
    evicted.push(set.dir);
  }
  return evicted;
}

async function listSets(dir: string): Promise<CachedSet[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sets = await Promise.all(
    names
      .filter((name) => !name.includes('.'))
      .map(async (name): Promise<CachedSet | undefined> => {
        const setDir = path.join(dir, name);
        const [record, used] = await Promise.all([readInstall(setDir), lastUsed(setDir)]);
        if (!record || used === undefined) return undefined; // being installed, or half-removed
        return { dir: setDir, bytes: record.bytes ?? (await directorySize(setDir)), lastUsedMs: used };
      }),
  );
  return sets.filter((s) => s !== undefined);
}

async function lastUsed(setDir: string): Promise<number | undefined> {
  try {
    return (await stat(path.join(setDir, MARKER))).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Evicted sets not yet deleted, staging folders and per-build npm caches of builds that died
 * (older than any live build), and the npm cache earlier builders kept for good.
 */
async function removeLeftovers(cacheDir: string, inUseMs: number): Promise<void> {
  const old = async (dir: string) =>
    Date.now() - ((await stat(dir).catch(() => undefined))?.mtimeMs ?? Date.now()) > inUseMs;
  const doomed: string[] = [path.join(cacheDir, 'npm-cache')];
  for (const name of await readdir(setsDir(cacheDir)).catch(() => [] as string[])) {
    const dir = path.join(setsDir(cacheDir), name);
    if (name.includes('.evicted-') || (name.includes('.staging-') && (await old(dir)))) doomed.push(dir);
  }
  for (const name of await readdir(path.join(cacheDir, 'tmp')).catch(() => [] as string[])) {
    const dir = path.join(cacheDir, 'tmp', name);
    if (await old(dir)) doomed.push(dir);
  }
  await Promise.all(doomed.map((dir) => rm(dir, { recursive: true, force: true })));
}
