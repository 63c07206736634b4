/**
 * Function-host benchmark: cold and warm invoke latency of a no-op function through
 * @aws-sdk/client-lambda, next to the floor measured in the same run — a bare
 * child_process.fork with an IPC echo (what any process-per-function host pays at least).
 * Fixed iteration counts, loopback only.
 *
 *   npx tsx bench/function-host.ts          (or through `npm run bench`)
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { startLocalStack } from '../infra/local/stack.ts';
import { invokeTimeouts } from '../shared/aws/lambda-function-host.ts';
import { lambdaInvoker } from '../shared/aws/lambda-invoker.ts';
import { buildAction } from '../shared/build/build-action.ts';
import type { ActionInvocation } from '../shared/runtime/protocol.ts';
import { sampleEvent } from '../shared/testing/index.ts';
import { measure, type Row, summarize } from './stats.ts';

export interface FunctionHostBenchOptions {
  coldIterations?: number;
  warmIterations?: number;
}

const NOOP_ZIP = zipSync({ 'index.js': strToU8('exports.handler = async () => null;\n') });

/** A no-dependency action, and the same code behind a bare handler: the wrapper's cold-start cost. */
const ACTION_CODE = `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://bench.test/roles', event.authorization?.roles ?? []);
};`;
const BARE_ZIP = zipSync({
  'index.js': strToU8(`${ACTION_CODE}
exports.handler = async (invocation) => {
  const commands = [];
  const api = { idToken: { setCustomClaim: (key, value) => commands.push({ type: 'idToken.setCustomClaim', key, value }) } };
  await exports.onExecutePostLogin(invocation.event, api);
  return { commands };
};
`),
});
const ECHO_CHILD = "process.on('message', (m) => process.send(m));\nprocess.send('ready');\n";

export async function runFunctionHostBench({
  coldIterations = 20,
  warmIterations = 300,
}: FunctionHostBenchOptions = {}): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hookchain-bench-fh-'));
  const stack = await startLocalStack({
    stateDir: join(dir, 'state'),
    port: 0,
    logLevel: 'silent',
    exportEnv: false,
  });
  const lambda = new LambdaClient(stack.clientConfig('lambda'));
  try {
    const create = (name: string) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: 'arn:aws:iam::123456789012:role/bench',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Code: { ZipFile: NOOP_ZIP },
        }),
      );
    const invoke = (name: string) => lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{}' }));

    // Cold invokes of the same code with and without the runtime wrapper, alternating.
    const built = await buildAction(
      { code: ACTION_CODE, dependencies: [] },
      { registry: 'http://127.0.0.1:9/', cacheDir: join(dir, 'build-cache'), retries: 0 },
    );
    const invocation: ActionInvocation = {
      trigger: 'post-login',
      entrypoint: 'onExecutePostLogin',
      event: sampleEvent('post-login'),
      secrets: {},
      configuration: {},
      cache: {},
      deadline_ms: 5_000,
      execution_id: 'bench',
    };
    const coldOf = async (name: string, zip: Uint8Array) => {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: 'arn:aws:iam::123456789012:role/bench',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Code: { ZipFile: zip },
        }),
      );
      const started = performance.now();
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(invocation)) }),
      );
      if (out.FunctionError) throw new Error(`cold invoke of ${name} failed: ${out.FunctionError}`);
      return performance.now() - started;
    };
    const actionColds: number[] = [];
    const bareColds: number[] = [];
    for (let i = -2; i < coldIterations; i++) {
      const action = await coldOf(`bench-cold-action-${i + 2}`, built.zip);
      const bare = await coldOf(`bench-cold-bare-${i + 2}`, BARE_ZIP);
      if (i >= 0) {
        actionColds.push(action);
        bareColds.push(bare);
      }
    }
    const actionCold = summarize(actionColds);
    const bareCold = summarize(bareColds);
    const wrapperCold = Math.round((actionCold.p50_ms - bareCold.p50_ms) * 100) / 100;

    const firstInvokes: number[] = [];
    // Each cold sample is a new function (warm-up rounds get negative indexes).
    const cold = await measure(coldIterations, 2, async (i) => {
      const name = `bench-cold-${i < 0 ? `w${-i}` : i}`;
      await create(name);
      const started = performance.now();
      await invoke(name);
      if (i >= 0) firstInvokes.push(performance.now() - started);
    });
    const coldInvoke = summarize(firstInvokes);

    await create('bench-warm');
    const warm = await measure(warmIterations, 20, async () => {
      await invoke('bench-warm');
    });

    // The dispatcher's Invoke: the same request, signed, without the SDK's per-call middleware.
    const invoker = lambdaInvoker(lambda, invokeTimeouts(30));
    const warmInvoker = await measure(warmIterations, 20, async () => {
      await invoker('bench-warm', Buffer.from('{}'));
    });

    // The same call without the SDK (no signing, no middleware): what the host itself adds.
    // The host checks only which key signed (as a local stand-in, it verifies no signature).
    const invocationsUrl = `${stack.endpoints.lambda}/2015-03-31/functions/bench-warm/invocations`;
    const { accessKeyId } = stack.clientConfig('lambda').credentials;
    const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0`;
    const warmHttp = await measure(warmIterations, 20, async () => {
      const res = await fetch(invocationsUrl, { method: 'POST', body: '{}', headers: { authorization } });
      if (res.status !== 200) throw new Error(`plain HTTP invoke answered ${res.status}`);
      await res.arrayBuffer();
    });

    const echo = join(dir, 'echo.cjs');
    await writeFile(echo, ECHO_CHILD);
    const spawnFloor = await measure(coldIterations, 2, async () => {
      const child = fork(echo, [], { env: {}, execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      await new Promise((resolve) => child.once('message', resolve));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    });
    const child = fork(echo, [], { env: {}, execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    await new Promise((resolve) => child.once('message', resolve));
    const ipcFloor = await measure(warmIterations, 20, async () => {
      const reply = new Promise((resolve) => child.once('message', resolve));
      child.send({ type: 'invoke', event: '{}' });
      await reply;
    });
    child.kill('SIGKILL');

    return [
      {
        section: 'function host',
        name: 'cold: first Invoke of a no-dependency action (runtime wrapper, built by buildAction)',
        n: coldIterations,
        ...actionCold,
        floor: 'floor: cold first Invoke, the same code behind a bare handler',
        note: `bundle ${Math.round(built.bundle_bytes / 1024)} KiB; goal: the wrapper adds ≤ 5 ms at p50: ${wrapperCold} ms, ${wrapperCold <= 5 ? 'goal met' : 'goal NOT met'}`,
      },
      {
        section: 'function host',
        name: 'floor: cold first Invoke, the same code behind a bare handler',
        n: coldIterations,
        ...bareCold,
      },
      {
        section: 'function host',
        name: 'cold: CreateFunction + first Invoke (SDK)',
        n: coldIterations,
        ...cold,
        floor: 'floor: fork + first IPC message',
      },
      {
        section: 'function host',
        name: 'cold: first Invoke alone (SDK)',
        n: coldIterations,
        ...coldInvoke,
        floor: 'floor: fork + first IPC message',
      },
      {
        section: 'function host',
        name: 'warm Invoke (SDK, HTTP, IPC)',
        n: warmIterations,
        ...warm,
        floor: 'floor: IPC round trip, warm child',
      },
      {
        section: 'function host',
        name: "warm Invoke, the dispatcher's lambdaInvoker (signed, no SDK middleware)",
        n: warmIterations,
        ...warmInvoker,
        floor: 'floor: IPC round trip, warm child',
      },
      {
        section: 'function host',
        name: 'warm Invoke, plain HTTP POST (no SDK)',
        n: warmIterations,
        ...warmHttp,
        floor: 'floor: IPC round trip, warm child',
      },
      { section: 'function host', name: 'floor: fork + first IPC message', n: coldIterations, ...spawnFloor },
      { section: 'function host', name: 'floor: IPC round trip, warm child', n: warmIterations, ...ipcFloor },
    ];
  } finally {
    lambda.destroy();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runFunctionHostBench());
}
