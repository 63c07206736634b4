/**
 * Builds an action's draft into a Lambda deployment zip: checks the limits, installs the npm
 * dependencies (exact versions reported back for pinning), bundles runtime + code + dependencies
 * with esbuild, zips `index.js` (handler `index.handler`). Knows nothing of where the draft is
 * stored or where the zip goes: the builder handler does.
 */

import path from 'node:path';
import type { ActionModuleSource } from './action-plugin.ts';
import { BuildFailedError } from './build-errors.ts';
import { bundleAction, type SourcemapMode } from './bundle.ts';
import { mergeModuleDependencies } from './module-dependencies.ts';
import { type DependencySpec, resolveDependencies } from './resolve-dependencies.ts';
import { zipFiles } from './zip.ts';

export type { ActionModuleSource } from './action-plugin.ts';
export { BuildFailedError, RegistryUnavailableError } from './build-errors.ts';
export type { DependencySpec } from './resolve-dependencies.ts';

/** Auth0's limits (reference §3): the API validates them too, but a build must never exceed them. */
export const MAX_DEPENDENCIES = 10;
export const MAX_CODE_BYTES = 100 * 1024;
export const MAX_MODULES = 3;

export interface BuildInput {
  code: string;
  dependencies: DependencySpec[];
  runtime?: 'node22' | 'node18';
  /** Actions Modules the code may `require('actions:<name>')`, at the versions the action pins. */
  modules?: ActionModuleSource[];
}

export interface BuildOptions {
  /** e.g. https://registry.npmjs.org/ */
  registry: string;
  /** Persistent, e.g. .hookchain/build-cache: npm cache and installed dependency sets. */
  cacheDir: string;
  signal?: AbortSignal;
  /** Registry request retries (network errors, 5xx); default 2. */
  retries?: number;
  /**
   * Source map for the bundle. 'external' adds `index.js.map` to the zip (Node uses it with
   * `--enable-source-maps`); 'inline' embeds it in index.js. Default 'none'.
   */
  sourcemap?: SourcemapMode;
  /** The runtime entry to bundle; defaults to shared/runtime/lambda-entry.ts. */
  entryPoint?: string;
}

export interface BuildOutput {
  zip: Uint8Array;
  /**
   * Exact resolved versions of the declared dependencies, in declaration order, for pinning (the
   * modules' packages follow the action's own).
   */
  dependencies: Array<{ name: string; version: string }>;
  /** Size of index.js. */
  bundle_bytes: number;
  duration_ms: number;
  /** esbuild's warnings (e.g. a `require` with a computed name, which is left to run time). */
  warnings: string[];
}

export async function buildAction(input: BuildInput, options: BuildOptions): Promise<BuildOutput> {
  const started = performance.now();
  const modules = input.modules ?? [];
  checkLimits(input, modules);
  options.signal?.throwIfAborted();

  // Limits apply to the action's own dependencies; its modules' packages join the same install.
  const deps = await resolveDependencies(mergeModuleDependencies(input.dependencies, modules), options);
  options.signal?.throwIfAborted();

  const bundle = await bundleAction({
    code: input.code,
    modules,
    installDir: path.dirname(deps.nodeModulesDir),
    target: input.runtime ?? 'node22',
    ...(options.sourcemap ? { sourcemap: options.sourcemap } : {}),
    ...(options.entryPoint ? { entryPoint: options.entryPoint } : {}),
  });
  const files: Record<string, string> = { 'index.js': bundle.js };
  if (bundle.map !== undefined) files['index.js.map'] = bundle.map;

  return {
    zip: zipFiles(files),
    dependencies: deps.resolved,
    bundle_bytes: Buffer.byteLength(bundle.js),
    duration_ms: Math.round(performance.now() - started),
    warnings: bundle.warnings,
  };
}

function checkLimits(input: BuildInput, modules: ActionModuleSource[]): void {
  const errors: Array<{ id: string; msg: string }> = [];
  const codeBytes = Buffer.byteLength(input.code, 'utf8');
  if (codeBytes > MAX_CODE_BYTES) {
    errors.push({
      id: 'code_too_large',
      msg: `Action code is ${codeBytes} bytes; the limit is ${MAX_CODE_BYTES} bytes (100 kB, dependencies not counted). Move code into npm packages or Actions Modules.`,
    });
  }
  if (input.dependencies.length > MAX_DEPENDENCIES) {
    errors.push({
      id: 'too_many_dependencies',
      msg: `The action declares ${input.dependencies.length} dependencies; at most ${MAX_DEPENDENCIES} are allowed.`,
    });
  }
  const names = input.dependencies.map((d) => d.name);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicates.length > 0) {
    errors.push({
      id: 'duplicate_dependency',
      msg: `Dependencies declared more than once: ${duplicates.join(', ')}.`,
    });
  }
  if (modules.length > MAX_MODULES) {
    errors.push({
      id: 'too_many_modules',
      msg: `The action uses ${modules.length} Actions Modules; at most ${MAX_MODULES} are allowed.`,
    });
  }
  if (errors.length > 0) throw new BuildFailedError(errors);
}
