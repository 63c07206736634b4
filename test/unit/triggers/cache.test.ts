import { describe, expect, it } from 'vitest';
import { runChain } from '../../../shared/testing/index.ts';
import {
  applyCacheOps,
  CACHE_LIMITS,
  type CacheSnapshot,
  createCache,
  liveEntries,
} from '../../../shared/triggers/cache.ts';
import { NOW } from './harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A cache session on a clock the test moves by hand. */
function cacheAt(snapshot: CacheSnapshot = {}) {
  const clock = { now: NOW };
  const session = createCache(snapshot, () => clock.now);
  return { ...session, clock };
}

describe('api.cache', () => {
  it('documents Auth0’s limits', () => {
    expect(CACHE_LIMITS).toEqual({
      maxEntries: 20,
      maxKeyBytes: 64,
      maxValueBytes: 4096,
      maxTotalBytes: 8192,
      defaultTtlMs: 15 * MINUTE,
      maxTtlMs: 24 * HOUR,
      maxSideEffects: 20,
    });
  });

  describe('get(key)', () => {
    it('returns a copy of the record, or undefined', () => {
      const { api } = cacheAt({ token: { value: 'abc', expires_at: NOW + MINUTE } });
      const record = api.get('token');
      expect(record).toEqual({ value: 'abc', expires_at: NOW + MINUTE });
      (record as { value: string }).value = 'tampered';
      expect(api.get('token')?.value).toBe('abc');
      expect(api.get('missing')).toBeUndefined();
    });

    it('never returns an expired record, whether it expired before or during the action', () => {
      const { api, clock } = cacheAt({
        stale: { value: 'old', expires_at: NOW },
        fresh: { value: 'new', expires_at: NOW + MINUTE },
      });
      expect(api.get('stale')).toBeUndefined();
      clock.now = NOW + MINUTE;
      expect(api.get('fresh')).toBeUndefined();
    });

    it('treats keys such as __proto__ and constructor as ordinary keys', () => {
      const { api } = cacheAt();
      for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        expect(api.get(key)).toBeUndefined();
        expect(api.delete(key)).toEqual({ type: 'error', code: 'CacheKeyDoesNotExist' });
        expect(api.set(key, 'v').type).toBe('success');
        expect(api.get(key)?.value).toBe('v');
      }
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    });
  });

  describe('set(key, value, { ttl, expires_at })', () => {
    it('keeps a record 15 minutes by default', () => {
      const { api, ops } = cacheAt();
      expect(api.set('token', 'abc')).toEqual({
        type: 'success',
        record: { value: 'abc', expires_at: NOW + 15 * MINUTE },
      });
      expect(api.get('token')).toEqual({ value: 'abc', expires_at: NOW + 15 * MINUTE });
      expect(ops).toEqual([{ op: 'set', key: 'token', value: 'abc', expires_at: NOW + 15 * MINUTE }]);
    });

    it('honours ttl (ms) and expires_at (epoch ms); with both, the earlier wins', () => {
      const { api } = cacheAt();
      expect(api.set('a', 'v', { ttl: 5 * MINUTE })).toMatchObject({
        record: { expires_at: NOW + 5 * MINUTE },
      });
      expect(api.set('b', 'v', { expires_at: NOW + HOUR })).toMatchObject({
        record: { expires_at: NOW + HOUR },
      });
      expect(api.set('c', 'v', { ttl: HOUR, expires_at: NOW + MINUTE })).toMatchObject({
        record: { expires_at: NOW + MINUTE },
      });
      expect(api.set('d', 'v', { ttl: MINUTE, expires_at: NOW + HOUR })).toMatchObject({
        record: { expires_at: NOW + MINUTE },
      });
    });

    it('never keeps a record longer than 24 hours', () => {
      const { api } = cacheAt();
      expect(api.set('a', 'v', { ttl: 48 * HOUR })).toMatchObject({
        record: { expires_at: NOW + 24 * HOUR },
      });
      expect(api.set('b', 'v', { expires_at: NOW + 30 * HOUR })).toMatchObject({
        record: { expires_at: NOW + 24 * HOUR },
      });
    });

    it('answers ItemAlreadyExpired for a lifetime that is already over', () => {
      const { api, ops } = cacheAt();
      expect(api.set('a', 'v', { ttl: 0 })).toEqual({ type: 'error', code: 'ItemAlreadyExpired' });
      expect(api.set('a', 'v', { ttl: -1 })).toEqual({ type: 'error', code: 'ItemAlreadyExpired' });
      expect(api.set('a', 'v', { expires_at: NOW - 1 })).toEqual({
        type: 'error',
        code: 'ItemAlreadyExpired',
      });
      expect(api.set('a', 'v', { ttl: HOUR, expires_at: NOW })).toEqual({
        type: 'error',
        code: 'ItemAlreadyExpired',
      });
      expect(api.get('a')).toBeUndefined();
      expect(ops).toEqual([]);
    });

    it('answers InvalidExpiry for a lifetime that is not a finite number', () => {
      const { api } = cacheAt();
      const bad = [
        { ttl: '60000' },
        { ttl: Number.NaN },
        { expires_at: Number.POSITIVE_INFINITY },
        { expires_at: '2027' },
      ];
      for (const options of bad) {
        expect(api.set('a', 'v', options as never)).toEqual({ type: 'error', code: 'InvalidExpiry' });
      }
      // A bare number instead of an options object is a common slip.
      expect(api.set('a', 'v', 60_000 as never)).toEqual({ type: 'error', code: 'InvalidExpiry' });
      // null is "no options".
      expect(api.set('a', 'v', null as never)).toMatchObject({ type: 'success' });
    });

    it('answers FailedToSetCacheRecord for a key or value that is not a string', () => {
      const { api } = cacheAt();
      expect(api.set('a', 42 as never)).toEqual({ type: 'error', code: 'FailedToSetCacheRecord' });
      expect(api.set('a', { token: 'x' } as never)).toEqual({
        type: 'error',
        code: 'FailedToSetCacheRecord',
      });
      expect(api.set(7 as never, 'v')).toEqual({ type: 'error', code: 'FailedToSetCacheRecord' });
    });

    it('limits keys to 64 bytes and values to 4 KB, counted in UTF-8', () => {
      const { api } = cacheAt();
      expect(api.set('k'.repeat(64), 'v').type).toBe('success');
      expect(api.set('k'.repeat(65), 'v')).toEqual({ type: 'error', code: 'CacheKeySizeExceeded' });
      expect(api.set('€'.repeat(22), 'v')).toEqual({ type: 'error', code: 'CacheKeySizeExceeded' }); // 66 bytes
      expect(api.set('big', 'v'.repeat(4096)).type).toBe('success');
      expect(api.set('bigger', 'v'.repeat(4097))).toEqual({ type: 'error', code: 'CacheValueSizeExceeded' });
      expect(api.set('euro', '€'.repeat(1366))).toEqual({ type: 'error', code: 'CacheValueSizeExceeded' }); // 4098 bytes
    });

    it('holds at most 20 entries; replacing an existing one is always fine', () => {
      const snapshot: CacheSnapshot = {};
      for (let i = 0; i < 20; i++) snapshot[`k${i}`] = { value: 'v', expires_at: NOW + HOUR };
      const { api } = cacheAt(snapshot);
      expect(api.set('k20', 'v')).toEqual({ type: 'error', code: 'CacheSizeExceeded' });
      expect(api.set('k0', 'replaced').type).toBe('success');
      expect(api.delete('k1')).toEqual({ type: 'success' });
      expect(api.set('k20', 'v').type).toBe('success');
    });

    it('holds at most 8 KB of keys and values in all', () => {
      const { api } = cacheAt();
      expect(api.set('a', 'x'.repeat(4000)).type).toBe('success');
      expect(api.set('b', 'x'.repeat(4000)).type).toBe('success');
      expect(api.set('c', 'x'.repeat(200))).toEqual({ type: 'error', code: 'CacheSizeExceeded' });
      expect(api.set('c', 'x'.repeat(100)).type).toBe('success');
    });

    it('does not count records that expired during the action against the limits', () => {
      const snapshot: CacheSnapshot = {};
      for (let i = 0; i < 20; i++)
        snapshot[`k${i}`] = { value: 'v', expires_at: NOW + (i === 0 ? MINUTE : HOUR) };
      const { api, clock } = cacheAt(snapshot);
      expect(api.set('new', 'v')).toEqual({ type: 'error', code: 'CacheSizeExceeded' });
      clock.now = NOW + 2 * MINUTE;
      expect(api.set('new', 'v').type).toBe('success');
    });
  });

  describe('delete(key)', () => {
    it('removes a record, or answers CacheKeyDoesNotExist', () => {
      const { api, ops, clock } = cacheAt({
        token: { value: 'abc', expires_at: NOW + HOUR },
        soon: { value: 'x', expires_at: NOW + MINUTE },
      });
      expect(api.delete('token')).toEqual({ type: 'success' });
      expect(api.get('token')).toBeUndefined();
      expect(api.delete('token')).toEqual({ type: 'error', code: 'CacheKeyDoesNotExist' });
      clock.now = NOW + MINUTE;
      expect(api.delete('soon')).toEqual({ type: 'error', code: 'CacheKeyDoesNotExist' });
      expect(ops).toEqual([{ op: 'delete', key: 'token' }]);
    });
  });

  it('allows 20 writes per action, then answers MaxSideEffectsExceeded; reads stay free', () => {
    const { api, ops } = cacheAt();
    for (let i = 0; i < 19; i++) expect(api.set('counter', String(i)).type).toBe('success');
    expect(api.delete('counter')).toEqual({ type: 'success' });
    expect(api.set('one-more', 'v')).toEqual({ type: 'error', code: 'MaxSideEffectsExceeded' });
    expect(api.delete('anything')).toEqual({ type: 'error', code: 'MaxSideEffectsExceeded' });
    expect(api.get('counter')).toBeUndefined();
    expect(ops).toHaveLength(20);
  });

  describe('snapshots between actions', () => {
    it('liveEntries drops expired records and copies the rest', () => {
      const snapshot: CacheSnapshot = {
        old: { value: 'a', expires_at: NOW },
        live: { value: 'b', expires_at: NOW + 1 },
      };
      const live = liveEntries(snapshot, NOW);
      expect({ ...live }).toEqual({ live: { value: 'b', expires_at: NOW + 1 } });
      expect(live.live).not.toBe(snapshot.live);
    });

    it('applyCacheOps applies an action’s writes in order on the live entries', () => {
      const next = applyCacheOps(
        { a: { value: '1', expires_at: NOW + HOUR }, gone: { value: 'x', expires_at: NOW - 1 } },
        [
          { op: 'set', key: 'b', value: '2', expires_at: NOW + HOUR },
          { op: 'delete', key: 'a' },
          { op: 'set', key: 'b', value: '3', expires_at: NOW + MINUTE },
        ],
        NOW,
      );
      expect({ ...next }).toEqual({ b: { value: '3', expires_at: NOW + MINUTE } });
    });
  });

  describe('in a chain', () => {
    const postLogin = (name: string, body: string) => ({
      name,
      code: `exports.onExecutePostLogin = async (event, api) => { ${body} };`,
    });

    it('is scoped to the trigger: shared by every action, handed back for the next execution', async () => {
      const run = await runChain({
        trigger: 'post-login',
        cache: { visits: { value: '41', expires_at: Date.now() + HOUR } },
        actions: [
          postLogin('count', `api.cache.set('visits', String(Number(api.cache.get('visits').value) + 1));`),
          postLogin(
            'read',
            `api.idToken.setCustomClaim('https://acme.test/visits', api.cache.get('visits').value);`,
          ),
        ],
      });
      expect(run.result.id_token_claims).toEqual({ 'https://acme.test/visits': '42' });
      expect(run.cache.visits?.value).toBe('42');
    });

    it('drops the writes of an action that failed, with its commands', async () => {
      const run = await runChain({
        trigger: 'post-user-registration',
        actions: [
          {
            name: 'half-done',
            code: `exports.onExecutePostUserRegistration = async (event, api) => { api.cache.set('half', 'done'); throw new Error('later failure'); };`,
          },
          {
            name: 'reader',
            code: `exports.onExecutePostUserRegistration = async (event, api) => { console.log(String(api.cache.get('half'))); };`,
          },
        ],
      });
      expect(run.status).toBe('partial');
      expect(run.executions[1]?.logs[0]?.message).toBe('undefined');
      expect(run.cache).toEqual({});
    });
  });
});
