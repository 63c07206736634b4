/**
 * The tenant logs port (shared/ports/tenant-logs.ts) in memory, reading the way the CloudWatch
 * adapter does: runs oldest first (ties in the order written), filtered by exact action name,
 * trigger and execution, from `since` on, `limit` runs a page with an opaque `next_token` while
 * more match. A write to a tenant without a group makes the group, as the CloudWatch adapter does
 * on its hot path. Never throttled, so no page carries `retry_after`.
 */
import type { ActionRunLog, LogPage, LogQuery, TenantLogSink } from '../ports/tenant-logs.ts';

interface StoredRun {
  run: ActionRunLog;
  /** Order of arrival: breaks ties between runs with the same timestamp, as CloudWatch's event id does. */
  sequence: number;
}

/** Where the previous page ended: the last run's timestamp and sequence. */
function encodeCursor(stored: StoredRun): string {
  return Buffer.from(JSON.stringify([stored.run.timestamp, stored.sequence])).toString('base64url');
}

function decodeCursor(token: string | undefined): { timestamp: number; sequence: number } | undefined {
  if (!token) return undefined;
  try {
    const [timestamp, sequence] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof timestamp === 'number' && typeof sequence === 'number') return { timestamp, sequence };
  } catch {
    // Falls through to the error below.
  }
  throw new Error('The next_token is not one this log store handed out.');
}

const inOrder = (a: StoredRun, b: StoredRun) => a.run.timestamp - b.run.timestamp || a.sequence - b.sequence;

/** FilterLogEvents' page size when none is asked for. */
const DEFAULT_LIMIT = 10_000;

export function memoryTenantLogs(): TenantLogSink {
  const groups = new Map<string, StoredRun[]>();
  let sequence = 0;

  const groupOf = (tenantId: string): StoredRun[] => {
    let group = groups.get(tenantId);
    if (!group) {
      group = [];
      groups.set(tenantId, group);
    }
    return group;
  };

  const matches = (run: ActionRunLog, query: LogQuery) =>
    (query.action === undefined || run.action_name === query.action) &&
    (query.trigger === undefined || run.trigger_id === query.trigger) &&
    (query.execution === undefined || run.execution_id === query.execution) &&
    (query.since === undefined || run.timestamp >= query.since);

  return {
    async createTenantGroup(tenantId) {
      groupOf(tenantId);
    },

    async write(tenantId, events) {
      if (events.length === 0) return;
      const group = groupOf(tenantId);
      // Copies: a caller changing its objects afterwards does not change what was logged.
      const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
      for (const run of sorted) group.push({ run: structuredClone(run), sequence: ++sequence });
      group.sort(inOrder);
    },

    async query(tenantId, query): Promise<LogPage> {
      const after = decodeCursor(query.next_token);
      const selected = (groups.get(tenantId) ?? []).filter(
        (stored) =>
          matches(stored.run, query) &&
          (!after ||
            stored.run.timestamp > after.timestamp ||
            (stored.run.timestamp === after.timestamp && stored.sequence > after.sequence)),
      );
      const page = selected.slice(0, query.limit ?? DEFAULT_LIMIT);
      const logs = page.map((stored) => structuredClone(stored.run));
      const last = page.at(-1);
      return selected.length > page.length && last ? { logs, next_token: encodeCursor(last) } : { logs };
    },
  };
}
