/** A chain's runs as the tenant's log events (shared/ports/tenant-logs.ts), one per action run. */
import type { ActionExecution } from '../flow/types.ts';
import type { ActionRunLog } from '../ports/tenant-logs.ts';
import type { TriggerId } from '../triggers/ids.ts';

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
