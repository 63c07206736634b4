/**
 * Lambda handler of the builder: consumes build jobs from SQS, one record at a time, reporting
 * partial batch failures so only the failed jobs are retried (and land in the DLQ after N tries).
 * A job that fails for the platform's reasons (a crash, a service down) is retried after 1, 2, 4 s
 * rather than the queue's 5-minute visibility; on its last delivery the build is recorded `failed`
 * so the action never stays `building` forever. A job that runs too close to the function's own
 * timeout stops waiting and counts as failed, so even the last delivery gets to record that.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  type BuilderContext,
  processBuildJob,
  recordPlatformBuildFailure,
} from '../../shared/actions/builds.ts';
import type { BuildJob } from '../../shared/actions/context.ts';
import { delayRedelivery } from '../../shared/aws/retry-backoff.ts';
import { isTransientAwsError } from '../../shared/aws/transient-errors.ts';
import { buildAction } from '../../shared/build/build-action.ts';
import { lazyPlatform, type Platform } from '../platform.ts';

const logger = new Logger({ serviceName: 'hookchain-builder' });
function builderContext(platform: Platform): BuilderContext {
  const { actions, config } = platform;
  return {
    ...actions,
    bundle: (input) =>
      buildAction(
        {
          code: input.code,
          dependencies: input.dependencies,
          runtime: input.runtime === 'node18' ? 'node18' : 'node22',
          modules: input.modules,
        },
        {
          registry: config.npmRegistry,
          cacheDir: config.buildCacheDir,
          // A bundled builder (Lambda) ships the runtime entry pre-bundled next to its handler.
          ...(config.runtimeEntry ? { entryPoint: config.runtimeEntry } : {}),
        },
      ),
  };
}

/** Time kept back from the function's own timeout to record a build that ran out of it. */
const TIMEOUT_RESERVE_MS = 15_000;

class BuildTimeoutError extends Error {
  override name = 'BuildTimeoutError';
}

/** Runs the job, giving up (not cancelling) once only the reserve of the function's time is left. */
async function withinTime(work: Promise<void>, context: Context): Promise<void> {
  // A bare context (a direct call in a test) has no clock: nothing to stay within.
  if (typeof context?.getRemainingTimeInMillis !== 'function') return work;
  const budget = context.getRemainingTimeInMillis() - TIMEOUT_RESERVE_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BuildTimeoutError(`the builder ran out of time after ${Math.round(budget / 1000)} s`)),
      Math.max(0, budget),
    );
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createBuilderHandler(platform: () => Platform) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event, context) => {
    const { sqs, config } = platform();
    const ctx = builderContext(platform());
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      let job: BuildJob;
      try {
        job = JSON.parse(record.body) as BuildJob;
      } catch {
        logger.error('Dropping a malformed build job', { messageId: record.messageId });
        continue;
      }
      try {
        await withinTime(processBuildJob(ctx, job), context);
        logger.info('Build job done', { job });
      } catch (error) {
        batchItemFailures.push({ itemIdentifier: record.messageId });
        const receives = Number(record.attributes?.ApproximateReceiveCount ?? 1);
        if (receives < config.buildMaxReceives) {
          logger.error('Build job failed; it will be retried', { job, receives, error: error as Error });
          await delayRedelivery(sqs, config.buildQueueUrl, record.receiptHandle, receives).catch(
            (e: unknown) => logger.warn('Could not shorten the redelivery delay', { error: e as Error }),
          );
          continue;
        }
        // The last delivery: SQS parks the job in the DLQ (a redrive rebuilds); the action must
        // not say `building` meanwhile.
        logger.error('Build job failed on its last delivery; recording the build as failed', {
          job,
          receives,
          error: error as Error,
        });
        const reason =
          error instanceof BuildTimeoutError
            ? error.message
            : isTransientAwsError(error)
              ? 'a platform service stayed unavailable'
              : 'the builder failed unexpectedly';
        await recordPlatformBuildFailure(ctx, job, reason).catch((e: unknown) =>
          logger.error('Could not record the failed build', { job, error: e as Error }),
        );
      }
    }
    return { batchItemFailures };
  });
}

export const handler = createBuilderHandler(lazyPlatform());
