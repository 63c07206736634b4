import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogStore } from '../../../../infra/local/logs-server/store.ts';

const GROUP = '/aws/lambda/fn';
const events = (count: number, message: string) =>
  Array.from({ length: count }, (_, i) => ({ timestamp: Date.now() + i, message: `${message} ${i}` }));
const held = (store: LogStore) => store.filterLogEvents({ logGroupName: GROUP }).events;

describe('the local Logs store: bounded however many streams a group gets', () => {
  it('trims a stream past its cap, oldest events first', async () => {
    const store = await LogStore.open({ maxEventsPerStream: 10 });
    store.appendEvents(GROUP, 'worker-1', events(25, 'line'));

    const kept = held(store);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.at(-1)?.message).toBe('line 24');
  });

  it('trims a group past its cap, the least recently written streams first (one stream per worker ever started)', async () => {
    const store = await LogStore.open({ maxEventsPerStream: 10, maxEventsPerGroup: 30 });
    for (let worker = 1; worker <= 20; worker++)
      store.appendEvents(GROUP, `worker-${worker}`, events(10, `w${worker}`));

    const kept = held(store);
    expect(kept.length).toBeLessThanOrEqual(30);
    expect(kept.filter((e) => e.logStreamName === 'worker-20')).toHaveLength(10);
    expect(kept.some((e) => e.logStreamName === 'worker-1')).toBe(false);
    const stored = store.describeLogGroups({}).logGroups[0]?.storedBytes as number;
    expect(stored).toBe(kept.reduce((sum, e) => sum + Buffer.byteLength(e.message), 0));
  });

  it('applies the same caps to what it replays from its journal', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hookchain-logs-'));
    try {
      const unbounded = await LogStore.open({ dir });
      for (let worker = 1; worker <= 20; worker++)
        unbounded.appendEvents(GROUP, `worker-${worker}`, events(10, `w${worker}`));
      await unbounded.close();

      const store = await LogStore.open({ dir, maxEventsPerStream: 10, maxEventsPerGroup: 30 });
      const kept = held(store);
      expect(kept.length).toBeLessThanOrEqual(30);
      expect(kept.filter((e) => e.logStreamName === 'worker-20')).toHaveLength(10);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
