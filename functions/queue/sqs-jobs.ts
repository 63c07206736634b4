/**
 * The one SQS job handler behind the platform's queue workers (builder, async worker). middy runs
 * the pipeline: Powertools' logger middleware puts the invocation's ids on every log line, and
 * middy's abort signal fires just before Lambda's timeout. Powertools' batch processor runs the
 * records and answers the partial batch response the event source mapping asks for
 * (`ReportBatchItemFailures`): a job that throws is handed back to SQS alone, the rest of its batch
 * is acknowledged. What stays here is what the queues need of their own:
 *
 * - every body is validated against its job schema before it runs. One that does not match is
 *   never run and is reported failed, so it rests in the DLQ after the queue's receives (its alarm
 *   tells the operator, who can redrive it once a deploy that skewed the message shape settles);
 * - a job that fails tells `onFailure` first, so the worker can choose when SQS hands it back
 *   (sooner than the visibility timeout, or after another delivery's lease) or record its end.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';

/** A message body that is not a job of this queue. */
export class InvalidJobError extends Error {
  override name = 'InvalidJobError';
}

/** One delivery of one job. */
export interface JobDelivery {
  record: SQSRecord;
  /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
  receives: number;
  context: Context;
  /** Aborted just before the invocation's own timeout (middy's). */
  invocation: AbortSignal;
}

export interface SqsJobHandlerOptions<Job> {
  logger: Logger;
  /** What a message body must be. */
  schema: z.ZodType<Job>;
  /** Jobs of one batch run side by side, or one after another (builds share CPU and /tmp). */
  inParallel: boolean;
  /** Runs one job; a throw hands its message back to SQS. */
  run(job: Job, delivery: JobDelivery): Promise<void>;
  /** Told of a job that threw, before its message is reported failed; never throws. */
  onFailure(job: Job, error: unknown, delivery: JobDelivery): Promise<void>;
}

function parseJob<Job>(schema: z.ZodType<Job>, body: string): Job {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidJobError('the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidJobError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
    );
  }
  return parsed.data;
}

export function sqsJobHandler<Job>(options: SqsJobHandlerOptions<Job>) {
  const { logger, schema, inParallel, run, onFailure } = options;
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (event, context, { signal }) => {
      const runRecord = async (record: SQSRecord): Promise<void> => {
        const delivery: JobDelivery = {
          record,
          receives: Number(record.attributes?.ApproximateReceiveCount ?? 1),
          context,
          invocation: signal,
        };
        let job: Job;
        try {
          job = parseJob(schema, record.body);
        } catch (error) {
          logger.error('Not a job of this queue; it is left to the DLQ', {
            messageId: record.messageId,
            receives: delivery.receives,
            body: record.body.slice(0, 1_000),
            error: error as Error,
          });
          throw error;
        }
        try {
          await run(job, delivery);
        } catch (error) {
          await onFailure(job, error, delivery);
          throw error;
        }
      };
      // A processor per invocation: it holds the batch's state, and the local stack runs
      // invocations of one handler side by side.
      return processPartialResponse(event, runRecord, new BatchProcessor(EventType.SQS), {
        context,
        processInParallel: inParallel,
        // A batch that failed whole is answered like any other: the failures are listed, and SQS
        // hands back exactly those (throwing would make Lambda retry the batch the same way).
        throwOnFullBatchFailure: false,
      });
    });
}
