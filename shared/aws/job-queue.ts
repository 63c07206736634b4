/** A queue of JSON jobs (builds, async trigger executions), backed by SQS. */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface JobQueue<T> {
  send(job: T, options?: { groupId?: string }): Promise<void>;
}

export function sqsJobQueue<T>(queueUrl: string, client: SQSClient = new SQSClient({})): JobQueue<T> {
  return {
    async send(job) {
      if (!queueUrl) throw new Error('No queue URL is configured for this job queue.');
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));
    },
  };
}
