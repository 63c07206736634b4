import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDirLock } from '../../../shared/build/dir-lock.ts';

let dir: string;
let lock: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hookchain-lock-'));
  lock = path.join(dir, 'set.lock');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withDirLock', () => {
  it('runs holders one at a time and releases the lock', async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      withDirLock(lock, async () => {
        events.push(`${name} in`);
        await sleep(30);
        events.push(`${name} out`);
        return name;
      });
    expect(await Promise.all([holder('a'), holder('b'), holder('c')])).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.split(' ')[0]).toBe(events[i + 1]!.split(' ')[0]);
    }
    await expect(stat(lock)).rejects.toThrow();
  });

  it('releases the lock when the holder throws', async () => {
    await expect(withDirLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withDirLock(lock, async () => 'next')).toBe('next');
  });

  it('takes over a lock abandoned by a crashed holder', async () => {
    await mkdir(lock);
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    expect(await withDirLock(lock, async () => 'mine', { staleMs: 60_000 })).toBe('mine');
  });

  it('stops waiting when aborted', async () => {
    await mkdir(lock);
    const controller = new AbortController();
    const waiting = withDirLock(lock, async () => 'never', { signal: controller.signal });
    controller.abort(new Error('build cancelled'));
    await expect(waiting).rejects.toThrow('build cancelled');
  });
});
