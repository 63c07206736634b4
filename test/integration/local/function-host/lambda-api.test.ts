import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip, TEST_ROLE, zipFiles } from '../../../support/lambda-zip.ts';
import { startTestStack, type TestStack } from '../../../support/local-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const decode = (payload: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

async function create(name: string, zip: Uint8Array, extra: Record<string, unknown> = {}) {
  return stack.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: TEST_ROLE,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip },
      ...extra,
    }),
  );
}

describe('function host: Lambda control plane through @aws-sdk/client-lambda', () => {
  it('creates, invokes, updates code and configuration, and deletes a function', async () => {
    const lambda = stack.clients.lambda;
    const created = await create('lifecycle', handlerZip('return { version: 1, got: event };'), {
      Environment: { Variables: { GREETING: 'hello' } },
    });
    expect(created).toMatchObject({
      FunctionName: 'lifecycle',
      State: 'Active',
      Timeout: 3,
      MemorySize: 128,
    });
    expect(created.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:lifecycle');
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 5 }, { FunctionName: 'lifecycle' });

    const first = await lambda.send(
      new InvokeCommand({ FunctionName: 'lifecycle', Payload: JSON.stringify({ n: 1 }) }),
    );
    expect(first.StatusCode).toBe(200);
    expect(first.FunctionError).toBeUndefined();
    expect(first.ExecutedVersion).toBe('$LATEST');
    expect(decode(first.Payload)).toEqual({ version: 1, got: { n: 1 } });

    // One zip, uploaded and later compared byte for byte (zips carry timestamps).
    const secondZip = handlerZip('return { version: 2, greeting: process.env.GREETING };');
    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'lifecycle', ZipFile: secondZip }),
    );
    expect(updated.CodeSha256).not.toBe(created.CodeSha256);
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 5 }, { FunctionName: 'lifecycle' });
    const second = await lambda.send(new InvokeCommand({ FunctionName: 'lifecycle' }));
    expect(decode(second.Payload)).toEqual({ version: 2, greeting: 'hello' });

    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'lifecycle',
        Timeout: 10,
        Environment: { Variables: { GREETING: 'bonjour' } },
      }),
    );
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'lifecycle' }));
    expect(config).toMatchObject({ Timeout: 10, LastUpdateStatus: 'Successful' });
    const third = await lambda.send(new InvokeCommand({ FunctionName: 'lifecycle' }));
    expect(decode(third.Payload)).toEqual({ version: 2, greeting: 'bonjour' });

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: created.FunctionArn }));
    expect(got.Configuration?.CodeSha256).toBe(updated.CodeSha256);
    const zip = await fetch(got.Code?.Location as string);
    expect(Buffer.from(await zip.arrayBuffer()).toString('base64')).toBe(
      Buffer.from(secondZip).toString('base64'),
    );
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toContain('lifecycle');

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'lifecycle' }));
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'lifecycle' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('answers ResourceNotFoundException with AWS message for a missing function', async () => {
    const error = await stack.clients.lambda
      .send(new InvokeCommand({ FunctionName: 'missing' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing');
    expect(error.$metadata.httpStatusCode).toBe(404);
    await expect(
      stack.clients.lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a duplicate create with ResourceConflictException', async () => {
    await create('twice', handlerZip('return 1;'));
    await expect(create('twice', handlerZip('return 2;'))).rejects.toBeInstanceOf(ResourceConflictException);
  });

  it('validates input like Lambda', async () => {
    await expect(create('bad-zip', new Uint8Array([1, 2, 3]))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(
      create('reserved-env', handlerZip('return 1;'), { Environment: { Variables: { AWS_REGION: 'x' } } }),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(create('too-long', handlerZip('return 1;'), { Timeout: 901 })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(create('python', handlerZip('return 1;'), { Runtime: 'python3.12' })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });

  it('reports a thrown error as an Unhandled function error', async () => {
    await create('thrower', handlerZip("const error = new TypeError('bad input'); throw error;"));
    const out = await stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'thrower' }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const body = decode(out.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(body).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    expect(body.trace[0]).toBe('TypeError: bad input');
  });

  it('loads .mjs handlers, nested paths, and reports a missing module', async () => {
    await create(
      'esm',
      zipFiles({ 'src/app.mjs': 'export const handler = async (e) => ({ esm: true, e });' }),
      {
        Handler: 'src/app.handler',
      },
    );
    const esm = await stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'esm', Payload: '[1]' }));
    expect(decode(esm.Payload)).toEqual({ esm: true, e: [1] });

    await create('no-module', zipFiles({ 'other.js': '' }));
    const missing = await stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'no-module' }));
    expect(missing.FunctionError).toBe('Unhandled');
    expect(decode(missing.Payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });

  it('runs Event invocations in the background and answers 202', async () => {
    await create('async-fn', handlerZip("console.log('async ran', event.marker); return 'ignored';"));
    const out = await stack.clients.lambda.send(
      new InvokeCommand({ FunctionName: 'async-fn', InvocationType: 'Event', Payload: '{"marker":"m-42"}' }),
    );
    expect(out.StatusCode).toBe(202);
    expect(out.Payload?.length ?? 0).toBe(0);
    await expect
      .poll(
        async () => {
          const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
          const logs = await stack.clients.logs.send(
            new FilterLogEventsCommand({
              logGroupName: '/aws/lambda/async-fn',
              filterPattern: '"async ran" m-42',
            }),
          );
          return logs.events?.length ?? 0;
        },
        { timeout: 10_000 },
      )
      .toBe(1);
    const dry = await stack.clients.lambda.send(
      new InvokeCommand({ FunctionName: 'async-fn', InvocationType: 'DryRun' }),
    );
    expect(dry.StatusCode).toBe(204);
  });

  it('enforces the payload limit and JSON payloads', async () => {
    await create('limits', handlerZip('return null;'));
    const big = JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) });
    await expect(
      stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'limits', Payload: big })),
    ).rejects.toMatchObject({ name: 'RequestEntityTooLargeException' });
    await expect(
      stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'limits', Payload: 'not json' })),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    const ok = await stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'limits' }));
    expect(Buffer.from(ok.Payload ?? []).toString()).toBe('null');
  });

  it('returns the log tail when asked', async () => {
    await create('tail', handlerZip("console.log('tail me'); return 1;"));
    const out = await stack.clients.lambda.send(new InvokeCommand({ FunctionName: 'tail', LogType: 'Tail' }));
    const tail = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    expect(tail).toContain('tail me');
    expect(tail).toMatch(/^START RequestId: .* Version: \$LATEST$/m);
    expect(tail).toMatch(/^REPORT RequestId: .*Init Duration: /m);
  });
});
