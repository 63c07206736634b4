/**
 * `api.cache`: Auth0's synchronous, trigger-scoped cache. An action works on a snapshot taken
 * when it starts; what it writes is recorded as operations the chain applies for the actions
 * after it (and keeps for later executions on a best-effort basis, exactly Auth0's promise).
 */

export interface CacheRecord {
  value: string;
  expires_at: number;
}

export type CacheSnapshot = Record<string, CacheRecord>;

export type CacheWriteErrorCode =
  | 'MaxSideEffectsExceeded'
  | 'CacheKeySizeExceeded'
  | 'CacheValueSizeExceeded'
  | 'CacheSizeExceeded'
  | 'ItemAlreadyExpired'
  | 'InvalidExpiry'
  | 'FailedToSetCacheRecord'
  | 'FailedToDeleteCacheRecord'
  | 'CacheKeyDoesNotExist';

export type CacheWriteResult =
  | { type: 'success'; record: CacheRecord }
  | { type: 'error'; code: CacheWriteErrorCode };
export type CacheDeleteResult = { type: 'success' } | { type: 'error'; code: CacheWriteErrorCode };

export interface CacheApi {
  get(key: string): CacheRecord | undefined;
  set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): CacheWriteResult;
  delete(key: string): CacheDeleteResult;
}

export type CacheOp =
  | { op: 'set'; key: string; value: string; expires_at: number }
  | { op: 'delete'; key: string };

export const CACHE_LIMITS = {
  maxEntries: 20,
  maxKeyBytes: 64,
  maxValueBytes: 4096,
  maxTotalBytes: 8192,
  defaultTtlMs: 15 * 60 * 1000,
  maxTtlMs: 24 * 60 * 60 * 1000,
  /** Writes one action may make in one execution. */
  maxSideEffects: 20,
} as const;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * A snapshot without a prototype: keys are tenant data, so `__proto__` or `constructor` must be
 * ordinary keys, never Object.prototype members.
 */
const emptySnapshot = (): CacheSnapshot => Object.create(null) as CacheSnapshot;

/** Drops expired records; the result is what an action may read. */
export function liveEntries(snapshot: CacheSnapshot, now: number): CacheSnapshot {
  const live = emptySnapshot();
  for (const [key, record] of Object.entries(snapshot)) {
    if (record.expires_at > now) live[key] = { ...record };
  }
  return live;
}

export function applyCacheOps(snapshot: CacheSnapshot, ops: readonly CacheOp[], now: number): CacheSnapshot {
  const next = liveEntries(snapshot, now);
  for (const op of ops) {
    if (op.op === 'delete') delete next[op.key];
    else next[op.key] = { value: op.value, expires_at: op.expires_at };
  }
  return next;
}

function totalBytes(entries: Map<string, CacheRecord>): number {
  let total = 0;
  for (const [key, record] of entries) total += bytes(key) + bytes(record.value);
  return total;
}

export interface CacheSession {
  readonly api: CacheApi;
  readonly ops: readonly CacheOp[];
}

export function createCache(snapshot: CacheSnapshot, now: () => number = Date.now): CacheSession {
  const entries = new Map(Object.entries(liveEntries(snapshot, now())));
  const ops: CacheOp[] = [];
  const fail = (code: CacheWriteErrorCode) => ({ type: 'error', code }) as const;

  const api: CacheApi = {
    get(key) {
      const record = entries.get(String(key));
      if (!record) return undefined;
      if (record.expires_at <= now()) {
        entries.delete(String(key));
        return undefined;
      }
      return { ...record };
    },

    set(key, value, options) {
      if (ops.length >= CACHE_LIMITS.maxSideEffects) return fail('MaxSideEffectsExceeded');
      // `set(key, value, 60000)` is a common slip: a bare number is not an options object.
      if (options !== undefined && options !== null && typeof options !== 'object')
        return fail('InvalidExpiry');
      const { ttl, expires_at: expiresAt } = options ?? {};
      if (typeof key !== 'string' || typeof value !== 'string') return fail('FailedToSetCacheRecord');
      if (bytes(key) > CACHE_LIMITS.maxKeyBytes) return fail('CacheKeySizeExceeded');
      if (bytes(value) > CACHE_LIMITS.maxValueBytes) return fail('CacheValueSizeExceeded');
      const at = now();
      const candidates: number[] = [];
      if (ttl !== undefined) {
        if (typeof ttl !== 'number' || !Number.isFinite(ttl)) return fail('InvalidExpiry');
        candidates.push(at + ttl);
      }
      if (expiresAt !== undefined) {
        if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return fail('InvalidExpiry');
        candidates.push(expiresAt);
      }
      // Both given: the earlier wins. Neither: Auth0's 15-minute default. Never past 24 h.
      const requested = candidates.length > 0 ? Math.min(...candidates) : at + CACHE_LIMITS.defaultTtlMs;
      // Records that expired while the action ran no longer count against the limits.
      for (const [k, record] of entries) if (record.expires_at <= at) entries.delete(k);
      if (requested <= at) return fail('ItemAlreadyExpired');
      const expires_at = Math.min(requested, at + CACHE_LIMITS.maxTtlMs);
      const next = new Map(entries).set(key, { value, expires_at });
      if (next.size > CACHE_LIMITS.maxEntries || totalBytes(next) > CACHE_LIMITS.maxTotalBytes) {
        return fail('CacheSizeExceeded');
      }
      entries.set(key, { value, expires_at });
      ops.push({ op: 'set', key, value, expires_at });
      return { type: 'success', record: { value, expires_at } };
    },

    delete(key) {
      if (ops.length >= CACHE_LIMITS.maxSideEffects) return fail('MaxSideEffectsExceeded');
      const record = typeof key === 'string' ? entries.get(key) : undefined;
      if (!record || record.expires_at <= now()) return fail('CacheKeyDoesNotExist');
      entries.delete(key);
      ops.push({ op: 'delete', key });
      return { type: 'success' };
    },
  };
  return { api, ops };
}
