/**
 * `POST /actions/{id}/test`: runs the draft's own function (never a live version) on a payload,
 * through the same chain rules as production, and answers Auth0-style with the outcome inside
 * `payload`: HTTP 200 even when the action threw.
 */
import { ulid } from 'ulid';
import { ValidationError } from '../errors.ts';
import { executeChain } from '../flow/execute-chain.ts';
import { functionRunner } from '../flow/function-runner.ts';
import { loadPinnedModules } from '../modules/pins.ts';
import { getTrigger } from '../triggers/registry.ts';
import { isPlainObject } from '../triggers/values.ts';
import type { ActionsContext } from './context.ts';
import { requireAction } from './drafts.ts';
import { readSecrets } from './secrets.ts';

export async function testDraft(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  payload: Record<string, unknown>,
) {
  const action = await requireAction(ctx, tenantId, actionId);
  if (action.status !== 'built' || !action.draft_function) {
    throw new ValidationError(
      "A draft must be in the 'built' state before it can be tested.",
      'draft_not_built',
    );
  }
  const trigger = getTrigger(action.supported_triggers[0]?.id as string);
  // Auth0's own tools send { event: {...} }; the dashboard may send the event itself.
  const event = trigger.parseEvent(isPlainObject(payload.event) ? payload.event : payload);
  const draftFunction = action.draft_function;
  const modules = await loadPinnedModules(ctx, tenantId, action.modules ?? []);
  const moduleSecrets = await Promise.all(modules.map((m) => readSecrets(ctx.cipher, m.secrets)));
  const started = performance.now();
  const outcome = await executeChain({
    trigger,
    actions: [
      {
        id: action.id,
        name: action.name,
        secrets: await readSecrets(ctx.cipher, action.secrets),
        ...(modules.length > 0
          ? {
              module_secrets: Object.fromEntries(
                modules.map((m, i) => [m.module_name, moduleSecrets[i] ?? {}]),
              ),
            }
          : {}),
        ...(action.configuration ? { configuration: action.configuration } : {}),
      },
    ],
    event,
    runner: functionRunner(ctx.functions, () => draftFunction),
    execution_id: ulid(),
  });
  const total = Math.round(performance.now() - started);
  const run = outcome.executions[0];
  return {
    payload: {
      status: outcome.status,
      result: outcome.result,
      commands: run?.commands ?? [],
      logs: run?.logs.map((l) => ({ ...l, at: new Date(l.at).toISOString() })) ?? [],
      ...(run?.error
        ? { error: { name: run.error.name, message: run.error.message, stack: run.error.stack } }
        : {}),
      stats: {
        total_request_duration_ms: total,
        total_runtime_execution_duration_ms: Math.round(run?.duration_ms ?? 0),
        action_duration_ms: Math.round(run?.stats.duration_ms ?? 0),
        boot_duration_ms: Math.round(run?.stats.boot_ms ?? 0),
        runtime_processing_duration_ms: Math.max(
          0,
          Math.round((run?.duration_ms ?? 0) - (run?.stats.duration_ms ?? 0)),
        ),
      },
    },
  };
}
