/**
 * The function host in the AWS-faithful mode (infra/local/fidelity.ts, `lambda`): functions are
 * Pending / InProgress for a while, Invoke can be throttled or reset after the function ran, and
 * code storage has a quota. Each behaviour is forced by its own numbers.
 */
import { randomBytes } from 'node:crypto';
import {
  CodeStorageExceededException,
  CreateFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ResourceConflictException,
  TooManyRequestsException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsFidelityOverrides, awsFidelity } from '../../../../infra/local/fidelity.ts';
import { handlerZip, TEST_ROLE } from '../../../support/lambda-zip.ts';
import { startTestStack, type TestStack } from '../../../support/local-stack.ts';

const decode = (payload: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

/** Counts its runs in the warm instance, so a later call shows whether an earlier one ran. */
const COUNTER = handlerZip('globalThis.runs = (globalThis.runs ?? 0) + 1; return { runs: globalThis.runs };');

function stackWith(lambda: AwsFidelityOverrides['lambda']) {
  const holder: { stack?: TestStack } = {};
  beforeAll(async () => {
    holder.stack = await startTestStack({ fidelity: awsFidelity({ lambda }) });
  });
  afterAll(async () => {
    await holder.stack?.stop();
  });
  return () => holder.stack as TestStack;
}

function create(lambda: LambdaClient, name: string, zip: Uint8Array) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: TEST_ROLE,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip },
    }),
  );
}

describe('a function created or updated (pendingMs)', () => {
  // Long enough that the calls right after a create or update surely fall inside it.
  const stack = stackWith({ pendingMs: 2_000 });

  it('stays Pending after CreateFunction, refusing Invoke until the waiter sees it Active', async () => {
    const lambda = stack().clients.lambda;
    const created = await create(lambda, 'pending', COUNTER);
    expect(created).toMatchObject({
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      LastUpdateStatus: 'InProgress',
    });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'pending' }));
    expect(got.Configuration?.State).toBe('Pending');

    const refused = lambda.send(new InvokeCommand({ FunctionName: 'pending' }));
    await expect(refused).rejects.toBeInstanceOf(ResourceConflictException);
    await expect(refused).rejects.toMatchObject({
      $metadata: { httpStatusCode: 409 },
      message:
        'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    });
    await expect(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'pending', ZipFile: COUNTER })),
    ).rejects.toBeInstanceOf(ResourceConflictException);

    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'pending' });
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'pending' }));
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(config.StateReason).toBeUndefined();
    const ran = await lambda.send(new InvokeCommand({ FunctionName: 'pending' }));
    expect(decode(ran.Payload)).toEqual({ runs: 1 });
  });

  it('is InProgress after an update, refusing a second update until the waiter sees it Successful', async () => {
    const lambda = stack().clients.lambda;
    await create(lambda, 'updating', COUNTER);
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'updating' });

    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'updating', ZipFile: handlerZip('return 2;') }),
    );
    expect(updated).toMatchObject({ State: 'Active', LastUpdateStatus: 'InProgress' });
    const again = lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 10 }),
    );
    await expect(again).rejects.toBeInstanceOf(ResourceConflictException);
    await expect(again).rejects.toThrow(/An update is in progress for resource: arn:aws:lambda:.*:updating$/);
    // An update in progress does not stop Invoke (Lambda runs the code it has).
    expect((await lambda.send(new InvokeCommand({ FunctionName: 'updating' }))).StatusCode).toBe(200);

    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'updating' });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updating', Timeout: 10 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20 }, { FunctionName: 'updating' });
    const ran = await lambda.send(new InvokeCommand({ FunctionName: 'updating' }));
    expect(decode(ran.Payload)).toBe(2);
  });
});

describe('Invoke throttled (throttleEvery)', () => {
  const stack = stackWith({ pendingMs: 0, throttleEvery: 2 });

  it('refuses every Nth invoke with 429 TooManyRequestsException and a Reason, without running it', async () => {
    const lambda = stack().clients.lambda;
    await create(lambda, 'throttled', COUNTER);
    // One attempt, so the throttle reaches the test instead of the SDK's retries.
    const once = new LambdaClient({ ...stack().clientConfig('lambda'), maxAttempts: 1 });
    try {
      expect(decode((await once.send(new InvokeCommand({ FunctionName: 'throttled' }))).Payload)).toEqual({
        runs: 1,
      });
      const refused = once.send(new InvokeCommand({ FunctionName: 'throttled' }));
      await expect(refused).rejects.toBeInstanceOf(TooManyRequestsException);
      await expect(refused).rejects.toMatchObject({
        $metadata: { httpStatusCode: 429 },
        message: 'Rate Exceeded.',
        Reason: 'ConcurrentInvocationLimitExceeded',
      });
      expect(decode((await once.send(new InvokeCommand({ FunctionName: 'throttled' }))).Payload)).toEqual({
        runs: 2,
      });
    } finally {
      once.destroy();
    }
  });
});

describe('Invoke reset after the function ran (resetAfterRunEvery)', () => {
  const stack = stackWith({ pendingMs: 0, resetAfterRunEvery: 2 });

  it('runs every Nth RequestResponse invoke, then destroys the connection instead of answering', async () => {
    const lambda = stack().clients.lambda;
    await create(lambda, 'reset', COUNTER);
    const once = new LambdaClient({ ...stack().clientConfig('lambda'), maxAttempts: 1 });
    try {
      expect(decode((await once.send(new InvokeCommand({ FunctionName: 'reset' }))).Payload)).toEqual({
        runs: 1,
      });
      const reset = once.send(new InvokeCommand({ FunctionName: 'reset' }));
      await expect(reset).rejects.toThrow(/socket hang up|ECONNRESET/);
      // The reset invocation ran: the next one is the third run.
      expect(decode((await once.send(new InvokeCommand({ FunctionName: 'reset' }))).Payload)).toEqual({
        runs: 3,
      });
    } finally {
      once.destroy();
    }
  });
});

describe('code storage (codeStorageBytes)', () => {
  const quota = Math.floor(COUNTER.length * 1.5);
  const stack = stackWith({ pendingMs: 0, codeStorageBytes: quota });

  it('reports the quota and usage in GetAccountSettings and refuses packages past it', async () => {
    const lambda = stack().clients.lambda;
    const empty = await lambda.send(new GetAccountSettingsCommand({}));
    expect(empty.AccountLimit).toMatchObject({
      TotalCodeSize: quota,
      CodeSizeZipped: 50 * 1024 * 1024,
      CodeSizeUnzipped: 262_144_000,
    });
    expect(empty.AccountUsage).toMatchObject({ TotalCodeSize: 0, FunctionCount: 0 });

    await create(lambda, 'first', COUNTER);
    const used = await lambda.send(new GetAccountSettingsCommand({}));
    expect(used.AccountUsage).toMatchObject({ TotalCodeSize: COUNTER.length, FunctionCount: 1 });

    const second = create(lambda, 'second', COUNTER);
    await expect(second).rejects.toBeInstanceOf(CodeStorageExceededException);
    await expect(second).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    const bigger = handlerZip(`return ${JSON.stringify(randomBytes(COUNTER.length).toString('base64'))};`);
    await expect(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'first', ZipFile: bigger })),
    ).rejects.toBeInstanceOf(CodeStorageExceededException);
    // Replacing a package counts the new one instead of the old.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'first', ZipFile: COUNTER }));
  });
});
