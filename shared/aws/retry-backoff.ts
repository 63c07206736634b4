/**
 * Exponential backoff for SQS redelivery: instead of waiting out the whole visibility timeout, a
 * failed message becomes visible again after 1, 2, 4... seconds (capped), so transient trouble is
 * retried quickly and a poison message reaches its DLQ in seconds, not minutes.
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

export const MAX_BACKOFF_SECONDS = 60;

export function backoffSeconds(receiveCount: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, receiveCount - 1));
}

export async function delayRedelivery(
  sqs: SQSClient,
  queueUrl: string,
  receiptHandle: string,
  receiveCount: number,
) {
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: backoffSeconds(receiveCount),
    }),
  );
}
