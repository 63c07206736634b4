/**
 * Dispatch benchmark, on the whole local platform:
 * - deploy: create → deploy (answers once live) → bind → the first execute running the new code,
 *   for a no-dependency action, next to the floor of a bare buildAction (esbuild bundle + zip) of
 *   the same code;
 * - sync execute of post-login chains of 1, 5 and 20 warm actions over HTTP (p50/p99 and
 *   throughput), next to the floor of one `GET /health` round trip through the same API front
 *   plus the same number of bare Lambda-API invokes of a no-op function on the same function
 *   host: what any request and its actions cost at least;
 * - the goals of issue 16 as ratios to those floors: the fixed cost of a chain of one, the
 *   overhead per added action, a 20-action chain over its floor, p99 over p50; and, for context,
 *   the one write the caller waits for (the execution record's PutItem) timed on its own.
 * Fixed request counts, loopback only.
 *
 *   npx tsx bench/dispatch.ts          (or `npm run bench -- dispatch`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { startHookchain } from '../infra/local/hookchain.ts';
import { invokeTimeouts } from '../shared/aws/lambda-function-host.ts';
import { lambdaInvoker } from '../shared/aws/lambda-invoker.ts';
import { buildAction } from '../shared/build/build-action.ts';
import { prebundledRuntimeEntry } from '../shared/build/runtime-entry.ts';
import { sampleEvent } from '../shared/testing/index.ts';
import { measure, type Row, summarize } from './stats.ts';

export interface DispatchBenchOptions {
  deploys?: number;
  requests?: number;
  concurrency?: number;
  chains?: number[];
}

const code = (i: number) =>
  `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://bench.test/a${i}', ${i}); };`;

export async function runDispatchBench({
  deploys = 10,
  requests = 200,
  concurrency = 8,
  chains = [1, 5, 20],
}: DispatchBenchOptions = {}): Promise<Row[]> {
  const stateDir = await mkdtemp(join(tmpdir(), 'hookchain-bench-dispatch-'));
  const stack = await startHookchain({ stateDir, port: 0, logLevel: 'silent' });
  const rows: Row[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.bootstrap.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: bench reads a few known fields of JSON replies.
    return text ? (JSON.parse(text) as Record<string, any>) : {};
  };
  // Deploy means live: deploy answers once the version serves (waiting for the draft's build too),
  // so create → deploy → bind → execute needs no polling; the execute must run the new code.
  const deploy = async (i: number) => {
    const created = await call('POST', '/api/v2/actions/actions', {
      name: `bench-${i}`,
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: code(i),
    });
    await call('POST', `/api/v2/actions/actions/${created.id}/deploy`);
    await call('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
      bindings: [{ ref: { type: 'action_id', value: created.id } }],
    });
    const run = await call('POST', '/api/v2/actions/triggers/post-login/execute', {
      event: sampleEvent('post-login'),
    });
    if (run.result?.id_token_claims?.[`https://bench.test/a${i}`] !== i)
      throw new Error(`the first execute after deploy did not run bench-${i}: ${JSON.stringify(run)}`);
  };

  try {
    const maxChain = Math.max(...chains);
    const deployTimes = await measure(Math.min(deploys, maxChain), 0, (i) => deploy(i));
    for (let i = Math.min(deploys, maxChain); i < maxChain; i++) await deploy(i);
    // The build as the builder runs it: around the pre-bundled runtime entry.
    const buildCache = join(stateDir, 'bench-build');
    const entryPoint = await prebundledRuntimeEntry(buildCache);
    const buildFloor = await measure(deploys, 1, async () => {
      await buildAction(
        { code: code(0), dependencies: [] },
        { registry: 'http://127.0.0.1:9/', cacheDir: buildCache, entryPoint },
      );
    });
    rows.push(
      {
        section: 'deploy',
        name: 'create → deploy → bind → first execute (no deps)',
        n: Math.min(deploys, maxChain),
        ...deployTimes,
        floor: 'floor: buildAction alone',
      },
      { section: 'deploy', name: 'floor: buildAction alone', n: deploys, ...buildFloor },
    );

    // The floor mirrors a chain's shape: one no-op function per action, each invoked once.
    const lambda = new LambdaClient(stack.clientConfig('lambda'));
    const noopZip = zipSync({ 'index.js': strToU8('exports.handler = async () => null;\n') });
    for (let i = 0; i < maxChain; i++) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: `bench-noop-${i}`,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::123456789012:role/bench',
          Code: { ZipFile: noopZip },
        }),
      );
    }
    // The floor invokes as the dispatcher does (lambdaInvoker), so the comparison is of work, not clients.
    const invoker = lambdaInvoker(lambda, invokeTimeouts(30));
    const noop = (i: number) => invoker(`bench-noop-${i}`, Buffer.from('{}'));

    // Time spent waiting on action functions, so the dispatcher's own share can be isolated.
    const host = stack.platform.dispatch.functions;
    let invokeMs = 0;
    stack.platform.dispatch.functions = {
      ...host,
      invoke: async (name, payload, options) => {
        const started = performance.now();
        try {
          return await host.invoke(name, payload, options);
        } finally {
          invokeMs += performance.now() - started;
        }
      },
    };
    const ownMsBySize = new Map<number, number>();
    const bySize = new Map<number, { p50: number; p99: number; floor: number }>();
    const health = async () => {
      const response = await fetch(`${stack.url}/health`);
      await response.arrayBuffer();
    };

    const event = sampleEvent('post-login');
    for (const size of chains) {
      await call('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
        bindings: Array.from({ length: size }, (_, i) => ({
          ref: { type: 'action_name', value: `bench-${i}` },
        })),
      });
      const execute = async () => {
        const outcome = await call('POST', '/api/v2/actions/triggers/post-login/execute', { event });
        if (outcome.status !== 'final')
          throw new Error(
            `bench execution ended ${outcome.status}: ${JSON.stringify(outcome.error ?? outcome)}`,
          );
      };
      const latency = await measure(requests, 20, execute);
      // The same requests again, each minus the time its actions' invokes took.
      const own: number[] = [];
      for (let i = 0; i < requests; i++) {
        invokeMs = 0;
        const started = performance.now();
        await execute();
        own.push(performance.now() - started - invokeMs);
      }
      const ownSummary = summarize(own);
      ownMsBySize.set(size, ownSummary.p50_ms);
      const floor = await measure(requests, 20, async () => {
        await health();
        for (let i = 0; i < size; i++) await noop(i);
      });
      bySize.set(size, { p50: latency.p50_ms, p99: latency.p99_ms, floor: floor.p50_ms });
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < requests) await execute();
        }),
      );
      const perSecond = Math.round((requests / (performance.now() - started)) * 1000);
      const overhead = Math.round(((latency.p50_ms - floor.p50_ms) / size) * 100) / 100;
      rows.push(
        {
          section: 'dispatch',
          name: `execute post-login, ${size} action${size > 1 ? 's' : ''}`,
          n: requests,
          ...latency,
          floor: floorName(size),
          note: `${perSecond} req/s at concurrency ${concurrency}; overhead ${overhead} ms/action over the floor`,
        },
        {
          section: 'dispatch',
          name: floorName(size),
          n: requests,
          ...floor,
        },
        {
          section: 'dispatch',
          name: `  of which outside action invokes (HTTP front, auth, chain, records, logs)`,
          n: requests,
          ...ownSummary,
        },
      );
    }
    rows.push(...goalRows(bySize, requests));
    // The one write a sync execution waits for, alone: the execution record's PutItem.
    const store = stack.platform.dispatch.store;
    const put = await measure(requests, 20, async (i) => {
      const at = new Date().toISOString();
      await store.executions.put({
        tenant_id: 'bench',
        id: `bench-put-${i}`,
        trigger_id: 'post-login',
        status: 'final',
        results: [],
        created_at: at,
        updated_at: at,
        expires_at: Math.floor(Date.now() / 1000) + 60,
      });
    });
    rows.push({
      section: 'dispatch',
      name: 'context: the execution record alone (one DynamoDB PutItem as the dispatcher sends it)',
      n: requests,
      ...put,
      note: 'the one write a sync execution waits for; part of the fixed cost',
    });
    const smallest = Math.min(...chains);
    const largest = Math.max(...chains);
    if (largest > smallest) {
      const perAction =
        ((ownMsBySize.get(largest) ?? 0) - (ownMsBySize.get(smallest) ?? 0)) / (largest - smallest);
      rows.push({
        section: 'dispatch',
        name: `dispatcher's own time per extra action (p50 slope, ${smallest} → ${largest} actions)`,
        n: requests,
        p50_ms: Math.round(perAction * 1000) / 1000,
        // A slope of medians has no p99 of its own.
        p99_ms: Math.round(perAction * 1000) / 1000,
        note: 'time outside the action invokes, per action added to the chain',
      });
    }
    lambda.destroy();
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
  return rows;
}

const floorName = (size: number) => `floor: GET /health + ${size} bare Lambda invoke${size > 1 ? 's' : ''}`;

const round2 = (value: number) => Math.round(value * 100) / 100;
const verdict = (met: boolean) => (met ? 'goal met' : 'goal NOT met');

/** Issue 16's goals for sync executions, each computed from figures measured in this run. */
function goalRows(bySize: Map<number, { p50: number; p99: number; floor: number }>, n: number): Row[] {
  const rows: Row[] = [];
  const one = bySize.get(1);
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const largest = sizes[sizes.length - 1] ?? 1;
  const big = bySize.get(largest);
  const goal = (name: string, value: number, note: string): Row => ({
    section: 'dispatch',
    name,
    n,
    p50_ms: round2(value),
    p99_ms: round2(value),
    unit: 'ms',
    note,
  });
  if (one) {
    const fixed = one.p50 - one.floor;
    rows.push(
      goal('goal: fixed cost, chain of 1 over its floor (p50)', fixed, `${verdict(fixed <= 1)} (≤ 1 ms)`),
    );
  }
  if (one && big && largest > 1) {
    const perAction = (big.p50 - big.floor - (one.p50 - one.floor)) / (largest - 1);
    rows.push(
      goal(
        `goal: overhead per added action (p50, 1 → ${largest} actions, each over its floor)`,
        perAction,
        `${verdict(perAction <= 0.25)} (≤ 0.25 ms)`,
      ),
    );
    const ratio = big.p50 / big.floor;
    rows.push({
      ...goal(`goal: ${largest}-action chain ÷ its floor (p50)`, ratio, `${verdict(ratio <= 1.3)} (≤ 1.3×)`),
      unit: '×',
    });
  }
  for (const size of sizes) {
    const s = bySize.get(size)!;
    const ratio = s.p99 / s.p50;
    rows.push({
      ...goal(`goal: p99 ÷ p50, chain of ${size}`, ratio, `${verdict(ratio <= 3)} (≤ 3×)`),
      unit: '×',
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await runDispatchBench());
}
