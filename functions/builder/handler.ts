/**
 * Lambda handler of the builder: consumes build jobs from SQS, one record at a time, reporting
 * partial batch failures so only the failed jobs are retried (and land in the DLQ after N tries).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type BuilderContext, processBuildJob } from '../../shared/actions/builds.ts';
import type { BuildJob } from '../../shared/actions/context.ts';
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

export function createBuilderHandler(platform: () => Platform) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
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
        await processBuildJob(ctx, job);
        logger.info('Build job done', { job });
      } catch (error) {
        logger.error('Build job failed; it will be retried', { job, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}

export const handler = createBuilderHandler(lazyPlatform());
