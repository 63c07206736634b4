/**
 * Runs a built action zip the way Lambda would: unzipped into an empty folder (no node_modules
 * anywhere above it), `index.js` required in a fresh Node process, `handler` called once per
 * request, in order, on the same warm instance.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';

export interface LambdaRun {
  /** The files the zip held. */
  files: string[];
  /** What the handler returned for each request. */
  results: unknown[];
  /** `globalThis.__topLevelRuns` (set by test actions) after loading and after each request. */
  topLevelRunsAtLoad: number;
  topLevelRunsAfter: number[];
}

const HARNESS = `
const requests = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
(async () => {
  const lambda = require(process.argv[1]);
  const runs = () => globalThis.__topLevelRuns ?? 0;
  const out = { results: [], topLevelRunsAtLoad: runs(), topLevelRunsAfter: [] };
  for (const request of requests) {
    out.results.push(await lambda.handler(request));
    out.topLevelRunsAfter.push(runs());
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

export async function runLambdaZip(
  zip: Uint8Array,
  requests: unknown[],
  { nodeArgs = [] }: { nodeArgs?: string[] } = {},
): Promise<LambdaRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hookchain-lambda-'));
  try {
    const files = unzipSync(zip);
    for (const [name, data] of Object.entries(files)) await writeFile(path.join(dir, name), data);
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        [...nodeArgs, '-e', HARNESS, path.join(dir, 'index.js')],
        { cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
      child.stdin?.end(JSON.stringify(requests));
    });
    return { files: Object.keys(files), ...(JSON.parse(stdout) as Omit<LambdaRun, 'files'>) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
