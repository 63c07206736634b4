/**
 * A cross-process lock on a folder name: `mkdir` is atomic on every filesystem we run on, so the
 * process that creates the lock folder owns it. The owner touches it while it works; a lock left
 * untouched for `staleMs` (its owner crashed) is taken over.
 */
import { mkdir, rm, stat, utimes } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DirLockOptions {
  /** A lock not refreshed for this long is considered abandoned. */
  staleMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

export async function withDirLock<T>(
  lockPath: string,
  run: () => Promise<T>,
  { staleMs = 30_000, pollMs = 50, signal }: DirLockOptions = {},
): Promise<T> {
  await acquire(lockPath, staleMs, pollMs, signal);
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, staleMs / 3);
  heartbeat.unref();
  try {
    return await run();
  } finally {
    clearInterval(heartbeat);
    await rm(lockPath, { recursive: true, force: true });
  }
}

/**
 * Runs `run` holding the lock only if it can be taken now (free, or abandoned); resolves
 * `{ held: false }` at once, without running it, while someone else holds it.
 */
export async function tryWithDirLock<T>(
  lockPath: string,
  run: () => Promise<T>,
  { staleMs = 30_000 }: Pick<DirLockOptions, 'staleMs'> = {},
): Promise<{ held: true; value: T } | { held: false }> {
  if (!(await tryAcquire(lockPath, staleMs))) return { held: false };
  try {
    return { held: true, value: await run() };
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function tryAcquire(lockPath: string, staleMs: number): Promise<boolean> {
  for (;;) {
    try {
      await mkdir(lockPath);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = await lockAge(lockPath);
    if (age === undefined) continue; // released meanwhile: try again
    if (age <= staleMs) return false;
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function acquire(lockPath: string, staleMs: number, pollMs: number, signal?: AbortSignal) {
  for (;;) {
    signal?.throwIfAborted();
    if (await tryAcquire(lockPath, staleMs)) return;
    await sleep(pollMs, undefined, signal ? { signal } : {}).catch((error: unknown) => {
      signal?.throwIfAborted(); // the caller's reason, not a generic AbortError
      throw error;
    });
  }
}

async function lockAge(lockPath: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return undefined; // released meanwhile
  }
}
