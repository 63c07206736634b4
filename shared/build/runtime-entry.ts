/**
 * The action runtime (shared/runtime/lambda-entry.ts) pre-bundled into one ESM file, with only
 * `hookchain:action` left open for each action's build to fill in (shared/build/bundle.ts). On
 * Lambda it ships in the builder's asset (infra/aws/builder-bundling.ts runs esbuild with
 * `runtimeEntryFlags`); elsewhere the builder makes it once per process with the same options.
 * Either way an action's build parses one file instead of the runtime's sources and zod's: about a
 * hundred milliseconds less per build.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

/** Where the pre-bundled entry sits below its root (the bundle's paths are relative to that root). */
export const RUNTIME_ENTRY_PATH = 'shared/runtime/lambda-entry.mjs';

const projectRoot = () => fileURLToPath(new URL('../..', import.meta.url));

/** The one definition of the pre-bundle (its output file aside). */
export function runtimeEntryOptions(root: string) {
  return {
    entryPoints: [`${root}/shared/runtime/lambda-entry.ts`],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // No keepNames: the action's build keeps every function's name (bundle.ts), and naming them
    // here too made each cold start name the runtime's functions twice.
    legalComments: 'none',
    logLevel: 'warning',
    external: ['hookchain:action'],
    // The small stand-in for zod (see shared/build/bundle.ts, runtimeZod).
    alias: { zod: `${root}/shared/runtime/zod-in-bundle.ts` },
  } satisfies BuildOptions;
}

/** The same, as esbuild's command-line arguments: the CDK asset's bundling runs the CLI. */
export function runtimeEntryFlags(root: string): string[] {
  const o = runtimeEntryOptions(root);
  return [
    ...o.entryPoints,
    '--bundle',
    `--platform=${o.platform}`,
    `--target=${o.target}`,
    `--format=${o.format}`,
    `--legal-comments=${o.legalComments}`,
    `--log-level=${o.logLevel}`,
    ...o.external.map((name) => `--external:${name}`),
    ...Object.entries(o.alias).map(([name, to]) => `--alias:${name}=${to}`),
  ];
}

const made = new Map<string, Promise<string>>();

/**
 * The pre-bundled entry under `dir` (as `<dir>/shared/runtime/lambda-entry.mjs`), made from this
 * checkout's sources on first use in this process, so it never lags behind them.
 */
export function prebundledRuntimeEntry(dir: string): Promise<string> {
  let entry = made.get(dir);
  if (!entry) {
    entry = prebundle(dir);
    made.set(dir, entry);
    entry.catch(() => made.delete(dir)); // a failed attempt is tried again by the next build
  }
  return entry;
}

async function prebundle(dir: string): Promise<string> {
  const outfile = path.join(dir, RUNTIME_ENTRY_PATH);
  await mkdir(path.dirname(outfile), { recursive: true });
  await build({ ...runtimeEntryOptions(projectRoot()), outfile });
  return outfile;
}
