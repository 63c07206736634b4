/**
 * Tenant logs in CloudWatch Logs: one log group per tenant (`<prefix>/<stage>/<tenant>`), one
 * stream per container and day. Groups and streams are created on first use and remembered.
 */

import { randomBytes } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ActionRunLog, LogQuery, TenantLogSink } from '../dispatch/tenant-logs.ts';

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

export function cloudWatchTenantLogs(
  options: { groupPrefix: string; stage: string; retentionDays?: number },
  client: CloudWatchLogsClient = new CloudWatchLogsClient({}),
): TenantLogSink {
  const ready = new Set<string>();
  const groupOf = (tenantId: string) => `${options.groupPrefix}/${options.stage}/${tenantId}`;

  async function ignoreExisting(create: () => Promise<unknown>) {
    try {
      await create();
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    }
  }

  async function ensureStream(group: string, stream: string) {
    const key = `${group}\u0000${stream}`;
    if (ready.has(key)) return;
    try {
      await client.send(new CreateLogGroupCommand({ logGroupName: group }));
      // A new tenant group gets the platform's retention (Auth0 keeps execution logs 10 days).
      if (options.retentionDays) {
        await client.send(
          new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: options.retentionDays }),
        );
      }
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    }
    await ignoreExisting(() =>
      client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })),
    );
    ready.add(key);
  }

  return {
    async write(tenantId, events) {
      if (events.length === 0) return;
      const group = groupOf(tenantId);
      const stream = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/${CONTAINER}`;
      await ensureStream(group, stream);
      // CloudWatch requires chronological order within a batch.
      const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
      for (const batch of batches(
        sorted.map((event) => ({ timestamp: event.timestamp, message: fitted(event) })),
      )) {
        await client.send(
          new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch }),
        );
      }
    },

    async query(tenantId, query) {
      const pattern = filterPattern(query);
      try {
        const page = await client.send(
          new FilterLogEventsCommand({
            logGroupName: groupOf(tenantId),
            ...(pattern ? { filterPattern: pattern } : {}),
            ...(query.since === undefined ? {} : { startTime: query.since }),
            ...(query.limit === undefined ? {} : { limit: query.limit }),
            ...(query.next_token ? { nextToken: query.next_token } : {}),
          }),
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
        throw error;
      }
    },
  };
}
