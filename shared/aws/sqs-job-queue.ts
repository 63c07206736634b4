/** The job queue port (shared/ports/job-queue.ts) on SQS. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueue } from '../ports/job-queue.ts';

export function sqsJobQueue<T>(queueUrl: string, client: SQSClient = new SQSClient({})): JobQueue<T> {
  return {
    async send(job, options) {
      if (!queueUrl) throw new Error('No queue URL is configured for this job queue.');
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(job),
          ...(options?.delaySeconds ? { DelaySeconds: options.delaySeconds } : {}),
        }),
      );
    },
  };
}
