/**
 * The tenant's own log: one structured event per action run in the tenant's log group, full
 * console output (not Auth0's 256 characters), tagged with execution, action and version for
 * filtering. Adapters: CloudWatch Logs (shared/aws/cloudwatch-tenant-logs.ts) and in memory
 * (shared/memory/tenant-logs.ts).
 */
import type {
  ActionRunLog as WireActionRunLog,
  LogPage as WireLogPage,
  LogQuery as WireLogQuery,
} from '../client/wire.ts';
import type { TriggerId } from '../triggers/ids.ts';

/** One action run in the tenant's log group: the wire's record, with the trigger id typed. */
export type ActionRunLog = Omit<WireActionRunLog, 'trigger_id'> & { trigger_id: TriggerId };

export type LogQuery = WireLogQuery;

/** A page of runs; `retry_after` when CloudWatch's read quota is spent (not an error). */
export type LogPage = Omit<WireLogPage, 'logs'> & { logs: ActionRunLog[] };

export interface TenantLogSink {
  /** The tenant's log group with its retention, made when the tenant is; safe to repeat. */
  createTenantGroup(tenantId: string): Promise<void>;
  /** Keeps the runs in the tenant's group, making the group if it is missing; nothing for no runs. */
  write(tenantId: string, events: ActionRunLog[]): Promise<void>;
  /**
   * The tenant's runs (never another tenant's), oldest first: those whose action name, trigger and
   * execution equal the query's (each only when given) and that started at `since` or later; at
   * most `limit` a page, with `next_token` while more may follow. A tenant with no group answers
   * an empty page. A read may lag a write by a moment (CloudWatch ingests asynchronously, and its
   * adapter lets identical queries share one answer briefly).
   */
  query(tenantId: string, query: LogQuery): Promise<LogPage>;
}
