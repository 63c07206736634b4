/**
 * The local AWS servers listen on loopback, where any local process (a function's included) can
 * reach them: each answers only requests signed with the stack's own access key id, which is new
 * at every start, and refuses others with the exception AWS raises for an unknown key.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip, TEST_ROLE } from '../../support/lambda-zip.ts';
import { startTestStack, type TestStack } from '../../support/local-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** A client of the same endpoint with well-formed credentials that are not the stack's. */
function stranger<T>(
  make: (config: ReturnType<TestStack['clientConfig']>) => T,
  service: Parameters<TestStack['clientConfig']>[0],
): T {
  const config = stack.clientConfig(service);
  return make({
    ...config,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
  });
}

describe('local AWS credentials', () => {
  it('are random per start and are what clientConfig hands out', () => {
    const { accessKeyId, secretAccessKey } = stack.clientConfig('sqs').credentials;
    expect(accessKeyId).toMatch(/^LKIA[0-9A-F]{16}$/);
    expect(secretAccessKey.length).toBeGreaterThanOrEqual(40);
  });

  it('DynamoDB refuses another key with UnrecognizedClientException', async () => {
    const client = stranger((c) => new DynamoDBClient({ ...c, maxAttempts: 1 }), 'dynamodb');
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 400 },
    });
    client.destroy();
    await expect(stack.clients.dynamodb.send(new ListTablesCommand({}))).resolves.toBeDefined();
  });

  it('SQS refuses another key with InvalidClientTokenId', async () => {
    const client = stranger((c) => new SQSClient({ ...c, maxAttempts: 1 }), 'sqs');
    await expect(client.send(new ListQueuesCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
    await expect(stack.clients.sqs.send(new ListQueuesCommand({}))).resolves.toBeDefined();
  });

  it('Lambda refuses another key with UnrecognizedClientException', async () => {
    const client = stranger((c) => new LambdaClient({ ...c, maxAttempts: 1 }), 'lambda');
    await expect(client.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  it('CloudWatch Logs refuses another key with UnrecognizedClientException', async () => {
    const client = stranger((c) => new CloudWatchLogsClient({ ...c, maxAttempts: 1 }), 'logs');
    await expect(client.send(new DescribeLogGroupsCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    client.destroy();
    await expect(stack.clients.logs.send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined();
  });

  it('refuses unsigned requests too', async () => {
    for (const endpoint of Object.values(stack.endpoints)) {
      const res = await fetch(endpoint, { method: 'POST', body: '{}' });
      expect([400, 403]).toContain(res.status);
      expect(await res.text()).toContain('The security token included in the request is invalid.');
    }
  });

  it('serves GetFunction’s code URL only with the token it carries', async () => {
    await stack.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'shown',
        Role: TEST_ROLE,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('return 1;') },
      }),
    );
    const { Code } = await stack.clients.lambda.send(new GetFunctionCommand({ FunctionName: 'shown' }));
    const location = Code?.Location as string;
    expect((await fetch(location)).status).toBe(200);
    const bare = new URL(location);
    bare.search = '';
    expect((await fetch(bare)).status).toBe(403);
    bare.searchParams.set('token', '0'.repeat(64));
    expect((await fetch(bare)).status).toBe(403);
  });
});
