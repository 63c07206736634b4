/** Lambda handler of the async worker: runs post-user-registration / post-change-password chains from SQS. */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { delayRedelivery } from '../../shared/aws/retry-backoff.ts';
import { runAsyncJob } from '../../shared/dispatch/async-worker.ts';
import type { AsyncJob } from '../../shared/dispatch/dispatcher.ts';
import { lazyPlatform, type Platform } from '../platform.ts';

const logger = new Logger({ serviceName: 'hookchain-async-worker' });
export function createAsyncWorkerHandler(platform: () => Platform) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const { dispatch, sqs, config } = platform();
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    // Executions of one batch are independent: run them side by side.
    await Promise.all(
      event.Records.map(async (record) => {
        let job: AsyncJob;
        try {
          job = JSON.parse(record.body) as AsyncJob;
        } catch {
          logger.error('Dropping a malformed async job', { messageId: record.messageId });
          return;
        }
        try {
          const outcome = await runAsyncJob(dispatch, job);
          logger.info('Async execution handled', { execution_id: job.execution_id, outcome });
        } catch (error) {
          logger.warn('Async execution failed; SQS will redeliver it', {
            execution_id: job.execution_id,
            error: error as Error,
          });
          batchItemFailures.push({ itemIdentifier: record.messageId });
          const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? 1);
          await delayRedelivery(sqs, config.triggerQueueUrl, record.receiptHandle, receiveCount).catch(
            (e: unknown) => logger.warn('Could not shorten the redelivery delay', { error: e as Error }),
          );
        }
      }),
    );
    return { batchItemFailures };
  });
}

export const handler = createAsyncWorkerHandler(lazyPlatform());
