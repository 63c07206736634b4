/**
 * The live log view's state: merge each poll's page into what is shown, once per run, oldest
 * first, within a cap so a busy tenant cannot grow the page without bound.
 */
import type { ActionRunLog } from '../../../shared/client/index.ts';

/** The polite pace the CLI's tail keeps too: 2-5 s with jitter, never sooner than `retry_after`. */
export { nextPollDelayMs } from '../../../shared/client/index.ts';

export const MAX_SHOWN = 500;

/**
 * Runs are timestamped when they started but written when they ended, so a poll asks again for a
 * window before the newest run seen; duplicates are dropped by this key.
 */
export const OVERLAP_MS = 60_000;

export const runKey = (run: ActionRunLog) => `${run.execution_id}/${run.action_id}/${run.timestamp}`;

export function mergeRuns(shown: readonly ActionRunLog[], incoming: readonly ActionRunLog[]): ActionRunLog[] {
  const seen = new Set(shown.map(runKey));
  const fresh = incoming.filter((run) => !seen.has(runKey(run)));
  if (fresh.length === 0) return shown as ActionRunLog[];
  const merged = [...shown, ...fresh].sort((a, b) => a.timestamp - b.timestamp);
  return merged.length > MAX_SHOWN ? merged.slice(merged.length - MAX_SHOWN) : merged;
}

export interface LocalFilter {
  text: string;
  errorsOnly: boolean;
}

/** Filters applied in the page (the API filters by action, trigger and execution). */
export function matchesLocal(run: ActionRunLog, filter: LocalFilter): boolean {
  if (filter.errorsOnly && run.level !== 'error') return false;
  const text = filter.text.trim().toLowerCase();
  if (text === '') return true;
  return (
    run.message.toLowerCase().includes(text) ||
    run.action_name.toLowerCase().includes(text) ||
    run.execution_id.toLowerCase().includes(text) ||
    run.logs.some((line) => line.message.toLowerCase().includes(text))
  );
}
