/**
 * Sustained load on the whole local platform: a fixed number of post-login executions at a fixed
 * concurrency against a chain of three warm actions (claims, metadata, a small computation),
 * over HTTP through the API front, with p50/p99, errors and throughput; next to two floors
 * measured in the same run at the same concurrency — the chain's own work (three bare Lambda-API
 * invokes of a no-op function per request) and the API front alone (`GET /health`). The stack's
 * memory is sampled before, during and after the run: the RSS of this process (which holds the
 * whole stack — DynamoDB, SQS, the function host, the API front — and the load generator) and the
 * sum of the function workers' RSS (their own processes, from /proc/<pid>/status). RSS alone cannot
 * tell a leak from a heap V8 grew under load and kept, or from data the local stand-ins keep by
 * design, so at the start, halfway and at the end of the run it also takes the heap in use after a
 * forced GC, the Logs server's stored events and dynalite's bytes on disk; at the end it drops the
 * log groups and collects again, which shows what the events cost in the heap and what is retained
 * besides them (the bench runs with --expose-gc; without it the flag is set at run time).
 *
 *   npx tsx bench/load.ts          (or `npm run bench -- load`)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { startHookchain } from '../infra/local/hookchain.ts';
import { invokeTimeouts } from '../shared/aws/lambda-function-host.ts';
import { lambdaInvoker } from '../shared/aws/lambda-invoker.ts';
import { sampleEvent } from '../shared/testing/index.ts';
import { type Row, summarize } from './stats.ts';

export interface LoadBenchOptions {
  requests?: number;
  concurrency?: number;
  /** Requests before the measured run (not counted). */
  warmup?: number;
  /** Run for this long instead of `requests` (the soak); the floors keep `requests`. */
  durationMs?: number;
}

const CHAIN = [
  {
    name: 'load-claims',
    code: `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://load.test/roles', event.authorization?.roles ?? []);
  api.accessToken.setCustomClaim('https://load.test/tenant', event.tenant.id);
};`,
  },
  {
    name: 'load-metadata',
    code: `exports.onExecutePostLogin = async (event, api) => {
  api.user.setAppMetadata('last_login_country', event.request.geoip?.countryCode ?? 'unknown');
  api.user.setUserMetadata('logins', (event.stats?.logins_count ?? 0) + 1);
};`,
  },
  {
    name: 'load-compute',
    code: `const crypto = require('node:crypto');
exports.onExecutePostLogin = async (event, api) => {
  const digest = crypto.createHash('sha256').update(event.user.user_id + event.session?.id).digest('hex');
  api.idToken.setCustomClaim('https://load.test/fingerprint', digest.slice(0, 16));
};`,
  },
];

/** Resident set size of a process in bytes, from /proc (0 when it is gone). */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface MemorySample {
  stack: number;
  workers: number;
  workerCount: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

/** What the stack process retains at one moment: the heap after a forced GC and the stand-ins' data. */
interface Retained {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  /** Message bytes the local Logs server holds (in this process's heap). */
  logBytes: number;
  /** dynalite's LevelDB files (on disk). */
  dynamoBytes: number;
}

/**
 * A full collection, so heap figures are what is retained rather than garbage not yet collected:
 * `gc` when the process runs with --expose-gc (`npm run bench` does), else the same flag set at run
 * time; undefined when neither works (the figures are then without a forced GC).
 */
function forcedGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** Bytes of the files under `dir`, 0 when it is absent. */
async function bytesUnder(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).size),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/**
 * Runs `total` calls of `run` (or as many as fit in `durationMs`), `concurrency` at a time;
 * returns each call's latency and failures. `halfway` is awaited once, halfway through, with the
 * number of calls finished by then.
 */
async function drive(
  total: number,
  concurrency: number,
  run: () => Promise<boolean>,
  durationMs?: number,
  halfway?: (done: number) => Promise<void>,
) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let pastHalf = false;
  const started = performance.now();
  const more = () => (durationMs === undefined ? next < total : performance.now() - started < durationMs);
  const half = () =>
    durationMs === undefined ? next >= total / 2 : performance.now() - started >= durationMs / 2;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        if (halfway && !pastHalf && half()) {
          pastHalf = true;
          await halfway(latencies.length);
        }
        next++;
        const t0 = performance.now();
        let ok = false;
        try {
          ok = await run();
        } catch {
          ok = false;
        }
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    ...summarize(latencies),
    n: latencies.length,
    errors,
    perSecond: Math.round(latencies.length / seconds),
  };
}

export async function runLoadBench({
  requests = 2000,
  concurrency = 16,
  warmup = 100,
  durationMs,
}: LoadBenchOptions = {}): Promise<Row[]> {
  const stateDir = await mkdtemp(join(tmpdir(), 'hookchain-bench-load-'));
  const stack = await startHookchain({ stateDir, port: 0, logLevel: 'silent' });
  const headers = { authorization: `Bearer ${stack.bootstrap.token}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: bench reads a few known fields of JSON replies.
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };
  const until = async (check: () => Promise<boolean>) => {
    while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const lambda = new LambdaClient(stack.clientConfig('lambda'));
  const logs = new CloudWatchLogsClient(stack.clientConfig('logs'));
  const functionNames: string[] = [];
  const gc = forcedGc();

  const memory = (): MemorySample => {
    const pids = stack.functionWorkerPids();
    return {
      stack: process.memoryUsage().rss,
      workers: pids.reduce((sum, pid) => sum + rssOf(pid), 0),
      workerCount: pids.length,
    };
  };

  const logGroups = async () => {
    const groups: Array<{ name: string; bytes: number }> = [];
    for await (const page of paginateDescribeLogGroups({ client: logs }, {})) {
      for (const g of page.logGroups ?? [])
        groups.push({ name: g.logGroupName ?? '', bytes: g.storedBytes ?? 0 });
    }
    return groups;
  };
  const retained = async (): Promise<Retained> => {
    gc?.();
    const { heapUsed, heapTotal, rss } = process.memoryUsage();
    const groups = await logGroups();
    return {
      heapUsed,
      heapTotal,
      rss,
      logBytes: groups.reduce((sum, g) => sum + g.bytes, 0),
      dynamoBytes: await bytesUnder(join(stack.stateDir, 'dynamodb')),
    };
  };

  try {
    for (const action of CHAIN) {
      const created = await call('POST', '/api/v2/actions/actions', {
        name: action.name,
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        code: action.code,
      });
      await until(
        async () => (await call('GET', `/api/v2/actions/actions/${created.body.id}`)).body.status === 'built',
      );
      const version = await call('POST', `/api/v2/actions/actions/${created.body.id}/deploy`);
      await until(
        async () =>
          (await call('GET', `/api/v2/actions/actions/${created.body.id}`)).body.deployed_version?.number ===
          version.body.number,
      );
    }
    await call('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
      bindings: CHAIN.map((a) => ({ ref: { type: 'action_name', value: a.name } })),
    });

    const event = sampleEvent('post-login');
    const execute = async () => {
      const reply = await call('POST', '/api/v2/actions/triggers/post-login/execute', { event });
      return reply.status === 200 && reply.body.status === 'final';
    };
    await drive(warmup, concurrency, execute);
    const idle = memory();
    const start = await retained();

    const samples: MemorySample[] = [];
    const sampler = setInterval(() => samples.push(memory()), 250);
    let middle: (Retained & { done: number }) | undefined;
    const load = await drive(requests, concurrency, execute, durationMs, async (done) => {
      middle = { ...(await retained()), done };
    });
    clearInterval(sampler);
    samples.push(memory());
    // Let the run's garbage settle before the "after" sample.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = memory();
    const end = await retained();
    // What the Logs server's events cost in the heap: drop them all (the groups come back on the
    // next write) and collect again.
    for (const group of await logGroups())
      await logs.send(new DeleteLogGroupCommand({ logGroupName: group.name }));
    gc?.();
    const { heapUsed: withoutLogs, heapTotal: heapTotalWithoutLogs } = process.memoryUsage();

    // Floor 1: the chain's function work alone, three bare invokes of a no-op per request.
    const noopZip = zipSync({ 'index.js': strToU8('exports.handler = async () => null;\n') });
    for (let i = 0; i < CHAIN.length; i++) {
      const name = `load-noop-${i}`;
      functionNames.push(name);
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::123456789012:role/bench',
          Code: { ZipFile: noopZip },
        }),
      );
    }
    // Invoked as the dispatcher invokes (lambdaInvoker), so the comparison is of work, not clients.
    const invoker = lambdaInvoker(lambda, invokeTimeouts(30));
    const bareChain = async () => {
      for (const name of functionNames) {
        const out = await invoker(name, Buffer.from('{}'));
        if (out.functionError) return false;
      }
      return true;
    };
    await drive(warmup, concurrency, bareChain);
    const chainFloor = await drive(requests, concurrency, bareChain);

    // Floor 2: the API front alone.
    const health = async () => (await fetch(`${stack.url}/health`)).ok;
    await drive(warmup, concurrency, health);
    const frontFloor = await drive(requests, concurrency, health);

    const peak = (key: 'stack' | 'workers') => Math.max(...samples.map((s) => s[key]));
    const median = (key: 'stack' | 'workers') => summarize(samples.map((s) => mb(s[key])));
    const workers = Math.max(...samples.map((s) => s.workerCount));
    const section = 'load';
    const load_ =
      durationMs === undefined
        ? `${requests} × post-login, 3-action chain, concurrency ${concurrency}`
        : `post-login for ${Math.round(durationMs / 1000)} s (soak), 3-action chain, concurrency ${concurrency}`;
    const share = Math.round((load.perSecond / chainFloor.perSecond) * 100);
    const tail = Math.round((load.p99_ms / load.p50_ms) * 100) / 100;
    const first = samples[0] ?? idle;
    const last = samples[samples.length - 1] ?? after;
    const perExecution = (bytes: number) => Math.round(bytes / Math.max(1, load.n));
    // The heap the events took at the end, per byte of their messages; at other moments in
    // proportion to the bytes held then (an estimate: exact only at the end, where they were
    // dropped). What is left is retained besides them: a leak grows with the executions, in both
    // halves of the run alike; warm-up (compiled code) mostly in the first.
    const logsHeapEnd = end.heapUsed - withoutLogs;
    const heapPerLogByte = end.logBytes > 0 ? logsHeapEnd / end.logBytes : 0;
    const besides = (at: Retained) => at.heapUsed - heapPerLogByte * at.logBytes;
    const mid = middle ?? { ...start, done: 0 };
    const besidesFirstHalf = Math.round((besides(mid) - besides(start)) / Math.max(1, mid.done));
    const besidesSecondHalf = Math.round((besides(end) - besides(mid)) / Math.max(1, load.n - mid.done));
    const collected = gc ? 'after a forced GC' : 'without a forced GC (gc unavailable)';
    return [
      {
        section,
        name: load_,
        n: load.n,
        p50_ms: load.p50_ms,
        p99_ms: load.p99_ms,
        floor: `floor: 3 bare Lambda invokes per request, concurrency ${concurrency}`,
        note: `${load.errors} errors; ${load.perSecond} req/s`,
      },
      {
        section,
        name: `floor: 3 bare Lambda invokes per request, concurrency ${concurrency}`,
        n: requests,
        p50_ms: chainFloor.p50_ms,
        p99_ms: chainFloor.p99_ms,
        note: `${chainFloor.errors} errors; ${chainFloor.perSecond} req/s`,
      },
      {
        section,
        name: `floor: GET /health through the API front, concurrency ${concurrency}`,
        n: requests,
        p50_ms: frontFloor.p50_ms,
        p99_ms: frontFloor.p99_ms,
        note: `${frontFloor.errors} errors; ${frontFloor.perSecond} req/s`,
      },
      {
        section,
        name: 'goal: throughput ÷ the 3-invoke floor',
        n: load.n,
        p50_ms: share,
        p99_ms: share,
        unit: '%',
        note: `${share >= 60 ? 'goal met' : 'goal NOT met'} (≥ 60 %): ${load.perSecond} of ${chainFloor.perSecond} req/s`,
      },
      {
        section,
        name: 'goal: errors',
        n: load.n,
        p50_ms: load.errors,
        p99_ms: load.errors,
        unit: 'count',
        note: `${load.errors === 0 ? 'goal met' : 'goal NOT met'} (0 errors)`,
      },
      {
        section,
        name: 'goal: p99 ÷ p50 under load',
        n: load.n,
        p50_ms: tail,
        p99_ms: tail,
        unit: '×',
        note: `${tail <= 5 ? 'goal met' : 'goal NOT met'} (≤ 5×)`,
      },
      {
        section,
        name: 'memory: RSS at the start and the end of the run (stack process + workers)',
        n: samples.length,
        p50_ms: mb(first.stack + first.workers),
        p99_ms: mb(last.stack + last.workers),
        unit: 'MB',
        note: `p50 column: first sample, p99 column: last; stack ${mb(first.stack)} → ${mb(last.stack)} MB, workers ${mb(first.workers)} → ${mb(last.workers)} MB (${first.workerCount} → ${last.workerCount})`,
      },
      {
        section,
        name: 'memory: stack process RSS during the run',
        n: samples.length,
        ...median('stack'),
        unit: 'MB',
        note: `idle before ${mb(idle.stack)} MB, peak ${mb(peak('stack'))} MB, 2 s after ${mb(after.stack)} MB`,
      },
      {
        section,
        name: `memory: function workers' RSS, summed (${workers} workers)`,
        n: samples.length,
        ...median('workers'),
        unit: 'MB',
        note: `idle before ${mb(idle.workers)} MB (${idle.workerCount} workers), peak ${mb(peak('workers'))} MB, 2 s after ${mb(after.workers)} MB`,
      },
      {
        section,
        name: `memory: stack process heap in use ${collected}, start and end of the run`,
        n: load.n,
        p50_ms: mb(start.heapUsed),
        p99_ms: mb(end.heapUsed),
        unit: 'MB',
        note: `p50 column: start, p99 column: end; ${mb(mid.heapUsed)} MB halfway; ${perExecution(end.heapUsed - start.heapUsed)} bytes per execution; V8's heap (heapTotal) ${mb(start.heapTotal)} → ${mb(end.heapTotal)} MB, RSS right after ${mb(start.rss)} → ${mb(end.rss)} MB`,
      },
      {
        section,
        name: "memory: the local Logs server's events, kept by design (up to 50,000 per stream, 100,000 per group), start and end",
        n: load.n,
        p50_ms: mb(start.logBytes),
        p99_ms: mb(end.logBytes),
        unit: 'MB',
        note: `message bytes; ${perExecution(end.logBytes - start.logBytes)} bytes of messages per execution; ${mb(logsHeapEnd)} MB of heap at the end (freed when the groups were deleted)`,
      },
      {
        section,
        name: "memory: dynalite's LevelDB on disk (execution records), kept by design, start and end",
        n: load.n,
        p50_ms: mb(start.dynamoBytes),
        p99_ms: mb(end.dynamoBytes),
        unit: 'MB',
        note: `${perExecution(end.dynamoBytes - start.dynamoBytes)} bytes per execution, on disk: not in the heap (LevelDB's memory is its bounded write buffer and block cache)`,
      },
      {
        section,
        name: "memory: heap in use besides the Logs server's events, start and end (with the events dropped)",
        n: load.n,
        p50_ms: mb(besides(start)),
        p99_ms: mb(withoutLogs),
        unit: 'MB',
        note: `${perExecution(withoutLogs - besides(start))} bytes per execution over the run; estimated per half: ${besidesFirstHalf} bytes per execution in the first (with warm-up), ${besidesSecondHalf} in the second; the events took ${Math.round(heapPerLogByte * 10) / 10} bytes of heap per message byte; V8's heap with them dropped ${mb(heapTotalWithoutLogs)} MB`,
      },
    ];
  } finally {
    lambda.destroy();
    logs.destroy();
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runLoadBench());
}
