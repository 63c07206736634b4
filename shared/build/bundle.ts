/**
 * Bundles the action-version runtime (shared/runtime/lambda-entry.ts) around the tenant's code and
 * its installed dependencies into one CommonJS file. Compilation errors come back as
 * BuildFailedErrors whose positions are relative to the tenant's own code.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildFailure, build, type Message, type Plugin } from 'esbuild';
import { modulePrelude } from '../runtime/module-context.ts';
import {
  ACTION_FILE,
  ACTION_NAMESPACE,
  type ActionModuleSource,
  actionPlugin,
  MODULE_NAMESPACE,
} from './action-plugin.ts';
import { type BuildErrorDetail, BuildFailedError } from './build-errors.ts';

export type SourcemapMode = 'none' | 'inline' | 'external';

export interface BundleInput {
  code: string;
  modules: ActionModuleSource[];
  /** The folder holding the installed node_modules. */
  installDir: string;
  target: 'node22' | 'node18';
  sourcemap?: SourcemapMode;
  /** The runtime's entry (shared/runtime/lambda-entry.ts); defaults to the one next to this file. */
  entryPoint?: string;
}

export interface BundleOutput {
  js: string;
  /** Present with `sourcemap: 'external'`: the contents of `index.js.map`. */
  map?: string;
  warnings: string[];
}

/** 'external' is esbuild's 'linked': a separate file that index.js points to, so Node finds it. */
const SOURCEMAP = { none: false, inline: 'inline', external: 'linked' } as const;

/**
 * The runtime entry next to this file. A function, not a constant: a builder that is itself
 * bundled has no meaningful `import.meta.url` and passes its own `entryPoint` instead.
 */
export function defaultEntryPoint(): string {
  return fileURLToPath(new URL('../runtime/lambda-entry.ts', import.meta.url));
}

export async function bundleAction(input: BundleInput): Promise<BundleOutput> {
  const entryPoint = input.entryPoint ?? defaultEntryPoint();
  // Paths in bundle comments are relative to the project root (entry is shared/runtime/<file>),
  // so a bundle does not depend on where the project is checked out.
  const workingDir = path.resolve(path.dirname(entryPoint), '../..');
  const result = await build({
    entryPoints: [entryPoint],
    absWorkingDir: workingDir,
    outfile: 'index.js',
    write: false,
    bundle: true,
    platform: 'node',
    target: input.target,
    format: 'cjs',
    // Readable stack traces: identifiers and function names as written.
    minify: false,
    keepNames: true,
    legalComments: 'none',
    sourcemap: SOURCEMAP[input.sourcemap ?? 'none'],
    // Positions are what stack traces need; sources would triple the map's size.
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      runtimeZod(workingDir),
      actionPlugin({ code: input.code, modules: input.modules, installDir: input.installDir }),
    ],
  }).catch((error: unknown) => {
    throw isBuildFailure(error) ? toBuildFailedError(error.errors, input.installDir, workingDir) : error;
  });

  rejectEsModules(result.metafile.inputs, input.modules);
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text;
  return {
    js,
    ...(map === undefined ? {} : { map }),
    warnings: result.warnings.map((w) => describe(w, input.installDir, workingDir, 'Warning').msg),
  };
}

/**
 * Hookchain's own modules in the bundle get the small stand-in for zod (shared/runtime/zod-in-bundle.ts:
 * the part of zod's API the triggers use, none of zod's code); a tenant's own `zod` dependency stays theirs.
 */
export function runtimeZod(projectRoot: string): Plugin {
  const small = path.join(projectRoot, 'shared', 'runtime', 'zod-in-bundle.ts');
  const ours = path.join(projectRoot, 'shared') + path.sep;
  return {
    name: 'hookchain-runtime-zod',
    setup(b) {
      b.onResolve({ filter: /^zod$/ }, (args) =>
        args.importer.startsWith(ours) ? { path: small } : undefined,
      );
    },
  };
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** Auth0 runs actions as CommonJS; ES module syntax would also change when top-level code runs. */
function rejectEsModules(inputs: Record<string, { format?: string }>, modules: ActionModuleSource[]) {
  const errors: BuildErrorDetail[] = [];
  const hint = 'actions are CommonJS: use require() and exports.<handler> = async (event, api) => {...}.';
  if (inputs[`${ACTION_NAMESPACE}:${ACTION_FILE}`]?.format === 'esm') {
    errors.push({
      id: 'compilation_failed',
      msg: `Compilation failed: action code uses import/export; ${hint}`,
    });
  }
  for (const m of modules) {
    if (inputs[`${MODULE_NAMESPACE}:${m.name}.js`]?.format === 'esm') {
      errors.push({
        id: 'compilation_failed',
        msg: `Compilation failed: module actions:${m.name} uses import/export; modules are CommonJS (module.exports = ...).`,
      });
    }
  }
  if (errors.length > 0) throw new BuildFailedError(errors);
}

function toBuildFailedError(messages: Message[], installDir: string, workingDir: string): Error {
  const described = messages.map((m) => describe(m, installDir, workingDir));
  const internal = described.find((d) => !d.tenant);
  // An error inside the runtime is Hookchain's bug, not something the tenant can fix.
  if (internal) return new Error(`Bundling the action runtime failed: ${internal.msg}`);
  return new BuildFailedError(described.map(({ id, msg }) => ({ id, msg })));
}

function describe(
  message: Message,
  installDir: string,
  workingDir: string,
  prefix = 'Compilation failed',
): BuildErrorDetail & { tenant: boolean } {
  const id = (message.detail as { id?: string } | undefined)?.id ?? 'compilation_failed';
  const where = locate(message, installDir, workingDir);
  return {
    id,
    msg: `${prefix}: ${where ? `${where.label}: ` : ''}${message.text}`,
    tenant: where?.tenant ?? false,
  };
}

function locate(
  message: Message,
  installDir: string,
  workingDir: string,
): { label: string; tenant: boolean } | undefined {
  const loc = message.location;
  if (!loc) return undefined;
  // esbuild lines are 1-based and columns 0-based; editors show both 1-based.
  const at = `line ${loc.line}, column ${loc.column + 1}`;
  if (loc.file === `${ACTION_NAMESPACE}:${ACTION_FILE}`) return { label: `action code ${at}`, tenant: true };
  if (loc.file.startsWith(`${MODULE_NAMESPACE}:`)) {
    const name = loc.file.slice(MODULE_NAMESPACE.length + 1).replace(/\.js$/, '');
    // Line 1 starts with the prelude that binds `actions`: report the tenant's own column.
    const column = loc.line === 1 ? Math.max(0, loc.column - modulePrelude(name).length) : loc.column;
    return { label: `module actions:${name} line ${loc.line}, column ${column + 1}`, tenant: true };
  }
  const nodeModules = path.join(installDir, 'node_modules');
  const file = path.resolve(workingDir, loc.file);
  if (file.startsWith(nodeModules + path.sep)) {
    return { label: `dependency file ${path.relative(installDir, file)} ${at}`, tenant: true };
  }
  return { label: `${loc.file} ${at}`, tenant: false };
}
