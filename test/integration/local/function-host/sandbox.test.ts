import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip, isAlive, TEST_ROLE } from '../../../support/lambda-zip.ts';
import { startTestStack, type TestStack } from '../../../support/local-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  process.env.HOOKCHAIN_PARENT_SECRET = 'must-not-leak';
  stack = await startTestStack({
    functionHost: { maxWorkersPerFunction: 4, maxLogBytesPerInvocation: 64 * 1024 },
  });
});
afterAll(async () => {
  delete process.env.HOOKCHAIN_PARENT_SECRET;
  const pids = stack?.functionWorkerPids() ?? [];
  await stack?.stop();
  // Stopping the stack leaves no function process behind.
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
});

async function deploy(name: string, body: string, extra: Record<string, unknown> = {}): Promise<void> {
  await stack.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: TEST_ROLE,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: handlerZip(body) },
      ...extra,
    }),
  );
}

async function invoke(name: string, payload: unknown = {}) {
  const out = await stack.clients.lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }),
  );
  return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) };
}

async function logMessages(name: string, filterPattern?: string): Promise<string[]> {
  const out = await stack.clients.logs.send(
    new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern }),
  );
  return (out.events ?? []).map((e) => e.message ?? '');
}

describe('function host: sandboxing of each function process', () => {
  it('kills a handler that runs past its Timeout and replaces the process', async () => {
    await deploy(
      'slow',
      'if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return process.pid;',
      {
        Timeout: 1,
      },
    );
    const warm = await invoke('slow');
    const timedOut = await invoke('slow', { hang: true });
    expect(timedOut.error).toBe('Unhandled');
    expect(timedOut.body.errorMessage).toMatch(/^[0-9a-f-]{36} Task timed out after 1\.00 seconds$/);
    const fresh = await invoke('slow');
    expect(fresh.error).toBeUndefined();
    // The hung process was killed; a new one serves the next call.
    expect(isAlive(warm.body)).toBe(false);
    expect(fresh.body).not.toBe(warm.body);
    expect((await logMessages('slow', '"Task timed out"')).length).toBe(1);
  });

  it('reports process.exit inside a handler as Runtime.ExitError', async () => {
    await deploy('quitter', 'if (event.exit !== undefined) process.exit(event.exit); return process.pid;');
    const before = await invoke('quitter');
    const exited = await invoke('quitter', { exit: 3 });
    expect(exited.error).toBe('Unhandled');
    expect(exited.body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/,
      ),
    });
    const after = await invoke('quitter');
    expect(after.error).toBeUndefined();
    expect(after.body).not.toBe(before.body);
  });

  it('caps memory: an out-of-memory handler dies and is reported', async () => {
    await deploy('hog', 'const hoard = []; for (;;) hoard.push(new Array(1e6).fill(event.n));', {
      MemorySize: 128,
      Timeout: 60,
    });
    const out = await invoke('hog', { n: 7 });
    expect(out.error).toBe('Unhandled');
    expect(out.body.errorType).toBe('Runtime.OutOfMemory');
    expect(out.body.errorMessage).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: aborted$/,
    );
  });

  it('gives the function only its own variables and Lambda reserved ones', async () => {
    await deploy('env', 'return process.env;', {
      Environment: { Variables: { FLAVOUR: 'vanilla' } },
      MemorySize: 256,
    });
    const { body } = await invoke('env');
    expect(body).toMatchObject({
      FLAVOUR: 'vanilla',
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: 'us-east-1',
      TZ: 'UTC',
    });
    expect(body.LAMBDA_TASK_ROOT).toContain('env');
    // Exactly these: nothing from the host process (no credentials, endpoints or developer secrets).
    expect(Object.keys(body).sort()).toEqual(
      [
        'FLAVOUR',
        'PATH',
        'LANG',
        'TZ',
        'TMPDIR',
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        '_HANDLER',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_REGION',
        'AWS_DEFAULT_REGION',
        'LAMBDA_TASK_ROOT',
      ].sort(),
    );
    expect(process.env.HOOKCHAIN_PARENT_SECRET).toBe('must-not-leak');
  });

  it('runs concurrent invocations of one function in parallel processes, and reuses warm ones', async () => {
    await deploy('parallel', 'await new Promise((r) => setTimeout(r, event.ms)); return process.pid;');
    const pids = await Promise.all([1, 2, 3, 4].map(() => invoke('parallel', { ms: 300 })));
    const distinct = new Set(pids.map((p) => p.body));
    expect(distinct.size).toBe(4);
    // Beyond the per-function limit, calls wait for a free instance instead of starting a fifth.
    const more = await Promise.all([1, 2, 3, 4, 5, 6].map(() => invoke('parallel', { ms: 50 })));
    for (const p of more) expect(distinct.has(p.body)).toBe(true);
    expect(stack.functionWorkerPids('parallel').length).toBe(4);
  });

  it('captures console output and stdout into /aws/lambda/<name>, with START/END/REPORT', async () => {
    await deploy(
      'chatty',
      "console.log('structured', JSON.stringify({ user: event.user })); console.error('oops\\nsecond line'); process.stdout.write('raw line\\n'); return 'ok';",
    );
    await invoke('chatty', { user: 'ada' });
    await expect.poll(() => logMessages('chatty', '"raw line"'), { timeout: 10_000 }).toHaveLength(1);
    const messages = await logMessages('chatty');
    expect(messages.find((m) => m.startsWith('START RequestId:'))).toBeDefined();
    expect(messages.find((m) => m.startsWith('END RequestId:'))).toBeDefined();
    expect(messages.find((m) => m.startsWith('REPORT RequestId:'))).toMatch(
      /Duration: .* ms\tBilled Duration/,
    );
    expect(messages.find((m) => m.includes('\tINFO\tstructured {"user":"ada"}'))).toBeDefined();
    // A multi-line console call stays one event.
    expect(messages.find((m) => m.endsWith('\tERROR\toops\nsecond line'))).toBeDefined();
  });

  it('caps the log output of a flooding invocation', async () => {
    await deploy(
      'flood',
      "const line = 'x'.repeat(1023); for (let i = 0; i < 10 * 1024; i++) console.log(line); return 'done';",
      {
        Timeout: 30,
      },
    );
    const out = await invoke('flood');
    expect(out.body).toBe('done');
    const messages = await logMessages('flood');
    const bytes = messages.reduce((sum, m) => sum + m.length, 0);
    expect(bytes).toBeLessThan(128 * 1024);
    expect(messages.some((m) => m.includes('log output truncated'))).toBe(true);
  });

  it('replaces a process that crashes between invocations', async () => {
    await deploy(
      'crashy',
      "if (event.later) setTimeout(() => { throw new Error('late crash'); }, 10); return process.pid;",
    );
    const first = await invoke('crashy', { later: true });
    await expect.poll(() => isAlive(first.body), { timeout: 10_000 }).toBe(false);
    const second = await invoke('crashy');
    expect(second.error).toBeUndefined();
    expect(second.body).not.toBe(first.body);
  });

  it('lets a function read only its own code, write only its own temp dir, and start no processes', async () => {
    await deploy(
      'nosy',
      `const fs = require('node:fs');
      const attempt = (f) => { try { f(); return 'allowed'; } catch (e) { return e.code ?? e.message; } };
      return {
        ownCode: attempt(() => fs.readFileSync(__filename)),
        stateDir: attempt(() => fs.readdirSync(event.stateDir)),
        passwd: attempt(() => fs.readFileSync('/etc/passwd')),
        environ: attempt(() => fs.readFileSync('/proc/self/environ')),
        writeCode: attempt(() => fs.writeFileSync(__filename, 'x')),
        writeTmp: attempt(() => fs.writeFileSync(require('node:os').tmpdir() + '/scratch', 'x')),
        exec: attempt(() => require('node:child_process').execSync('id')),
        worker: attempt(() => new (require('node:worker_threads').Worker)('1', { eval: true })),
        inspector: attempt(() => require('node:inspector').open(0)),
        binding: attempt(() => process.binding('fs')),
      };`,
    );
    const { error, body } = await invoke('nosy', { stateDir: stack.stateDir });
    expect(error).toBeUndefined();
    expect(body).toEqual({
      ownCode: 'allowed',
      stateDir: 'ERR_ACCESS_DENIED',
      passwd: 'ERR_ACCESS_DENIED',
      environ: 'ERR_ACCESS_DENIED',
      writeCode: 'ERR_ACCESS_DENIED',
      writeTmp: 'allowed',
      exec: 'ERR_ACCESS_DENIED',
      worker: 'ERR_ACCESS_DENIED',
      inspector: 'ERR_ACCESS_DENIED',
      binding: 'ERR_ACCESS_DENIED',
    });
  });

  it('keeps signals and scheduling to the function’s own process', async () => {
    await deploy(
      'signaller',
      `const attempt = (f) => { try { f(); return 'allowed'; } catch (e) { return e.code; } };
      return {
        host: attempt(() => process.kill(process.ppid, 0)),
        group: attempt(() => process.kill(0, 0)),
        everyone: attempt(() => process.kill(-1, 0)),
        own: attempt(() => process.kill(process.pid, 0)),
        rawHost: process._kill(process.ppid, 0) < 0,
        starveHost: attempt(() => require('node:os').setPriority(process.ppid, 19)),
      };`,
    );
    const { body } = await invoke('signaller');
    expect(body).toEqual({
      host: 'EPERM',
      group: 'EPERM',
      everyone: 'EPERM',
      own: 'allowed',
      rawHost: true,
      starveHost: 'EPERM',
    });
  });

  it('survives a function writing garbage to the runtime channel, and reports it', async () => {
    await deploy(
      'forger',
      "require('node:fs').writeSync(3, 'not a message\\n'); await new Promise((r) => setTimeout(r, 1000));",
    );
    const out = await invoke('forger');
    expect(out.error).toBe('Unhandled');
    expect(out.body).toMatchObject({ errorType: 'Runtime.InvalidRuntimeMessage' });
    const after = await invoke('quitter');
    expect(after.error).toBeUndefined();
  });

  it('kills a function whose memory outside the V8 heap passes its size', async () => {
    await deploy(
      'buffers',
      'const keep = []; for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 2)); }',
      { MemorySize: 128, Timeout: 30 },
    );
    const out = await invoke('buffers');
    expect(out.body).toMatchObject({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: expect.stringMatching(/signal: killed$/),
    });
    expect((await logMessages('buffers', '"Resident memory"')).length).toBe(1);
  });

  it('stops an instance that keeps burning CPU after its invocation returned', async () => {
    await deploy(
      'escapee',
      'const spin = () => { const end = Date.now() + 20; while (Date.now() < end); setImmediate(spin); }; if (event.spin) spin(); return process.pid;',
    );
    const { body: pid } = await invoke('escapee', { spin: true });
    await expect.poll(() => isAlive(pid), { timeout: 10_000 }).toBe(false);
    expect((await logMessages('escapee', '"kept running after its invocation ended"')).length).toBe(1);
    const next = await invoke('escapee');
    expect(next.error).toBeUndefined();
    expect(next.body).not.toBe(pid);
  });
});
