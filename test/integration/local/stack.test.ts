import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { PLATFORM_RESOURCES } from '../../../infra/shared/resources.ts';
import { handlerZip, isAlive, TEST_ROLE } from '../../support/lambda-zip.ts';
import { startTestStack } from '../../support/local-stack.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('local stack lifecycle', () => {
  it('keeps tables, functions, logs and the bootstrap token across a restart', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'hookchain-restart-'));
    dirs.push(stateDir);

    const first = await startTestStack({ stateDir });
    const TableName = PLATFORM_RESOURCES.table.name;
    await DynamoDBDocumentClient.from(first.clients.dynamodb).send(
      new PutCommand({ TableName, Item: { pk: 'TENANT#dev', sk: 'META', plan: 'local' } }),
    );
    await first.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'survivor',
        Role: TEST_ROLE,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip("console.log('first life'); return { pid: process.pid, n: event.n };") },
      }),
    );
    const firstRun = await first.clients.lambda.send(
      new InvokeCommand({ FunctionName: 'survivor', Payload: '{"n":1}' }),
    );
    const firstPid = JSON.parse(Buffer.from(firstRun.Payload ?? []).toString()).pid as number;
    expect(first.bootstrap).toMatchObject({ tenant: 'dev', created: true });
    expect(first.bootstrap.token).toMatch(/^hc_[A-Za-z0-9_-]{43}$/);
    const manifest = JSON.parse(await readFile(join(stateDir, 'local.json'), 'utf8'));
    expect(manifest).toEqual({
      url: first.url,
      tenant: 'dev',
      token: first.bootstrap.token,
      endpoints: first.endpoints,
      credentials: first.clientConfig('lambda').credentials,
    });
    await first.stop();
    // Stopping kills every function process.
    expect(isAlive(firstPid)).toBe(false);

    const second = await startTestStack({ stateDir });
    try {
      expect(second.bootstrap).toEqual({ tenant: 'dev', token: first.bootstrap.token, created: false });
      const item = await DynamoDBDocumentClient.from(second.clients.dynamodb).send(
        new GetCommand({ TableName, Key: { pk: 'TENANT#dev', sk: 'META' } }),
      );
      expect(item.Item).toEqual({ pk: 'TENANT#dev', sk: 'META', plan: 'local' });
      const again = await second.clients.lambda.send(
        new InvokeCommand({ FunctionName: 'survivor', Payload: '{"n":2}' }),
      );
      expect(JSON.parse(Buffer.from(again.Payload ?? []).toString()).n).toBe(2);
      const logs = await second.clients.logs.send(
        new FilterLogEventsCommand({ logGroupName: '/aws/lambda/survivor', filterPattern: '"first life"' }),
      );
      expect(logs.events?.length).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it('exports the AWS endpoint variables for in-process handlers and restores them on stop', async () => {
    const before = process.env.AWS_ENDPOINT_URL_LAMBDA;
    const stack = await startTestStack();
    try {
      expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(stack.endpoints.dynamodb);
      expect(process.env.AWS_ENDPOINT_URL_SQS).toBe(stack.endpoints.sqs);
      expect(process.env.AWS_ENDPOINT_URL_LAMBDA).toBe(stack.endpoints.lambda);
      expect(process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).toBe(stack.endpoints.logs);
      expect(process.env.AWS_REGION).toBeDefined();
      expect(process.env.AWS_ACCESS_KEY_ID).toBe(stack.clientConfig('dynamodb').credentials.accessKeyId);
    } finally {
      await stack.stop();
    }
    expect(process.env.AWS_ENDPOINT_URL_LAMBDA).toBe(before);
  });

  it('runs CommonJS function code even when the state dir sits inside an ESM project', async () => {
    const project = await mkdtemp(join(tmpdir(), 'hookchain-esm-project-'));
    dirs.push(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    const stack = await startTestStack({ stateDir: join(project, '.hookchain') });
    try {
      await stack.clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'cjs',
          Role: TEST_ROLE,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Code: { ZipFile: handlerZip("return typeof require === 'function';") },
        }),
      );
      const out = await stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'cjs' }));
      expect(out.FunctionError).toBeUndefined();
      expect(Buffer.from(out.Payload ?? []).toString()).toBe('true');
    } finally {
      await stack.stop();
    }
  });
});
