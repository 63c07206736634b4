/** An execution as `GET /api/v2/actions/executions/{id}` shows it: Auth0's shape, plus Hookchain's details. */
import type { Execution } from '../client/wire.ts';
import type { ExecutionRecord } from '../model/executions.ts';

export function executionView(execution: ExecutionRecord) {
  return {
    id: execution.id,
    trigger_id: execution.trigger_id,
    status: execution.status,
    results: execution.results.map((result) => ({
      action_name: result.action_name,
      action_id: result.action_id,
      ...(result.version_id ? { version_id: result.version_id } : {}),
      error: result.error ? { id: result.error.class, msg: result.error.message, url: '' } : null,
      started_at: result.started_at,
      ended_at: result.ended_at,
      response: {
        ...(result.error ? { error: { name: result.error.name, message: result.error.message } } : {}),
        stats: {
          action_duration_ms: Math.round(result.stats.duration_ms),
          boot_duration_ms: Math.round(result.stats.boot_ms),
          total_request_duration_ms: Math.round(result.duration_ms),
        },
      },
    })),
    ...(execution.attempts ? { attempts: execution.attempts } : {}),
    created_at: execution.created_at,
    updated_at: execution.updated_at,
  } satisfies Execution;
}
