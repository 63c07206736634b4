/**
 * Builds an action's draft into a Lambda deployment zip: checks the limits, installs the npm
 * dependencies (exact versions reported back for pinning), bundles runtime + code + dependencies
 * with esbuild, zips `index.js` (handler `index.handler`) and checks the zip against Lambda's
 * package quotas. Knows nothing of where the draft is stored or where the zip goes: the builder
 * handler does. An aborted build stops between steps and its requests are cancelled; it rejects
 * with the signal's reason.
 */

import path from 'node:path';
import type { ActionModuleSource } from './action-plugin.ts';
import { BuildFailedError } from './build-errors.ts';
import { bundleAction, type SourcemapMode } from './bundle.ts';
import { mergeModuleDependencies } from './module-dependencies.ts';
import { type DependencySpec, resolveDependencies } from './resolve-dependencies.ts';
import { unzippedSize, zipFiles } from './zip.ts';

export type { ActionModuleSource } from './action-plugin.ts';
export { BuildFailedError, RegistryUnavailableError } from './build-errors.ts';
export type { DependencySpec } from './resolve-dependencies.ts';

/** Auth0's limits (reference §3): the API validates them too, but a build must never exceed them. */
export const MAX_DEPENDENCIES = 10;
export const MAX_CODE_BYTES = 100 * 1024;
export const MAX_MODULES = 3;

export interface BundleLimits {
  zippedBytes: number;
  unzippedBytes: number;
}

/**
 * Lambda's deployment package quotas for a direct upload (CreateFunction / UpdateFunctionCode
 * with ZipFile): 50 MB zipped, 250 MB unzipped. The zip travels base64-encoded in a JSON request
 * capped at 69,905,067 bytes (50 MiB × 4/3), so decimal megabytes leave room for the rest of it.
 */
export const LAMBDA_BUNDLE_LIMITS: BundleLimits = { zippedBytes: 50_000_000, unzippedBytes: 250_000_000 };

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
  /** The deployment package's size limits; default LAMBDA_BUNDLE_LIMITS (tests lower them). */
  bundleLimits?: Partial<BundleLimits>;
  /** Installed dependency sets kept in cacheDir, least recently used evicted first; default 256 MB. */
  cacheMaxBytes?: number;
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
  try {
    return await build(input, options);
  } catch (error) {
    // Whatever an aborted step threw (a fetch's AbortError, a half-done install), the caller
    // asked for the stop: give back its reason.
    options.signal?.throwIfAborted();
    throw error;
  }
}

async function build(input: BuildInput, options: BuildOptions): Promise<BuildOutput> {
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
  // esbuild cannot be cancelled mid-build: stop right after it.
  options.signal?.throwIfAborted();
  const files: Record<string, string> = { 'index.js': bundle.js };
  if (bundle.map !== undefined) files['index.js.map'] = bundle.map;
  const zip = zipFiles(files);
  checkBundleSize(zip, { ...LAMBDA_BUNDLE_LIMITS, ...options.bundleLimits });

  return {
    zip,
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

/**
 * Lambda refuses a package over its quotas (RequestEntityTooLargeException, or "Unzipped size
 * must be smaller than ..."): a retry cannot help, so the tenant is told at once what to change.
 */
function checkBundleSize(zip: Uint8Array, limits: BundleLimits): void {
  const zipped = zip.byteLength;
  const unzipped = unzippedSize(zip);
  if (zipped <= limits.zippedBytes && unzipped <= limits.unzippedBytes) return;
  throw BuildFailedError.of(
    'bundle_too_large',
    `The bundle is too large to deploy: ${formatBytes(zipped)} zipped and ${formatBytes(unzipped)} unzipped; ` +
      `the limits are ${formatBytes(limits.zippedBytes)} zipped and ${formatBytes(limits.unzippedBytes)} unzipped. ` +
      'Drop large dependencies or replace them with smaller ones (a bundle holds every file the code requires).',
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} bytes`;
}
