/**
 * Log tails share CloudWatch's FilterLogEvents quota (5 requests per second for the whole account
 * and region). With it enforced, two `hookchain logs tail --follow`, a dashboard logs page and a
 * crowd of logs pages opening at once never see an error, and every tail still sees a new event:
 * clients poll every 2-5 s, identical queries share one call, a throttled read answers an empty page
 * with `retry_after` that the clients honour.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailLogs } from '../../../cli/logs/tail.ts';
import { ApiClient } from '../../../dashboard/src/api/client.ts';
import { mergeRuns, nextPollDelayMs, OVERLAP_MS } from '../../../dashboard/src/logs/tail.ts';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import type { ActionRunLog } from '../../../shared/client/index.ts';
import { HookchainClient } from '../../../shared/client/index.ts';
import type { ActionRunLog as StoredRunLog } from '../../../shared/ports/tenant-logs.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;
beforeAll(async () => {
  hc = await startTestHookchain({
    fidelity: awsFidelity({ logs: { filterLogEventsPerSecond: 5, abortCreateLogGroupEvery: 0 } }),
  });
});
afterAll(() => hc?.stop());

function runLog(executionId: string): StoredRunLog {
  return {
    tenant_id: 'dev',
    trigger_id: 'post-login',
    execution_id: executionId,
    action_id: 'act-1',
    action_name: 'greeter',
    entrypoint: 'onExecutePostLogin',
    level: 'info',
    message: 'greeter ran in 3 ms',
    duration_ms: 3,
    logs: [{ level: 'log', message: 'hello', at: new Date().toISOString() }],
    timestamp: Date.now(),
  };
}

/** Resolves when `seen` finds the event; rejects on the reader's first error. */
function watcher() {
  let found!: () => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    found = resolve;
    failed = reject;
  });
  return { done, found, failed };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

describe('tailing logs under the FilterLogEvents quota', () => {
  it('two CLI tails, a dashboard page and a crowd of pages opening get no error, and all see a new event', async () => {
    const wanted = `exec-${randomUUID()}`;
    const stop = new AbortController();
    const since = Date.now() - 60_000;

    // Two `hookchain logs tail --follow`, with the CLI's own pacing.
    const tails = [0, 1].map(() => {
      const w = watcher();
      const cli = new HookchainClient({ url: hc.url, token: hc.token });
      void (async () => {
        for await (const event of tailLogs(cli, { since, follow: true, signal: stop.signal })) {
          if (event.execution_id === wanted) w.found();
        }
      })().catch(w.failed);
      return w;
    });

    // The dashboard's logs page: its query, merge and pacing (pages/logs-page.tsx).
    const api = new ApiClient({ token: hc.token, baseUrl: hc.url });
    const page = watcher();
    void (async () => {
      let runs: ActionRunLog[] = [];
      while (!stop.signal.aborted) {
        const newest = runs.at(-1)?.timestamp;
        const reply = await api.queryLogs({
          since: newest === undefined ? since : newest - OVERLAP_MS,
          limit: 1000,
        });
        runs = mergeRuns(runs, reply.logs);
        if (runs.some((run) => run.execution_id === wanted)) page.found();
        await sleep(nextPollDelayMs(reply.retry_after), stop.signal);
      }
    })().catch(page.failed);

    try {
      // Twenty people open the logs page at once, each with its own window: more than the quota.
      const opened = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => api.queryLogs({ since: since - i * 120_000, limit: 50 })),
      );
      expect(
        opened.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason),
      ).toEqual([]);

      await hc.stack.platform.logs.write('dev', [runLog(wanted)]);
      await Promise.all([...tails.map((t) => t.done), page.done]);
    } finally {
      stop.abort();
    }
  }, 60_000);
});
