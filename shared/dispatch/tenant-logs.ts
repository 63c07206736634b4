/**
 * One structured log event per action run, in the tenant's own log group: full console output
 * (not Auth0's 256 characters), tagged with execution, action and version for filtering.
 */
import type {
  ActionRunLog as WireActionRunLog,
  LogPage as WireLogPage,
  LogQuery as WireLogQuery,
} from '../client/wire.ts';
import type { ActionExecution } from '../flow/types.ts';
import type { TriggerId } from '../triggers/ids.ts';

/** One action run in the tenant's log group: the wire's record, with the trigger id typed. */
export type ActionRunLog = Omit<WireActionRunLog, 'trigger_id'> & { trigger_id: TriggerId };

export type LogQuery = WireLogQuery;

/** A page of runs; `retry_after` when CloudWatch's read quota is spent (not an error). */
export type LogPage = Omit<WireLogPage, 'logs'> & { logs: ActionRunLog[] };

export interface TenantLogSink {
  /** The tenant's log group with its retention, made when the tenant is; safe to repeat. */
  createTenantGroup(tenantId: string): Promise<void>;
  write(tenantId: string, events: ActionRunLog[]): Promise<void>;
  query(tenantId: string, query: LogQuery): Promise<LogPage>;
}

export function actionRunLogs(
  tenantId: string,
  triggerId: TriggerId,
  executionId: string,
  executions: readonly ActionExecution[],
): ActionRunLog[] {
  return executions.map((run) => ({
    tenant_id: tenantId,
    trigger_id: triggerId,
    execution_id: executionId,
    action_id: run.action_id,
    action_name: run.action_name,
    ...(run.version_id === undefined ? {} : { version_id: run.version_id }),
    entrypoint: run.entrypoint,
    level: run.error ? 'error' : 'info',
    message: run.error
      ? `${run.action_name} failed (${run.error.class}): ${run.error.message}`
      : `${run.action_name} ran in ${Math.round(run.duration_ms)} ms`,
    duration_ms: run.duration_ms,
    logs: run.logs.map((l) => ({ level: l.level, message: l.message, at: new Date(l.at).toISOString() })),
    ...(run.error
      ? { error: { class: run.error.class, name: run.error.name, message: run.error.message } }
      : {}),
    timestamp: run.started_at,
  }));
}
