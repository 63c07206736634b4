import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  directorySize,
  evictCache,
  IN_USE_MS,
  MARKER,
  reuseInstall,
} from '../../../shared/build/dependency-cache.ts';

let cacheDir: string;

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'hookchain-cache-'));
});

afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const setDir = (key: string) => path.join(cacheDir, 'deps', key);

/** An installed set of `bytes` bytes, last used `agoMs` ago. */
async function installedSet(key: string, bytes: number, agoMs: number, recordBytes = true) {
  await mkdir(path.join(setDir(key), 'node_modules', 'pkg'), { recursive: true });
  await writeFile(path.join(setDir(key), 'node_modules', 'pkg', 'index.js'), 'x'.repeat(bytes));
  const record = { resolved: [], native: [], ...(recordBytes ? { bytes } : {}) };
  await writeFile(path.join(setDir(key), MARKER), JSON.stringify(record));
  await age(path.join(setDir(key), MARKER), agoMs);
}

async function age(file: string, agoMs: number) {
  const then = new Date(Date.now() - agoMs);
  await utimes(file, then, then);
}

async function remainingSets(): Promise<string[]> {
  return (await readdir(path.join(cacheDir, 'deps'))).filter((n) => !n.includes('.')).sort();
}

describe('evictCache', () => {
  it('evicts the least recently used sets until the cache is under its cap', async () => {
    await installedSet('aaaa', 100, 3 * HOUR);
    await installedSet('bbbb', 100, 2 * HOUR);
    await installedSet('cccc', 100, 1 * HOUR);

    expect(await evictCache(cacheDir, { maxBytes: 300 })).toEqual([]);
    expect(await evictCache(cacheDir, { maxBytes: 250 })).toEqual([setDir('aaaa')]);
    expect(await remainingSets()).toEqual(['bbbb', 'cccc']);
    expect(await evictCache(cacheDir, { maxBytes: 0 })).toEqual([setDir('bbbb'), setDir('cccc')]);
    expect(await readdir(path.join(cacheDir, 'deps'))).toEqual([]);
  });

  it('counts a set reused by a build as used now', async () => {
    await installedSet('aaaa', 100, 3 * HOUR);
    await installedSet('bbbb', 100, 2 * HOUR);
    expect(await reuseInstall(setDir('aaaa'))).toMatchObject({ bytes: 100 });
    await age(path.join(setDir('aaaa'), MARKER), HOUR); // still older than IN_USE_MS, newer than bbbb

    expect(await evictCache(cacheDir, { maxBytes: 150 })).toEqual([setDir('bbbb')]);
    expect(await reuseInstall(setDir('bbbb'))).toBeUndefined();
  });

  it('keeps sets used within IN_USE_MS, which a build may still be bundling from, even over the cap', async () => {
    await installedSet('aaaa', 100, IN_USE_MS + HOUR);
    await installedSet('bbbb', 100, IN_USE_MS / 2);
    await installedSet('cccc', 100, 0);

    expect(await evictCache(cacheDir, { maxBytes: 0 })).toEqual([setDir('aaaa')]);
    expect(await remainingSets()).toEqual(['bbbb', 'cccc']);
  });

  it('skips a set whose lock a build holds and evicts the next one instead', async () => {
    await installedSet('aaaa', 100, 3 * HOUR);
    await installedSet('bbbb', 100, 2 * HOUR);
    await mkdir(`${setDir('aaaa')}.lock`); // a build is marking it used right now

    expect(await evictCache(cacheDir, { maxBytes: 150 })).toEqual([setDir('bbbb')]);
    expect(await remainingSets()).toEqual(['aaaa']);
  });

  it('measures sets installed before their size was recorded', async () => {
    await installedSet('aaaa', 1000, 2 * HOUR, false);
    await installedSet('bbbb', 10, HOUR);
    expect(await directorySize(setDir('aaaa'))).toBeGreaterThan(1000);

    expect(await evictCache(cacheDir, { maxBytes: 500 })).toEqual([setDir('aaaa')]);
  });

  it('removes what dead builds left behind, and the npm cache earlier builders kept', async () => {
    const leftovers = {
      staleStaging: path.join(cacheDir, 'deps', 'aaaa.staging-dead'),
      evicted: path.join(cacheDir, 'deps', 'bbbb.evicted-1234'),
      staleTemp: path.join(cacheDir, 'tmp', 'dead'),
      legacyNpmCache: path.join(cacheDir, 'npm-cache', '_cacache'),
    };
    const live = {
      staging: path.join(cacheDir, 'deps', 'cccc.staging-live'),
      temp: path.join(cacheDir, 'tmp', 'live'),
    };
    for (const dir of [...Object.values(leftovers), ...Object.values(live)]) {
      await mkdir(dir, { recursive: true });
    }
    await age(leftovers.staleStaging, IN_USE_MS + HOUR);
    await age(leftovers.staleTemp, IN_USE_MS + HOUR);

    await evictCache(cacheDir, { maxBytes: 0 });
    expect(Object.values(leftovers).filter((dir) => existsSync(dir))).toEqual([]);
    expect(existsSync(path.join(cacheDir, 'npm-cache'))).toBe(false);
    expect(Object.values(live).every((dir) => existsSync(dir))).toBe(true);
  });
});
