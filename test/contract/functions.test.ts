/**
 * The functions port (shared/ports/functions.ts), one specification over both adapters: in this
 * process (shared/memory/function-host.ts) and the Lambda API (shared/aws/lambda-function-host.ts)
 * against the local function host, which runs each function in its own Node process. Both have a
 * small code storage quota, so a full account can be specified too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../infra/local/fidelity.ts';
import { invokeTimeouts, lambdaFunctionHost } from '../../shared/aws/lambda-function-host.ts';
import { lambdaInvoker } from '../../shared/aws/lambda-invoker.ts';
import { zipFiles as zipBinaryFiles } from '../../shared/build/zip.ts';
import { memoryFunctionHost } from '../../shared/memory/function-host.ts';
import { CodeStorageFullError, type FunctionHost, type FunctionSpec } from '../../shared/ports/functions.ts';
import { handlerZip, TEST_ROLE, zipFiles } from '../support/lambda-zip.ts';
import { startTestStack } from '../support/local-stack.ts';

/** The account's code storage in both adapters: room for many small test functions, not for a big one. */
const CODE_STORAGE_BYTES = 512 * 1024;
const TIMEOUT_SECONDS = 3;

interface FunctionsAdapter {
  name: string;
  start(): Promise<{ host: FunctionHost; stop(): Promise<void> }>;
}

const adapters: FunctionsAdapter[] = [
  {
    name: 'memoryFunctionHost',
    start: async () => ({
      host: memoryFunctionHost({ codeStorageBytes: CODE_STORAGE_BYTES }),
      stop: async () => {},
    }),
  },
  {
    name: 'lambdaFunctionHost (local function host)',
    start: async () => {
      // AWS-faithful for its code storage quota; Active at once and no aborted log groups, so
      // the suite specifies the port rather than waiting out the imitation's delays.
      const stack = await startTestStack({
        exportEnv: false,
        fidelity: awsFidelity({
          lambda: { codeStorageBytes: CODE_STORAGE_BYTES, pendingMs: 0 },
          logs: { abortCreateLogGroupEvery: 0 },
        }),
      });
      const host = lambdaFunctionHost({
        admin: stack.clients.lambda,
        invoke: lambdaInvoker(stack.clients.lambda, invokeTimeouts(TIMEOUT_SECONDS)),
        logs: stack.clients.logs,
        logRetentionDays: 7,
      });
      return {
        host,
        stop: () => stack.stop(),
      };
    },
  },
];

const newName = () => `contract-${randomUUID().slice(0, 8)}`;

function spec(name: string, zip: Uint8Array, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    zip,
    roleArn: TEST_ROLE,
    architecture: 'arm64',
    memoryMb: 128,
    timeoutSeconds: TIMEOUT_SECONDS,
    tags: { 'hookchain:stage': 'contract' },
    ...overrides,
  };
}

/** A function whose zip carries `bytes` of incompressible data beside its handler. */
const padded = (bytes: number) =>
  zipBinaryFiles({ 'index.js': 'exports.handler = async () => 1;', 'data.bin': randomBytes(bytes) });

/** A function answering `{ code: <label>, got: <its event> }`. */
const labelled = (label: string) => handlerZip(`return { code: ${JSON.stringify(label)}, got: event };`);

describe.each(adapters)('the functions port: $name', (adapter) => {
  let host: FunctionHost;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ host, stop } = await adapter.start());
  });
  afterAll(() => stop?.());

  it('deploys a new function, which then answers with what its handler returned for the payload', async () => {
    const name = newName();
    expect(await host.deploy(spec(name, labelled('first')))).toBe('deployed');
    expect(await host.invoke(name, { user: { id: 'u1' }, n: 1 })).toEqual({
      payload: { code: 'first', got: { user: { id: 'u1' }, n: 1 } },
    });
  });

  it('a handler that returns nothing answers null', async () => {
    const name = newName();
    await host.deploy(spec(name, handlerZip('')));
    expect(await host.invoke(name, {})).toEqual({ payload: null });
  });

  it('a second deploy replaces the code of the existing function', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('first')));
    expect(await host.deploy(spec(name, labelled('second')))).toBe('deployed');
    expect((await host.invoke(name, {})).payload).toMatchObject({ code: 'second' });
  });

  it('a new function is created without asking stillWanted', async () => {
    const name = newName();
    let asked = 0;
    const stillWanted = async () => {
      asked += 1;
      return false;
    };
    expect(await host.deploy(spec(name, labelled('first')), { stillWanted })).toBe('deployed');
    expect(asked).toBe(0);
    expect((await host.invoke(name, {})).payload).toMatchObject({ code: 'first' });
  });

  it('when stillWanted says no, an existing function keeps its code and the deploy answers superseded', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('newer')));
    const outcome = await host.deploy(spec(name, labelled('older')), { stillWanted: async () => false });
    expect(outcome).toBe('superseded');
    expect((await host.invoke(name, {})).payload).toMatchObject({ code: 'newer' });
  });

  it('when stillWanted says no, an existing function keeps its settings too', async () => {
    const name = newName();
    const zip = handlerZip(
      'await new Promise((done) => setTimeout(done, 1500)); return process.env.GREETING;',
    );
    await host.deploy(spec(name, zip, { timeoutSeconds: 3, environment: { GREETING: 'kept' } }));
    const outcome = await host.deploy(
      spec(name, zip, { timeoutSeconds: 1, environment: { GREETING: 'lost' } }),
      {
        stillWanted: async () => false,
      },
    );
    expect(outcome).toBe('superseded');
    expect(await host.invoke(name, {})).toEqual({ payload: 'kept' });
  });

  it('a redeploy replaces the settings too: timeout and environment', async () => {
    const name = newName();
    const zip = handlerZip(
      'await new Promise((done) => setTimeout(done, 1500)); return process.env.GREETING;',
    );
    await host.deploy(spec(name, zip, { timeoutSeconds: 3, environment: { GREETING: 'one' } }));
    expect(await host.invoke(name, {})).toEqual({ payload: 'one' });
    await host.deploy(spec(name, zip, { timeoutSeconds: 3, environment: { GREETING: 'two' } }));
    expect(await host.invoke(name, {})).toEqual({ payload: 'two' });
    await host.deploy(spec(name, zip, { timeoutSeconds: 1, environment: { GREETING: 'two' } }));
    expect((await host.invoke(name, {})).functionError).toBe('Unhandled');
  });

  it('when stillWanted says yes, an existing function takes the new code', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('first')));
    const outcome = await host.deploy(spec(name, labelled('second')), { stillWanted: async () => true });
    expect(outcome).toBe('deployed');
    expect((await host.invoke(name, {})).payload).toMatchObject({ code: 'second' });
  });

  it('a deploy that another deploy overtakes while stillWanted is asked asks again, and the newer code stays', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('oldest')));
    const answers: boolean[] = [];
    const outcome = await host.deploy(spec(name, labelled('slower')), {
      stillWanted: async () => {
        const first = answers.length === 0;
        // A newer build lands just after this one was told it is still wanted.
        if (first) await host.deploy(spec(name, labelled('newer')));
        answers.push(first); // asked again after the lost race, it is no longer wanted
        return first;
      },
    });

    expect(answers).toEqual([true, false]);
    expect(outcome).toBe('superseded');
    expect((await host.invoke(name, {})).payload).toMatchObject({ code: 'newer' });
  });

  it('the handler sees the function’s environment variables', async () => {
    const name = newName();
    const zip = handlerZip('return { greeting: process.env.GREETING };');
    await host.deploy(spec(name, zip, { environment: { GREETING: 'bonjour' } }));
    expect((await host.invoke(name, {})).payload).toEqual({ greeting: 'bonjour' });
  });

  it('a thrown error comes back as an Unhandled function error with Lambda’s error payload', async () => {
    const name = newName();
    await host.deploy(spec(name, handlerZip('throw new TypeError("no user in " + event.trigger);')));
    const result = await host.invoke(name, { trigger: 'post-login' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'no user in post-login' });
  });

  it('code that does not load comes back as a function error naming the runtime’s reason', async () => {
    const name = newName();
    await host.deploy(spec(name, zipFiles({ 'index.js': 'exports.handler = async () => {' })));
    const result = await host.invoke(name, {});
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
  });

  it('a handler still running at its timeout comes back as a function error saying it timed out', async () => {
    const name = newName();
    await host.deploy(spec(name, handlerZip('await new Promise(() => {});'), { timeoutSeconds: 1 }));
    const result = await host.invoke(name, {});
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toMatchObject({
      errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds/),
    });
  });

  it('an invoke its caller has already given up on is not sent', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('first')));
    const gaveUp = new AbortController();
    gaveUp.abort();
    await expect(host.invoke(name, {}, { signal: gaveUp.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('invoking a function that does not exist rejects with ResourceNotFoundException', async () => {
    await expect(host.invoke(newName(), {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('a deleted function can no longer be invoked, and deleting it again is fine', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('first')));
    await host.delete(name);
    await expect(host.invoke(name, {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await host.delete(name);
    await host.delete(newName());
  });

  it('code storage counts each function’s zip: added by a deploy, replaced by a redeploy, given back by a delete', async () => {
    const name = newName();
    const small = labelled('small');
    const larger = padded(4096);
    const before = await host.codeStorage();
    expect(before.limitBytes).toBe(CODE_STORAGE_BYTES);

    await host.deploy(spec(name, small));
    expect((await host.codeStorage()).usedBytes).toBe(before.usedBytes + small.byteLength);
    await host.deploy(spec(name, larger));
    expect((await host.codeStorage()).usedBytes).toBe(before.usedBytes + larger.byteLength);
    await host.delete(name);
    expect((await host.codeStorage()).usedBytes).toBe(before.usedBytes);
  });

  it('a deploy that would take the account past its code storage fails with CodeStorageFullError and creates nothing', async () => {
    const name = newName();
    const tooBig = padded(CODE_STORAGE_BYTES);
    const before = await host.codeStorage();

    await expect(host.deploy(spec(name, tooBig))).rejects.toBeInstanceOf(CodeStorageFullError);
    expect((await host.codeStorage()).usedBytes).toBe(before.usedBytes);
    await expect(host.invoke(name, {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('a redeploy that would not fit fails with CodeStorageFullError and leaves the function as it was', async () => {
    const name = newName();
    await host.deploy(spec(name, labelled('fits')));
    const tooBig = padded(CODE_STORAGE_BYTES);

    await expect(host.deploy(spec(name, tooBig))).rejects.toBeInstanceOf(CodeStorageFullError);
    expect((await host.invoke(name, {})).payload).toMatchObject({ code: 'fits' });
  });
});
