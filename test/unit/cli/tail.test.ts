import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { formatRun } from '../../../cli/logs/format.ts';
import { tailLogs } from '../../../cli/logs/tail.ts';
import { Output } from '../../../cli/output.ts';
import type { ActionRunLog, HookchainClient, LogPage } from '../../../shared/client/index.ts';
import { nextPollDelayMs, POLL_MAX_MS, POLL_MIN_MS } from '../../../shared/client/index.ts';

function run(execution: string, timestamp: number, message = `line ${execution}`): ActionRunLog {
  return {
    tenant_id: 'dev',
    trigger_id: 'post-login',
    execution_id: execution,
    action_id: 'a1',
    action_name: 'log-login',
    entrypoint: 'onExecutePostLogin',
    level: 'info',
    message: 'log-login ran in 3 ms',
    duration_ms: 3,
    logs: [{ level: 'log', message, at: new Date(timestamp).toISOString() }],
    timestamp,
  };
}

/** A log store the test appends to; queries filter by `since` and page by two. */
function fakeClient(store: ActionRunLog[], queries: Array<{ since?: number }>): HookchainClient {
  return {
    async queryLogs(query: { since?: number; next_token?: string }): Promise<LogPage> {
      queries.push(query);
      const matching = store.filter((e) => e.timestamp >= (query.since ?? 0));
      const offset = Number(query.next_token ?? 0);
      const page = matching.slice(offset, offset + 2);
      return offset + 2 < matching.length ? { logs: page, next_token: String(offset + 2) } : { logs: page };
    },
  } as unknown as HookchainClient;
}

describe('tailLogs', () => {
  it('prints each event once, including late writes with an earlier start time', async () => {
    const store = [run('e1', 1_000), run('e2', 2_000), run('e3', 3_000)];
    const queries: Array<{ since?: number }> = [];
    const stop = new AbortController();
    const seen: string[] = [];
    let polls = 0;
    for await (const event of tailLogs(fakeClient(store, queries), {
      since: 500,
      follow: true,
      intervalMs: 1,
      lookbackMs: 1_500,
      signal: stop.signal,
      now: () => 3_000,
    })) {
      seen.push(event.execution_id);
      if (seen.length === 3) {
        // Written after the first poll, but started before the newest event seen.
        store.push(run('late', 2_500), run('e4', 4_000));
      }
      if (seen.length === 5) stop.abort();
      if (++polls > 10) break;
    }
    expect(seen).toEqual(['e1', 'e2', 'e3', 'late', 'e4']);
    // Later polls look back a window behind the newest event, not from the start.
    expect(queries.at(-1)?.since).toBe(1_500);
  });

  it('leaves no abort listener behind between polls (a tail runs for hours)', async () => {
    const stop = new AbortController();
    let polls = 0;
    const client = {
      async queryLogs(): Promise<LogPage> {
        if (++polls === 20) {
          expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
          stop.abort();
        }
        return { logs: [] };
      },
    } as unknown as HookchainClient;
    for await (const _ of tailLogs(client, { since: 0, follow: true, intervalMs: 1, signal: stop.signal })) {
      // nothing is logged
    }
    expect(polls).toBe(20);
  });

  it('stops after one pass without --follow', async () => {
    const events: string[] = [];
    for await (const e of tailLogs(fakeClient([run('e1', 1_000)], []), { since: 0, follow: false }))
      events.push(e.execution_id);
    expect(events).toEqual(['e1']);
  });
});

describe('tailLogs under the read quota', () => {
  it('stops following pages when the server says retry_after, and asks for the whole window again', async () => {
    const queries: Array<{ since?: number; next_token?: string }> = [];
    const replies: LogPage[] = [
      { logs: [run('e1', 1_000)], next_token: 'p2', retry_after: 0 },
      { logs: [run('e1', 1_000)], next_token: 'p2' },
      { logs: [run('e2', 2_000)] },
    ];
    const client = {
      async queryLogs(query: { since?: number; next_token?: string }): Promise<LogPage> {
        queries.push(query);
        return replies.shift() ?? { logs: [] };
      },
    } as unknown as HookchainClient;
    const seen: string[] = [];
    // Without --follow, a pass the quota cut short is tried again rather than reported as "nothing ran".
    for await (const event of tailLogs(client, { since: 500, follow: false, intervalMs: 1 }))
      seen.push(event.execution_id);
    expect(seen).toEqual(['e1', 'e2']);
    expect(queries.map((q) => q.next_token)).toEqual([undefined, undefined, 'p2']);
  });
});

describe('nextPollDelayMs', () => {
  it('paces polls between 2 and 5 s, jittered', () => {
    expect(nextPollDelayMs(undefined, () => 0)).toBe(POLL_MIN_MS);
    expect(nextPollDelayMs(undefined, () => 0.5)).toBe(3_500);
    expect(nextPollDelayMs(undefined, () => 1)).toBe(POLL_MAX_MS);
    expect([POLL_MIN_MS, POLL_MAX_MS]).toEqual([2_000, 5_000]);
  });

  it('waits at least the server’s retry_after, spread over a second after it', () => {
    expect(nextPollDelayMs(8, () => 0)).toBe(8_000);
    expect(nextPollDelayMs(8, () => 0.5)).toBe(8_500);
    expect(nextPollDelayMs(1, () => 0.5)).toBe(3_500);
  });
});

describe('formatRun', () => {
  const { c } = new Output({ json: false, color: false, env: {} });

  it('prints one line per console line, and one for an error', () => {
    const event = {
      ...run('e1', Date.parse('2025-06-01T12:00:00.000Z'), 'two\nlines'),
      level: 'error' as const,
      error: { class: 'action_error', name: 'TypeError', message: 'x is not a function' },
    };
    expect(formatRun(c, event)).toEqual([
      '12:00:00.000 LOG   post-login/log-login two ⏎ lines',
      '12:00:00.003 ERROR post-login/log-login TypeError: x is not a function (action_error)',
    ]);
  });

  it('still shows a run that wrote nothing', () => {
    const event = { ...run('e1', Date.parse('2025-06-01T12:00:00.000Z')), logs: [] };
    expect(formatRun(c, event)).toEqual(['12:00:00.000 RUN   post-login/log-login log-login ran in 3 ms']);
  });
});
