/**
 * Loads action code the way Auth0 does: CommonJS in a module wrapper compiled once, top-level code
 * run lazily on the first execution and once per instance, a top-level error cached and re-thrown
 * on every later execution, and a `console` that writes to the running execution's logs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileFunction } from 'node:vm';
import { createActionConsole } from './console-capture.ts';

export interface ActionModule {
  /** Runs the top-level code on first use; throws the cached top-level error if it failed. */
  load(): Record<string, unknown>;
  /** Milliseconds the top-level code took, once loaded. */
  readonly bootMs: number;
  readonly loaded: boolean;
}

export type ActionRequire = (id: string) => unknown;

export interface SourceModuleOptions {
  code: string;
  /** Shown in stack traces, e.g. `my-action.js`. */
  filename: string;
  /** Resolves the action's `require` calls (npm dependencies, `actions:<module>`). */
  require?: ActionRequire;
}

/** Wraps a lazy loader (source compiled here, or a module bundled by esbuild) with Auth0's semantics. */
export function lazyModule(init: () => Record<string, unknown>): ActionModule {
  let state: { ok: true; exports: Record<string, unknown> } | { ok: false; error: unknown } | undefined;
  let bootMs = 0;
  return {
    load() {
      if (!state) {
        const started = performance.now();
        try {
          state = { ok: true, exports: init() };
        } catch (error) {
          state = { ok: false, error };
        }
        bootMs = performance.now() - started;
      }
      if (!state.ok) throw state.error;
      return state.exports;
    },
    get bootMs() {
      return bootMs;
    },
    get loaded() {
      return state !== undefined;
    },
  };
}

export function moduleFromSource({ code, filename, require: requireFn }: SourceModuleOptions): ActionModule {
  const resolve = requireFn ?? createRequire(path.resolve(filename));
  return lazyModule(() => {
    const wrapper = compileFunction(
      code,
      ['exports', 'require', 'module', '__filename', '__dirname', 'console'],
      {
        filename,
      },
    );
    const module: { exports: Record<string, unknown> } = { exports: {} };
    wrapper.call(
      module.exports,
      module.exports,
      resolve,
      module,
      filename,
      path.dirname(filename),
      createActionConsole(),
    );
    return module.exports;
  });
}
