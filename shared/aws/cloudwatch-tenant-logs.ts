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
      await client.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          // CloudWatch requires chronological order within a batch.
          logEvents: [...events]
            .sort((a, b) => a.timestamp - b.timestamp)
            .map((event) => ({ timestamp: event.timestamp, message: JSON.stringify(event) })),
        }),
      );
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
