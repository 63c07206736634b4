/**
 * One structured log event per action run, in the tenant's own log group: full console output
 * (not Auth0's 256 characters), tagged with execution, action and version for filtering.
 */
import type { ActionExecution } from '../flow/types.ts';
import type { TriggerId } from '../triggers/ids.ts';

export interface ActionRunLog {
  tenant_id: string;
  trigger_id: TriggerId;
  execution_id: string;
  action_id: string;
  action_name: string;
  version_id?: string;
  entrypoint: string;
  level: 'info' | 'error';
  /** A one-line summary; `logs` holds every console line the action wrote. */
  message: string;
  duration_ms: number;
  logs: Array<{ level: string; message: string; at: string }>;
  error?: { class: string; name: string; message: string };
  /** Epoch ms of the action's start. */
  timestamp: number;
}

export interface LogQuery {
  action?: string;
  trigger?: string;
  execution?: string;
  /** Epoch ms. */
  since?: number;
  limit?: number;
  next_token?: string;
}

export interface LogPage {
  logs: ActionRunLog[];
  next_token?: string;
  /**
   * Seconds to wait before asking again: CloudWatch's read quota is spent, so this page may be
   * empty or short. Not an error; clients poll again after it.
   */
  retry_after?: number;
}

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
