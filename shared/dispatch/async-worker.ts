/**
 * Runs async trigger executions delivered by SQS. SQS delivers at least once, sometimes twice at
 * the same time, so a delivery first claims the execution: a conditional write takes a lease on
 * the `pending` execution (holder, expiry). Only the holder runs the chain; completing it is a
 * conditional write too, so a later redelivery finds it finished and is acknowledged. A delivery
 * that finds another's live lease hands its message back until the lease ends (ExecutionBusyError):
 * by then the chain has finished, or its holder crashed and this delivery takes over. The lease
 * outlives the holder's whole invocation, so two live runs of one execution never overlap.
 *
 * What is retried: a thrown exception is the action's own, deterministic doing; it is recorded
 * (`partial`) and not retried. A sandbox crash (process exit, memory, timeout kill), a throttle or
 * a platform error may pass, so the lease is given up and the whole execution is retried; after
 * the queue's receive limit the message rests in the DLQ, and the execution stays `pending` with
 * its attempts counted, until a redrive runs it again. Once the chain ran, nothing else (its logs
 * failing to be written) makes it run again.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ChainOutcome } from '../flow/types.ts';
import { type AsyncJob, type DispatchContext, executionResults, runRecordedChain } from './dispatcher.ts';

/** A trigger queue message, as the dispatcher sends it; the worker runs only a body that matches. */
export const asyncJobSchema = z.object({
  tenant_id: z.string().min(1),
  execution_id: z.string().min(1),
  trigger_id: z.string().min(1),
}) satisfies z.ZodType<AsyncJob>;

export class RetryableExecutionError extends Error {
  override name = 'RetryableExecutionError';
}

/** Another delivery of the same execution holds its lease; try again once it ends. */
export class ExecutionBusyError extends Error {
  override name = 'ExecutionBusyError';
  constructor(
    executionId: string,
    /** Epoch ms when the other delivery's lease ends. */
    readonly until: number,
  ) {
    super(`Execution ${executionId} is being run by another delivery`);
  }
}

export type AsyncOutcome = 'completed' | 'skipped';

export interface AsyncJobOptions {
  /** How long this delivery's lease lasts: longer than anything this delivery can still take. */
  leaseMs: number;
  /** Told when the run's logs could not be written (the run itself stands). */
  onLogsLost?: (error: unknown) => void;
}

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

export async function runAsyncJob(
  ctx: DispatchContext,
  job: AsyncJob,
  options: AsyncJobOptions,
): Promise<AsyncOutcome> {
  const holder = randomUUID();
  const now = ctx.now();
  const claim = await ctx.store.executions.claim(job.tenant_id, job.execution_id, {
    holder,
    now,
    until: now + options.leaseMs,
  });
  if (claim.outcome === 'done') return 'skipped';
  if (claim.outcome === 'held') throw new ExecutionBusyError(job.execution_id, claim.until);
  const execution = claim.execution;

  let outcome: ChainOutcome;
  try {
    // Told, then passed on: the run's log writer counts it (TenantLogWriteFailed) and goes on.
    const logs = {
      ...ctx.logs,
      write: (tenantId: string, events: Parameters<typeof ctx.logs.write>[1]) =>
        ctx.logs.write(tenantId, events).catch((error: unknown) => {
          options.onLogsLost?.(error);
          throw error;
        }),
    };
    outcome = await runRecordedChain({ ...ctx, logs }, execution);
  } catch (error) {
    await ctx.store.executions.release(job.tenant_id, job.execution_id, holder).catch(() => undefined);
    throw error;
  }
  const transient = transientFailure(outcome);
  if (transient) {
    await ctx.store.executions.release(job.tenant_id, job.execution_id, holder).catch(() => undefined);
    throw new RetryableExecutionError(`Execution ${execution.id} will be retried: ${transient}`);
  }
  await ctx.store.executions.complete(job.tenant_id, job.execution_id, {
    status: outcome.status === 'partial' ? 'partial' : 'final',
    results: executionResults(outcome),
    updated_at: new Date(ctx.now()).toISOString(),
  });
  return 'completed';
}
