/**
 * Start-up benchmark: `npm start`'s own command (`tsx infra/local/main.ts`) spawned as a process,
 * timed from spawn to the first `GET /health` 200 — on an empty state directory (first start:
 * tokens generated, table and queues created) and again on the state the first start left (a
 * restart). The floor, measured in the same run, is the same `tsx` spawning a script that only
 * answers /health: what any TypeScript process that serves HTTP pays before doing anything.
 *
 *   npx tsx bench/startup.ts          (or `npm run bench -- startup`)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Row, summarize } from './stats.ts';

export interface StartupBenchOptions {
  iterations?: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'infra/local/main.ts');
const HEALTH_ONLY = `import { createServer } from 'node:http';
createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); })
  .listen(Number(process.env.PORT), '127.0.0.1');
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns `tsx <script>` and resolves the milliseconds until its /health answers 200. */
async function timeToHealthy(script: string, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export async function runStartupBench({ iterations = 5 }: StartupBenchOptions = {}): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'hookchain-bench-startup-'));
  try {
    const floorScript = join(dir, 'health-only.ts');
    await writeFile(floorScript, HEALTH_ONLY);
    const first: number[] = [];
    const second: number[] = [];
    const floor: number[] = [];
    // One unmeasured round warms the filesystem cache for all three.
    for (let i = -1; i < iterations; i++) {
      const stateDir = join(dir, `state-${i}`);
      const env = { HOOKCHAIN_STATE_DIR: stateDir, HOOKCHAIN_LOG_LEVEL: 'silent' };
      const a = await timeToHealthy(MAIN, env);
      const b = await timeToHealthy(MAIN, env);
      const c = await timeToHealthy(floorScript, {});
      if (i >= 0) {
        first.push(a);
        second.push(b);
        floor.push(c);
      }
    }
    const floorName = 'floor: tsx process serving only /health';
    return [
      {
        section: 'startup',
        name: 'npm start → /health 200, empty state (first start)',
        n: iterations,
        ...summarize(first),
        floor: floorName,
      },
      {
        section: 'startup',
        name: 'npm start → /health 200, existing state (restart)',
        n: iterations,
        ...summarize(second),
        floor: floorName,
      },
      { section: 'startup', name: floorName, n: iterations, ...summarize(floor) },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runStartupBench());
}
