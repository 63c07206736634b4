/**
 * The local event-source mapping: long-polls a queue and hands batches to an in-process handler
 * with Lambda's semantics. Success deletes the batch; with ReportBatchItemFailures only the listed
 * items stay; a throw, an invalid response or an unknown item id fails the whole batch. Failed
 * messages are left alone: they come back after the visibility timeout, and after maxReceiveCount
 * receives SQS itself moves them to the DLQ, exactly as on AWS.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { inProcessContext } from './lambda-context.ts';
import type { Logger } from './logger.ts';
import { LOCAL_ACCOUNT } from './resources.ts';

/** Like aws-lambda's SQSHandler, promise style: answer the failures, or nothing when all succeeded. */
export type SqsHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse | undefined> | Promise<void>;

export interface QueueConsumer {
  queueUrl: string;
  handler: SqsHandler;
  /** The function name shown in the handler's context and in logs. */
  name?: string;
  /** Messages per batch, 1–10 (one ReceiveMessage call). */
  batchSize?: number;
  /** Keep receiving for up to this long to fill a batch (Lambda's MaximumBatchingWindowInSeconds). */
  maximumBatchingWindowMs?: number;
  /** Lambda's `ReportBatchItemFailures` function response type; on by default, as the platform uses it. */
  reportBatchItemFailures?: boolean;
  /** Batches handled at once. */
  concurrency?: number;
  /** The handler's time budget, as seen through context.getRemainingTimeInMillis(). */
  timeoutMs?: number;
  /** Long-poll wait per ReceiveMessage call, 0–20 s. */
  waitTimeSeconds?: number;
}

export interface QueuePoller {
  stop(): Promise<void>;
}

/** How long stop() waits for batches already handed to the handler. */
const STOP_GRACE_MS = 5_000;

export function startQueuePoller(
  consumer: QueueConsumer,
  deps: { sqs: SQSClient; logger: Logger },
): QueuePoller {
  const batchSize = consumer.batchSize ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError(`batchSize must be 1..10 for the local poller, got ${batchSize}`);
  }
  const name = consumer.name ?? consumer.queueUrl.split('/').at(-1) ?? 'queue-consumer';
  const logger = deps.logger.child(`poller:${name}`);
  const abort = new AbortController();
  let queueArn: string | undefined;

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const out = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: consumer.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        // The legacy name: local-aws-sqs ignores MessageSystemAttributeNames.
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    return out.Messages ?? [];
  };

  const collectBatch = async (): Promise<Message[]> => {
    const batch = await receive(batchSize, consumer.waitTimeSeconds ?? 20);
    const windowEnds = Date.now() + (consumer.maximumBatchingWindowMs ?? 0);
    while (batch.length > 0 && batch.length < batchSize && Date.now() < windowEnds) {
      const wait = Math.min(20, Math.ceil((windowEnds - Date.now()) / 1000));
      batch.push(...(await receive(batchSize - batch.length, wait)));
    }
    return batch;
  };

  const deliver = async (messages: Message[]): Promise<void> => {
    queueArn ??= await lookupArn(deps.sqs, consumer.queueUrl);
    const records = messages.map((m) => toRecord(m, queueArn as string));
    const failed = await runHandler(records);
    const done = records.filter((r) => !failed.has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      const chunk = done.slice(i, i + 10);
      const out = await deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: consumer.queueUrl,
          Entries: chunk.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })),
        }),
      );
      if (out.Failed?.length) logger.warn('could not delete handled messages', { failed: out.Failed });
    }
  };

  /** Runs the handler; answers the message ids to keep on the queue. */
  const runHandler = async (records: SQSRecord[]): Promise<Set<string>> => {
    const all = new Set(records.map((r) => r.messageId));
    let response: unknown;
    try {
      response = await consumer.handler(
        { Records: records },
        inProcessContext(name, consumer.timeoutMs ?? 30_000),
      );
    } catch (error) {
      logger.warn('handler failed; the whole batch will be retried', { error, messages: records.length });
      return all;
    }
    if (!(consumer.reportBatchItemFailures ?? true) || response === undefined || response === null)
      return new Set();
    const failures = (response as SQSBatchResponse).batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    const ids = Array.isArray(failures) ? failures.map((f) => f?.itemIdentifier) : [undefined];
    if (ids.some((id) => typeof id !== 'string' || !all.has(id))) {
      logger.warn('invalid batchItemFailures; the whole batch will be retried', {
        batchItemFailures: failures,
      });
      return all;
    }
    return new Set(ids as string[]);
  };

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const batch = await collectBatch();
        if (batch.length > 0) await deliver(batch);
      } catch (error) {
        if (abort.signal.aborted) return;
        logger.warn('polling failed; retrying', { error });
        await sleep(1000, abort.signal);
      }
    }
  };

  const loops = Array.from({ length: consumer.concurrency ?? 1 }, () => loop());
  return {
    stop: async () => {
      abort.abort();
      const grace = new AbortController();
      await Promise.race([Promise.allSettled(loops), sleep(STOP_GRACE_MS, grace.signal)]);
      grace.abort();
    },
  };
}

async function lookupArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return (
    Attributes?.QueueArn ??
    `arn:aws:sqs:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.accountId}:${queueUrl.split('/').at(-1)}`
  );
}

/** The record shape of Lambda's SQS event. */
function toRecord(message: Message, queueArn: string): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [key, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[key] = {
      dataType: value.DataType ?? 'String',
      stringValue: value.StringValue,
      binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return {
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: message.Attributes as unknown as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_ACCOUNT.region,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
