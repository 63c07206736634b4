/**
 * Lambda handler of the builder: consumes build jobs from SQS, one record at a time, reporting
 * partial batch failures so only the failed jobs are retried (and land in the DLQ after N tries).
 * A job that fails for the platform's reasons (a crash, a service down) is retried after 1, 2, 4 s
 * rather than the queue's 5-minute visibility; on its last delivery the build is recorded `failed`
 * so the action never stays `building` forever. A job that runs too close to the function's own
 * timeout is aborted (the build stops: its registry requests are cancelled and no further step
 * runs, so nothing of it runs on into the next invocation) and counts as failed at once, so even
 * the last delivery gets to record that.
 */

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import {
  type BuilderContext,
  processBuildJob,
  recordPlatformBuildFailure,
} from '../../shared/actions/builds.ts';
import { buildJobSchema } from '../../shared/actions/context.ts';
import { type RecentBundles, recentBundles } from '../../shared/actions/recent-bundles.ts';
import { delayRedelivery } from '../../shared/aws/retry-backoff.ts';
import { isTransientAwsError } from '../../shared/aws/transient-errors.ts';
import { buildAction } from '../../shared/build/build-action.ts';
import { prebundledRuntimeEntry } from '../../shared/build/runtime-entry.ts';
import { lazyPlatform, type Platform } from '../platform.ts';
import { sqsJobHandler } from '../queue/sqs-jobs.ts';

const logger = new Logger({ serviceName: 'hookchain-builder' });

/** Bundles kept per builder container (one handler per container on Lambda). */
const RECENT_BUNDLES_MAX_BYTES = 64 * 1024 * 1024;

function builderContext(platform: Platform, bundles: RecentBundles, signal: AbortSignal): BuilderContext {
  const { actions, config } = platform;
  return {
    ...actions,
    bundle: (input) =>
      bundles.get(input, async () =>
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
            cacheMaxBytes: config.buildCacheMaxMb * 1024 * 1024,
            bundleLimits: {
              zippedBytes: config.bundleMaxZippedBytes,
              unzippedBytes: config.bundleMaxUnzippedBytes,
            },
            signal,
            // A bundled builder (Lambda) ships the runtime entry pre-bundled next to its handler;
            // elsewhere it is pre-bundled once per process, the same way.
            entryPoint:
              config.runtimeEntry ??
              (await prebundledRuntimeEntry(path.join(config.buildCacheDir, 'runtime'))),
          },
        ),
      ),
  };
}

/** Time kept back from the function's own timeout to record a build that ran out of it. */
const TIMEOUT_RESERVE_MS = 15_000;

class BuildTimeoutError extends Error {
  override name = 'BuildTimeoutError';
}

export interface BuilderHandlerOptions {
  /**
   * Resolves once a job's time is up, `budgetMs` after it started (a timer); the job has ended
   * when `ended` aborts. Tests end the time on an event instead of a clock.
   */
  timeUp?: (budgetMs: number, ended: AbortSignal) => Promise<void>;
}

const timer = (budgetMs: number, ended: AbortSignal) => sleep(budgetMs, undefined, { signal: ended });

/**
 * Runs one job under its own abort signal, aborted once only the reserve of the function's time is
 * left, or when the invocation itself is aborted (middy's signal, just before Lambda's timeout).
 * The build stops on it; a step that cannot be cancelled is no longer waited for.
 *
 * Not middy's `timeoutEarlyInMillis`: its early response answers for the whole invocation, where
 * a job that ran out of time still has to be recorded and reported as a partial batch failure.
 */
async function withinTime(
  run: (signal: AbortSignal) => Promise<void>,
  context: Context,
  invocation: AbortSignal,
  timeUp: NonNullable<BuilderHandlerOptions['timeUp']>,
): Promise<void> {
  const job = new AbortController();
  const ended = new AbortController();
  const stopInvocation = () =>
    job.abort(new BuildTimeoutError('the builder was stopped at the end of its invocation'));
  invocation.addEventListener('abort', stopInvocation, { once: true });
  // A bare context (a direct call in a test) has no clock: only the invocation's signal applies.
  if (typeof context?.getRemainingTimeInMillis === 'function') {
    const budget = Math.max(0, context.getRemainingTimeInMillis() - TIMEOUT_RESERVE_MS);
    timeUp(budget, ended.signal).then(
      () =>
        job.abort(new BuildTimeoutError(`the builder ran out of time after ${Math.round(budget / 1000)} s`)),
      () => {}, // the job ended first
    );
  }
  const stopped = new Promise<never>((_, reject) => {
    job.signal.addEventListener('abort', () => reject(job.signal.reason), { once: true });
  });
  stopped.catch(() => {}); // settles the race below, or never: nobody else waits on it
  try {
    await Promise.race([run(job.signal), stopped]);
  } finally {
    ended.abort();
    invocation.removeEventListener('abort', stopInvocation);
  }
}

/**
 * Every version ever built keeps its code in the account's Lambda code storage until pruned: after
 * each build, publish how full it is (the stack alarms at 80 %). Best effort: a failed read never
 * fails a build.
 */
async function reportCodeStorage({ functions, metrics, config }: Platform): Promise<void> {
  try {
    const { usedBytes, limitBytes } = await functions.codeStorage();
    if (limitBytes > 0)
      metrics.record('LambdaCodeStorageUsedPercent', 'Percent', (100 * usedBytes) / limitBytes, {
        Stage: config.stage,
      });
  } catch (error) {
    logger.warn('Could not read the account code storage', { error: error as Error });
  }
}

export function createBuilderHandler(
  platform: () => Platform,
  { timeUp = timer }: BuilderHandlerOptions = {},
) {
  // A deploy's version reuses the bundle its draft's build just made in this container.
  const bundles = recentBundles({ maxBytes: RECENT_BUNDLES_MAX_BYTES });
  return sqsJobHandler({
    logger,
    schema: buildJobSchema,
    // One build at a time: esbuild and npm installs are CPU-bound and share /tmp.
    inParallel: false,
    async run(job, { context, invocation }) {
      await withinTime(
        (jobSignal) => processBuildJob(builderContext(platform(), bundles, jobSignal), job),
        context,
        invocation,
        timeUp,
      );
      logger.info('Build job done', { job });
      await reportCodeStorage(platform());
    },
    async onFailure(job, error, { record, receives }) {
      const { sqs, config, actions } = platform();
      if (receives < config.buildMaxReceives) {
        logger.error('Build job failed; it will be retried', { job, receives, error: error as Error });
        await delayRedelivery(sqs, config.buildQueueUrl, record.receiptHandle, receives).catch((e: unknown) =>
          logger.warn('Could not shorten the redelivery delay', { error: e as Error }),
        );
        return;
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
      await recordPlatformBuildFailure(actions, job, reason).catch((e: unknown) =>
        logger.error('Could not record the failed build', { job, error: e as Error }),
      );
    },
  });
}

export const handler = createBuilderHandler(lazyPlatform());
