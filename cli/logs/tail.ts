/**
 * Follows the tenant's action logs by polling `GET /actions/logs`. Log events carry the action's
 * start time but are written when the execution ends (and CloudWatch ingests with a delay), so
 * each poll looks back a window behind the newest event seen and drops what it already printed.
 */
import type { ActionRunLog } from '../api-types.ts';
import type { HookchainClient } from '../client.ts';

export interface TailFilter {
  action?: string;
  trigger?: string;
  execution?: string;
}

export interface TailOptions extends TailFilter {
  /** Epoch ms of the oldest event wanted. */
  since: number;
  follow: boolean;
  /** Between polls; the bound is a line within 2 s, so keep this well under. */
  intervalMs?: number;
  /** How far behind the newest event each poll looks again. */
  lookbackMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

const PAGE = 100;

export const eventKey = (e: ActionRunLog) =>
  `${e.execution_id}\u0000${e.action_id}\u0000${e.entrypoint}\u0000${e.timestamp}`;

/** Every event from `since`, following the pages. */
async function fetchFrom(
  client: HookchainClient,
  filter: TailFilter,
  since: number,
): Promise<ActionRunLog[]> {
  const events: ActionRunLog[] = [];
  let next_token: string | undefined;
  do {
    const page = await client.queryLogs({
      ...filter,
      since,
      limit: PAGE,
      ...(next_token ? { next_token } : {}),
    });
    events.push(...page.logs);
    next_token = page.next_token;
  } while (next_token);
  return events.sort((a, b) => a.timestamp - b.timestamp);
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
  const interval = options.intervalMs ?? 400;
  const lookback = options.lookbackMs ?? 30_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  // The window's anchor: the newest event seen (server clock) or, before any, our own clock.
  let newest = since;
  let windowStart = since;
  for (;;) {
    for (const event of await fetchFrom(client, filter, windowStart)) {
      const key = eventKey(event);
      if (seen.has(key)) continue;
      seen.set(key, event.timestamp);
      newest = Math.max(newest, event.timestamp);
      yield event;
    }
    if (!follow || signal?.aborted) return;
    await sleep(interval, signal);
    if (signal?.aborted) return;
    windowStart = Math.max(since, Math.min(newest, now()) - lookback);
    for (const [key, at] of seen) if (at < windowStart) seen.delete(key);
  }
}
