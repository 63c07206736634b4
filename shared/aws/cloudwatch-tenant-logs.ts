/**
 * Tenant logs in CloudWatch Logs: one log group per tenant (`<prefix>/<stage>/<tenant>`), created
 * with its retention when the tenant is; one stream per container and day, created on first use
 * and remembered. A group missing on the hot path (a tenant older than this rule) is created then.
 *
 * Reading is metered: FilterLogEvents has an account-wide quota (5 per second per region), shared by
 * every tail and logs page. Identical queries share one call (in flight, then cached briefly); a
 * throttled call is retried by the SDK's own backoff, then answered as an empty page with
 * `retry_after` rather than an error, and no call is made for this tenant until that time.
 */

import { randomBytes } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  OperationAbortedException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ActionRunLog, LogPage, LogQuery, TenantLogSink } from '../ports/tenant-logs.ts';
import { awsJsonCall } from './json-call.ts';

const CONTAINER = randomBytes(8).toString('hex');

function filterPattern(query: LogQuery): string | undefined {
  const terms: string[] = [];
  const quote = (value: string) => JSON.stringify(value);
  if (query.action) terms.push(`$.action_name = ${quote(query.action)}`);
  if (query.trigger) terms.push(`$.trigger_id = ${quote(query.trigger)}`);
  if (query.execution) terms.push(`$.execution_id = ${quote(query.execution)}`);
  return terms.length > 0 ? `{ ${terms.join(' && ')} }` : undefined;
}

/** PutLogEvents' limits: an event's message, a batch (messages plus 26 bytes each), events per batch. */
const MAX_EVENT_BYTES = 1024 * 1024 - 26;
const MAX_BATCH_BYTES = 1024 * 1024;
const EVENT_OVERHEAD_BYTES = 26;
const MAX_BATCH_EVENTS = 10_000;

/**
 * One action run's event as JSON, within CloudWatch's event size whatever the action logged (its
 * console output is capped in bytes, but JSON escaping can multiply that): console lines are
 * dropped from the end, with a note, until it fits.
 */
function fitted(event: ActionRunLog): string {
  let text = JSON.stringify(event);
  let logs = event.logs;
  while (Buffer.byteLength(text) > MAX_EVENT_BYTES && logs.length > 0) {
    logs = logs.slice(0, Math.floor(logs.length / 2));
    const omitted = event.logs.length - logs.length;
    const note = {
      level: 'warn',
      message: `[hookchain] ${omitted} console lines omitted: too large for one log event.`,
      at: new Date(event.timestamp).toISOString(),
    };
    text = JSON.stringify({ ...event, logs: [...logs, note] });
  }
  return text;
}

/** Splits events into PutLogEvents calls within its batch limits. */
function batches(events: Array<{ timestamp: number; message: string }>) {
  const out: Array<typeof events> = [];
  let current: typeof events = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES;
    if (current.length > 0 && (bytes + size > MAX_BATCH_BYTES || current.length >= MAX_BATCH_EVENTS)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** A CreateLogGroup or PutRetentionPolicy aborted by a concurrent operation is tried this often. */
const ABORTED_ATTEMPTS = 4;
/** The longest a write may hold the trigger that wrote it (throttling retries included). */
const WRITE_BUDGET_MS = 3_000;
/** The longest a query may wait on CloudWatch before answering an empty page with `retry_after`. */
const QUERY_BUDGET_MS = 5_000;
/** How long one FilterLogEvents answer serves identical queries (tails poll every 2-5 s). */
const QUERY_SHARED_MS = 1_500;
/**
 * `since` is rounded down to this, so tails and pages that started at different moments share one
 * call; each caller then gets only events from its own `since`.
 */
const SINCE_GRAIN_MS = 60_000;
/** What a throttled caller is told to wait, in seconds; a tail's own pace is 2-5 s. */
const THROTTLED_RETRY_AFTER_S = 5;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CloudWatchTenantLogsOptions {
  groupPrefix: string;
  stage: string;
  retentionDays?: number;
  now?: () => number;
}

export function cloudWatchTenantLogs(
  options: CloudWatchTenantLogsOptions,
  client: CloudWatchLogsClient = new CloudWatchLogsClient({}),
): TenantLogSink {
  const now = options.now ?? Date.now;
  const ready = new Set<string>();
  // Each trigger execution writes its log: without the SDK's per-call middleware (json-call.ts).
  const call = awsJsonCall(client, {
    service: 'logs',
    targetPrefix: 'Logs_20140328',
    jsonVersion: '1.1',
    endpointCommand: PutLogEventsCommand,
    endpointInput: {},
    timeouts: { connectionTimeoutMs: 3_000, requestTimeoutMs: WRITE_BUDGET_MS },
  });
  const groupOf = (tenantId: string) => `${options.groupPrefix}/${options.stage}/${tenantId}`;

  async function ignoreExisting(create: () => Promise<unknown>) {
    try {
      await create();
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    }
  }

  /** OperationAbortedException means "try again": another operation on the group was under way. */
  async function retryAborted(operation: () => Promise<unknown>) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof OperationAbortedException) || attempt >= ABORTED_ATTEMPTS) throw error;
        await pause(Math.random() * 100 * 2 ** attempt);
      }
    }
  }

  /** The group with its retention (Auth0 keeps execution logs 10 days); safe to repeat. */
  async function createGroup(group: string, signal?: AbortSignal) {
    await retryAborted(() =>
      ignoreExisting(() =>
        client.send(new CreateLogGroupCommand({ logGroupName: group }), { abortSignal: signal }),
      ),
    );
    if (options.retentionDays) {
      const retention = { logGroupName: group, retentionInDays: options.retentionDays };
      await retryAborted(() =>
        client.send(new PutRetentionPolicyCommand(retention), { abortSignal: signal }),
      );
    }
  }

  async function ensureStream(group: string, stream: string, signal: AbortSignal) {
    const key = `${group}\u0000${stream}`;
    if (ready.has(key)) return;
    const createStream = () =>
      ignoreExisting(() =>
        client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }), {
          abortSignal: signal,
        }),
      );
    try {
      await createStream();
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      // A tenant created before groups were created with tenants: create its group now.
      await createGroup(group, signal);
      await createStream();
    }
    ready.add(key);
  }

  interface SharedPoll {
    at: number;
    page: Promise<LogPage>;
  }
  const polls = new Map<string, SharedPoll>();
  const throttledUntil = new Map<string, number>();

  async function filterEvents(
    tenantId: string,
    query: LogQuery,
    since: number | undefined,
  ): Promise<LogPage> {
    const pattern = filterPattern(query);
    try {
      const page = await client.send(
        new FilterLogEventsCommand({
          logGroupName: groupOf(tenantId),
          ...(pattern ? { filterPattern: pattern } : {}),
          ...(since === undefined ? {} : { startTime: since }),
          ...(query.limit === undefined ? {} : { limit: query.limit }),
          ...(query.next_token ? { nextToken: query.next_token } : {}),
        }),
        { abortSignal: AbortSignal.timeout(QUERY_BUDGET_MS) },
      );
      const logs: ActionRunLog[] = [];
      for (const event of page.events ?? []) {
        try {
          logs.push(JSON.parse(event.message ?? '') as ActionRunLog);
        } catch {
          // Not one of ours (someone wrote into the group by hand): skip it.
        }
      }
      return page.nextToken ? { logs, next_token: page.nextToken } : { logs };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return { logs: [] };
      // Past the SDK's own retries or the budget: tell the caller when to ask again, not an error.
      if (error instanceof ThrottlingException || (error as Error).name === 'TimeoutError') {
        throttledUntil.set(tenantId, now() + THROTTLED_RETRY_AFTER_S * 1000);
        return {
          logs: [],
          ...(query.next_token ? { next_token: query.next_token } : {}),
          retry_after: THROTTLED_RETRY_AFTER_S,
        };
      }
      throw error;
    }
  }

  return {
    createTenantGroup: (tenantId) => createGroup(groupOf(tenantId)),

    async write(tenantId, events) {
      if (events.length === 0) return;
      const signal = AbortSignal.timeout(WRITE_BUDGET_MS);
      const group = groupOf(tenantId);
      const stream = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/${CONTAINER}`;
      // CloudWatch requires chronological order within a batch.
      const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
      const put = async () => {
        await ensureStream(group, stream, signal);
        for (const batch of batches(
          sorted.map((event) => ({ timestamp: event.timestamp, message: fitted(event) })),
        )) {
          await call(
            'PutLogEvents',
            { logGroupName: group, logStreamName: stream, logEvents: batch },
            signal,
          );
        }
      };
      try {
        await put();
      } catch (error) {
        // By name: the SDK's exception from ensureStream, or the same type answered to PutLogEvents.
        if ((error as Error)?.name !== 'ResourceNotFoundException') throw error;
        // The group or stream went away since this container made it: make it again, once.
        ready.delete(`${group}\u0000${stream}`);
        await put();
      }
    },

    async query(tenantId, query) {
      const at = now();
      const until = throttledUntil.get(tenantId) ?? 0;
      if (at < until) {
        return {
          logs: [],
          ...(query.next_token ? { next_token: query.next_token } : {}),
          retry_after: Math.ceil((until - at) / 1000),
        };
      }
      const since = query.since === undefined ? undefined : query.since - (query.since % SINCE_GRAIN_MS);
      const key = JSON.stringify([
        tenantId,
        query.action,
        query.trigger,
        query.execution,
        since,
        query.limit,
        query.next_token,
      ]);
      for (const [k, poll] of polls) if (at - poll.at >= QUERY_SHARED_MS) polls.delete(k);
      let poll = polls.get(key);
      if (!poll) {
        poll = { at, page: filterEvents(tenantId, query, since) };
        polls.set(key, poll);
        // A failed call is not shared with later callers.
        poll.page.catch(() => polls.delete(key));
      }
      const page = await poll.page;
      const from = query.since;
      return from === undefined ? page : { ...page, logs: page.logs.filter((log) => log.timestamp >= from) };
    },
  };
}
