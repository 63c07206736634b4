/**
 * Follows the tenant's action logs by polling `GET /actions/logs`. Log events carry the action's
 * start time but are written when the execution ends (and CloudWatch ingests with a delay), so
 * each poll looks back a window behind the newest event seen and drops what it already printed.
 * Polls are paced politely (poll.ts): every 2-5 s with jitter, later when the server says so.
 */
import type { ActionRunLog, HookchainClient } from '../../shared/client/index.ts';
import { nextPollDelayMs } from '../../shared/client/index.ts';

export interface TailFilter {
  action?: string;
  trigger?: string;
  execution?: string;
}

export interface TailOptions extends TailFilter {
  /** Epoch ms of the oldest event wanted. */
  since: number;
  follow: boolean;
  /** Between polls, fixed (tests); by default 2-5 s with jitter, never sooner than `retry_after`. */
  intervalMs?: number;
  /** How far behind the newest event each poll looks again. */
  lookbackMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

const PAGE = 100;
/** Without --follow, a pass cut short by the server's read quota is tried again this often. */
const PASS_ATTEMPTS = 3;

export const eventKey = (e: ActionRunLog) =>
  `${e.execution_id}\u0000${e.action_id}\u0000${e.entrypoint}\u0000${e.timestamp}`;

/**
 * Every event from `since`, following the pages; or, when the server's read quota is spent
 * (`retry_after`), what came so far and how long to wait: the next pass asks again.
 */
async function fetchFrom(
  client: HookchainClient,
  filter: TailFilter,
  since: number,
): Promise<{ events: ActionRunLog[]; retryAfter?: number }> {
  const events: ActionRunLog[] = [];
  let next_token: string | undefined;
  let retryAfter: number | undefined;
  do {
    const page = await client.queryLogs({
      ...filter,
      since,
      limit: PAGE,
      ...(next_token ? { next_token } : {}),
    });
    events.push(...page.logs);
    next_token = page.next_token;
    retryAfter = page.retry_after;
  } while (next_token && retryAfter === undefined);
  events.sort((a, b) => a.timestamp - b.timestamp);
  return retryAfter === undefined ? { events } : { events, retryAfter };
}

/** Resolves after `ms`, or at once on abort; leaves no listener behind (a tail polls for hours). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Yields each event once, oldest first; with `follow`, keeps polling until the signal aborts. */
export async function* tailLogs(client: HookchainClient, options: TailOptions): AsyncGenerator<ActionRunLog> {
  const { since, follow, signal } = options;
  const filter: TailFilter = {
    ...(options.action ? { action: options.action } : {}),
    ...(options.trigger ? { trigger: options.trigger } : {}),
    ...(options.execution ? { execution: options.execution } : {}),
  };
  const delay = (retryAfter?: number) =>
    options.intervalMs === undefined
      ? nextPollDelayMs(retryAfter)
      : Math.max(options.intervalMs, (retryAfter ?? 0) * 1000);
  const lookback = options.lookbackMs ?? 30_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  // The window's anchor: the newest event seen (server clock) or, before any, our own clock.
  let newest = since;
  let windowStart = since;
  for (let pass = 1; ; pass++) {
    const { events, retryAfter } = await fetchFrom(client, filter, windowStart);
    for (const event of events) {
      const key = eventKey(event);
      if (seen.has(key)) continue;
      seen.set(key, event.timestamp);
      newest = Math.max(newest, event.timestamp);
      yield event;
    }
    // Without --follow one complete pass is the answer; a pass the quota cut short is tried again.
    if (signal?.aborted || (!follow && (retryAfter === undefined || pass >= PASS_ATTEMPTS))) return;
    await sleep(delay(retryAfter), signal);
    if (signal?.aborted) return;
    if (!follow) continue;
    windowStart = Math.max(since, Math.min(newest, now()) - lookback);
    for (const [key, at] of seen) if (at < windowStart) seen.delete(key);
  }
}
