/**
 * Moves messages from a dead-letter queue back to its source queue. Plain receive/send/delete
 * works everywhere (AWS, LocalStack, the local stack), unlike SQS's message-move tasks. SQS may
 * hand the same message out twice (at-least-once), so a message already moved in this run is only
 * deleted, not sent again; `moved` counts distinct messages.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export async function redrive(sqs: SQSClient, from: string, to: string, max = 1000): Promise<number> {
  const movedIds = new Set<string>();
  while (movedIds.size < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: from,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) break;
    const fresh = Messages.filter((m) => !m.MessageId || !movedIds.has(m.MessageId));
    if (fresh.length > 0) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: to,
          Entries: fresh.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
        }),
      );
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: from,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
    for (const [i, m] of fresh.entries()) movedIds.add(m.MessageId ?? `unnamed-${movedIds.size}-${i}`);
  }
  return movedIds.size;
}
