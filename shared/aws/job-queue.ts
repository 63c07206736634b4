/** A queue of JSON jobs (builds, async trigger executions), backed by SQS. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface JobQueue<T> {
  /** `delaySeconds` (0-900): SQS delivers the job no sooner. */
  send(job: T, options?: { groupId?: string; delaySeconds?: number }): Promise<void>;
}

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
