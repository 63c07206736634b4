/** Lambda handler of the async worker: runs post-user-registration / post-change-password chains from SQS. */
import { Logger } from '@aws-lambda-powertools/logger';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { delayRedelivery } from '../../shared/aws/retry-backoff.ts';
import { asyncJobSchema, ExecutionBusyError, runAsyncJob } from '../../shared/dispatch/async-worker.ts';
import { DEFAULT_BUDGET_MS } from '../../shared/flow/execute-chain.ts';
import { lazyPlatform, type Platform } from '../platform.ts';
import { sqsJobHandler } from '../queue/sqs-jobs.ts';

const logger = new Logger({ serviceName: 'hookchain-async-worker' });

/** A lease outlives its holder's invocation by this much (clock skew, the last write's round trip). */
const LEASE_MARGIN_MS = 10_000;
/** SQS's longest visibility timeout. */
const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

export function createAsyncWorkerHandler(platform: () => Platform) {
  return sqsJobHandler({
    logger,
    schema: asyncJobSchema,
    // Executions of one batch are independent: run them side by side.
    inParallel: true,
    async run(job, { context }) {
      const { dispatch } = platform();
      // This invocation cannot outlive its timeout (nor a chain its budget): after that, a
      // redelivery may take the execution over from a holder that must have died.
      const leaseMs =
        Math.max(context.getRemainingTimeInMillis(), dispatch.budgetMs ?? DEFAULT_BUDGET_MS) +
        LEASE_MARGIN_MS;
      const outcome = await runAsyncJob(dispatch, job, {
        leaseMs,
        onLogsLost: (error) =>
          logger.warn('Could not write the execution logs', {
            execution_id: job.execution_id,
            error: error as Error,
          }),
      });
      logger.info('Async execution handled', { execution_id: job.execution_id, outcome });
    },
    async onFailure(job, error, { record, receives }) {
      const { dispatch, sqs, config } = platform();
      if (error instanceof ExecutionBusyError) {
        // A duplicate delivery: hand the message back until the holder's lease ends. By then
        // the execution is finished (the redelivery is acknowledged) or the holder crashed
        // (the redelivery runs it).
        logger.info('Async execution running elsewhere; redelivery after its lease', {
          execution_id: job.execution_id,
        });
        const seconds = Math.ceil((error.until - dispatch.now()) / 1000) + 1;
        await sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: config.triggerQueueUrl,
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: Math.min(Math.max(seconds, 1), MAX_VISIBILITY_SECONDS),
            }),
          )
          // Already deleted by the holder that finished: nothing to hand back.
          .catch(() => undefined);
        return;
      }
      logger.warn('Async execution failed; SQS will redeliver it', {
        execution_id: job.execution_id,
        error: error as Error,
      });
      await delayRedelivery(sqs, config.triggerQueueUrl, record.receiptHandle, receives).catch((e: unknown) =>
        logger.warn('Could not shorten the redelivery delay', { error: e as Error }),
      );
    },
  });
}

export const handler = createAsyncWorkerHandler(lazyPlatform());
