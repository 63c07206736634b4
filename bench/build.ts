/**
 * Build benchmark: a no-dependency action build (install check + esbuild bundle of the runtime
 * and the action + zip) next to the floor, a bare esbuild build of a trivial file, in the same
 * run. Fixed iteration counts after a warm-up, so the run is bounded. No network is used.
 *
 *   npx tsx bench/build.ts          (or through `npm run bench`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildAction } from '../shared/build/build-action.ts';
import { defaultEntryPoint, runtimeZod } from '../shared/build/bundle.ts';
import type { Row } from './stats.ts';

export interface BuildBenchOptions {
  iterations?: number;
  warmup?: number;
}

const ACTION = `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/roles', event.authorization?.roles ?? []);
};`;

const stubAction: Plugin = {
  name: 'stub-action',
  setup(b) {
    b.onResolve({ filter: /^hookchain:action$/ }, () => ({ path: 'action', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: 'export default () => ({});',
      loader: 'js',
    }));
  },
};

/** The project root, where the runtime's modules live (the bundler maps their `zod` from there). */
const projectRoot = () => path.resolve(path.dirname(defaultEntryPoint()), '../..');

export async function runBuildBench({ iterations = 30, warmup = 3 }: BuildBenchOptions = {}): Promise<Row[]> {
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'hookchain-bench-build-'));
  try {
    let bundleBytes = 0;
    let zipBytes = 0;
    const actionBuild = await measure(iterations, warmup, async () => {
      // The registry is never contacted without dependencies; port 9 makes sure of it.
      const out = await buildAction(
        { code: ACTION, dependencies: [] },
        { registry: 'http://127.0.0.1:9/', cacheDir, retries: 0 },
      );
      bundleBytes = out.bundle_bytes;
      zipBytes = out.zip.byteLength;
    });
    const floor = await measure(iterations, warmup, async () => {
      await build({
        stdin: { contents: 'module.exports = () => 42;', loader: 'js' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        write: false,
        logLevel: 'silent',
      });
    });
    // What the runtime alone costs to bundle (the action stubbed out): most of a build is this.
    const runtimeOnly = await measure(iterations, warmup, async () => {
      await build({
        entryPoints: [defaultEntryPoint()],
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        keepNames: true,
        write: false,
        logLevel: 'silent',
        plugins: [runtimeZod(projectRoot()), stubAction],
      });
    });
    // What the runtime wrapper adds to every action bundle, minified (issue 16: at most 50 KiB).
    const minified = async (entry: 'runtime' | 'action') => {
      const out = await build({
        ...(entry === 'runtime'
          ? { entryPoints: [defaultEntryPoint()], plugins: [runtimeZod(projectRoot()), stubAction] }
          : { stdin: { contents: 'module.exports = () => ({});', loader: 'js' } }),
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        minify: true,
        write: false,
        logLevel: 'silent',
      });
      return out.outputFiles[0]?.contents.byteLength ?? 0;
    };
    const wrapperBytes = (await minified('runtime')) - (await minified('action'));
    const wrapperKiB = Math.round((wrapperBytes / 1024) * 10) / 10;
    return [
      {
        section: 'build',
        name: 'goal: bytes the runtime wrapper adds to an action bundle (minified)',
        n: 1,
        p50_ms: wrapperKiB,
        p99_ms: wrapperKiB,
        unit: 'KiB',
        note: `${wrapperKiB <= 50 ? 'goal met' : 'goal NOT met'} (≤ 50 KiB); the shipped bundle is not minified (readable stacks): ${kb(bundleBytes)}`,
      },
      {
        section: 'build',
        name: 'action build, no dependencies',
        n: iterations,
        ...actionBuild,
        floor: 'floor: bare esbuild, trivial file',
        note: `index.js ${kb(bundleBytes)}, zip ${kb(zipBytes)}`,
      },
      {
        section: 'build',
        name: 'esbuild of the runtime entry alone',
        n: iterations,
        ...runtimeOnly,
        floor: 'floor: bare esbuild, trivial file',
      },
      { section: 'build', name: 'floor: bare esbuild, trivial file', n: iterations, ...floor },
    ];
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function measure(iterations: number, warmup: number, run: () => Promise<void>) {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50_ms: round(percentile(samples, 0.5)), p99_ms: round(percentile(samples, 0.99)) };
}

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runBuildBench());
}
