/**
 * The esbuild plugin that puts a tenant's action into the runtime's bundle.
 *
 * - `hookchain:action` (imported by shared/runtime/lambda-entry.ts) becomes a loader function that
 *   `require`s the action's source. The source is a virtual CommonJS file, so esbuild wraps it in
 *   its lazy `__commonJS` wrapper: top-level code runs on the first call, not at bundle load.
 * - `require('actions:<name>')` resolves to the Actions Modules given to the build.
 * - Everything the action and its dependencies import must resolve inside the installed
 *   dependency set. esbuild looks up parent folders like Node, which would otherwise let tenant
 *   code bundle the builder's own packages or files (`require('../../etc/passwd')`).
 */
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from 'esbuild';
import { modulePrelude } from '../runtime/module-context.ts';
import type { DependencySpec } from './resolve-dependencies.ts';

export interface ActionModuleSource {
  name: string;
  code: string;
  /** Exact versions, merged into the action's dependency set (see module-dependencies.ts). */
  dependencies?: DependencySpec[];
}

export interface ActionPluginOptions {
  code: string;
  modules: ActionModuleSource[];
  /** The folder holding the installed `node_modules` (where `require('<dep>')` resolves from). */
  installDir: string;
}

export const ACTION_NAMESPACE = 'hookchain-action';
export const MODULE_NAMESPACE = 'hookchain-module';
export const ACTION_FILE = 'action.js';
const LOADER_NAMESPACE = 'hookchain';
const SOURCE_SPECIFIER = 'hookchain:action-source';
/** Marks our own nested `build.resolve` calls so the guard does not intercept them again. */
const NESTED = Symbol('hookchain-nested-resolve');

/** The ids plugin errors carry in `detail`, turned into BuildFailedError ids by the bundler. */
export type PluginErrorId = 'module_not_found' | 'action_module_not_found';

export function actionPlugin({ code, modules, installDir: dir }: ActionPluginOptions): Plugin {
  const installDir = path.resolve(dir);
  const nodeModules = path.join(installDir, 'node_modules') + path.sep;
  const moduleByName = new Map(modules.map((m) => [m.name, m]));

  return {
    name: 'hookchain-action',
    setup(build) {
      // Guards first: esbuild asks onResolve callbacks in order and the first answer wins. Each is
      // scoped as narrowly as esbuild's filters allow: every import a callback sees is a round
      // trip from esbuild to JavaScript, and the runtime's own imports (hundreds) need none.
      const fromTenantCode = async (args: OnResolveArgs) =>
        args.pluginData === NESTED
          ? undefined
          : resolveFromTenantCode(build, args, installDir, nodeModules, moduleByName);
      build.onResolve({ filter: /.*/, namespace: ACTION_NAMESPACE }, fromTenantCode);
      build.onResolve({ filter: /.*/, namespace: MODULE_NAMESPACE }, fromTenantCode);
      // Imports inside installed packages: only when there are any (an action without dependencies
      // installs none). esbuild cannot filter on the importer, so this one sees every file import.
      if (existsSync(nodeModules)) {
        build.onResolve({ filter: /.*/, namespace: 'file' }, async (args) =>
          args.pluginData !== NESTED && args.importer.startsWith(nodeModules)
            ? resolveFromDependency(build, args, nodeModules)
            : undefined,
        );
      }

      build.onResolve({ filter: /^hookchain:action$/ }, () => ({
        path: 'action',
        namespace: LOADER_NAMESPACE,
      }));
      build.onLoad({ filter: /.*/, namespace: LOADER_NAMESPACE }, () => ({
        contents: `export default () => require(${JSON.stringify(SOURCE_SPECIFIER)});`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^hookchain:action-source$/ }, (args) =>
        args.namespace === LOADER_NAMESPACE ? { path: ACTION_FILE, namespace: ACTION_NAMESPACE } : undefined,
      );

      build.onLoad({ filter: /.*/, namespace: ACTION_NAMESPACE }, () => ({
        contents: code,
        loader: 'js',
        resolveDir: installDir,
      }));
      // The prelude binds the module's own `actions` (its secrets), on line 1 so lines keep their numbers.
      build.onLoad({ filter: /.*/, namespace: MODULE_NAMESPACE }, (args) => {
        const name = args.path.replace(/\.js$/, '');
        return {
          contents: modulePrelude(name) + (moduleByName.get(name)?.code ?? ''),
          loader: 'js',
          resolveDir: installDir,
        };
      });
    },
  };
}

async function resolveFromTenantCode(
  build: PluginBuild,
  args: OnResolveArgs,
  installDir: string,
  nodeModules: string,
  moduleByName: Map<string, ActionModuleSource>,
): Promise<OnResolveResult> {
  const specifier = args.path;
  if (isBuiltin(specifier)) return { path: specifier, external: true };

  if (specifier.startsWith('actions:')) {
    const name = specifier.slice('actions:'.length);
    if (args.namespace === MODULE_NAMESPACE) {
      return fail(
        'action_module_not_found',
        `Cannot find module '${specifier}': Actions Modules cannot require other modules.`,
      );
    }
    if (!moduleByName.has(name)) {
      return fail(
        'action_module_not_found',
        `Cannot find module '${specifier}': the Actions Module '${name}' is not added to this action. ` +
          `Add it to the action's modules, or remove the require.`,
      );
    }
    return { path: `${name}.js`, namespace: MODULE_NAMESPACE };
  }

  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    return fail(
      'module_not_found',
      `Cannot find module '${specifier}': action code is a single file. Share code through an npm ` +
        `package or an Actions Module (require('actions:<name>')).`,
    );
  }

  const result = await build.resolve(specifier, {
    kind: args.kind,
    resolveDir: installDir,
    pluginData: NESTED,
  });
  if (result.errors.length === 0 && result.path.startsWith(nodeModules)) return passThrough(result);
  const pkg = packageName(specifier);
  if (existsSync(path.join(nodeModules, pkg, 'package.json'))) {
    return fail(
      'module_not_found',
      `Cannot find module '${specifier}': the package '${pkg}' has no such file or export.`,
    );
  }
  return fail(
    'module_not_found',
    `Cannot find module '${specifier}': add "${pkg}" to the action's dependencies (only declared npm packages are installed).`,
  );
}

/**
 * A dependency's import that cannot be satisfied from the installed set stays a runtime
 * `require` (external), exactly as under Node: packages probe optional peers in try/catch.
 */
async function resolveFromDependency(
  build: PluginBuild,
  args: OnResolveArgs,
  nodeModules: string,
): Promise<OnResolveResult | undefined> {
  if (isBuiltin(args.path)) return undefined;
  const result = await build.resolve(args.path, {
    kind: args.kind,
    resolveDir: args.resolveDir,
    importer: args.importer,
    pluginData: NESTED,
  });
  if (result.errors.length === 0 && (result.external || result.path.startsWith(nodeModules))) {
    return passThrough(result);
  }
  return {
    path: args.path,
    external: true,
    warnings: [{ text: `'${args.path}' is not installed; it stays a runtime require and fails if reached.` }],
  };
}

function passThrough(result: Awaited<ReturnType<PluginBuild['resolve']>>): OnResolveResult {
  return {
    path: result.path,
    namespace: result.namespace,
    external: result.external,
    sideEffects: result.sideEffects,
    suffix: result.suffix,
  };
}

function fail(id: PluginErrorId, text: string): OnResolveResult {
  return { errors: [{ text, detail: { id } }] };
}

/** `lodash/fp` → `lodash`, `@scope/pkg/sub` → `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
