/**
 * Boots the whole local stack for an integration test: a fresh temp state dir, random free ports
 * on 127.0.0.1, quiet logs, and SDK clients pointed at it. stop() shuts every server and child
 * process down and removes the state dir (unless the caller passed its own, e.g. to test restarts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LogLevel } from '../../infra/local/logger.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/stack.ts';

export interface TestStack extends LocalStack {
  clients: {
    dynamodb: DynamoDBClient;
    sqs: SQSClient;
    lambda: LambdaClient;
    logs: CloudWatchLogsClient;
  };
}

export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const ownDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'hookchain-test-')));
  const stack = await startLocalStack({
    port: 0,
    logLevel: (process.env.HOOKCHAIN_TEST_LOG_LEVEL as LogLevel | undefined) ?? 'silent',
    ...options,
    stateDir,
  });
  const clients = {
    dynamodb: new DynamoDBClient(stack.clientConfig('dynamodb')),
    sqs: new SQSClient(stack.clientConfig('sqs')),
    lambda: new LambdaClient(stack.clientConfig('lambda')),
    logs: new CloudWatchLogsClient(stack.clientConfig('logs')),
  };
  return {
    ...stack,
    clients,
    stop: async () => {
      for (const client of Object.values(clients)) client.destroy();
      await stack.stop();
      if (ownDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}
