/**
 * Runs async trigger executions delivered by SQS. At-least-once delivery meets an idempotency
 * guard: only a `pending` execution runs, and completing it is a conditional write, so a
 * redelivered message never runs a completed execution twice.
 *
 * What is retried: a thrown exception is the action's own, deterministic doing; it is recorded
 * (`partial`) and not retried. A sandbox crash (process exit, memory, timeout kill), a throttle or
 * a platform error may pass, so the whole execution is retried; after the queue's receive limit
 * the message rests in the DLQ, and the execution stays `pending` with its attempts counted, until
 * a redrive runs it again.
 */
import type { ChainOutcome } from '../flow/types.ts';
import { type AsyncJob, type DispatchContext, executionResults, runRecordedChain } from './dispatcher.ts';

export class RetryableExecutionError extends Error {
  override name = 'RetryableExecutionError';
}

export type AsyncOutcome = 'completed' | 'skipped';

function transientFailure(outcome: ChainOutcome): string | undefined {
  const failure = outcome.executions.find(
    (run) =>
      run.error &&
      (run.error.class === 'platform_error' ||
        run.error.class === 'rate_limited' ||
        run.error.name === 'RuntimeCrash'),
  );
  return failure?.error ? `${failure.action_name}: ${failure.error.message}` : undefined;
}

export async function runAsyncJob(ctx: DispatchContext, job: AsyncJob): Promise<AsyncOutcome> {
  const nowSeconds = Math.floor(ctx.now() / 1000);
  const execution = await ctx.store.executions.get(job.tenant_id, job.execution_id, nowSeconds);
  if (execution?.status !== 'pending') return 'skipped';
  await ctx.store.executions.markAttempt(job.tenant_id, job.execution_id);
  const outcome = await runRecordedChain(ctx, execution);
  const transient = transientFailure(outcome);
  if (transient) throw new RetryableExecutionError(`Execution ${execution.id} will be retried: ${transient}`);
  await ctx.store.executions.complete(job.tenant_id, job.execution_id, {
    status: outcome.status === 'partial' ? 'partial' : 'final',
    results: executionResults(outcome),
    updated_at: new Date(ctx.now()).toISOString(),
  });
  return 'completed';
}
