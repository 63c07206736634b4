/**
 * Loads action code the way Auth0 does: CommonJS in a module wrapper compiled once, top-level code
 * run lazily on the first execution and once per instance, a top-level error cached and re-thrown
 * on every later execution, and a `console` that writes to the running execution's logs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileFunction } from 'node:vm';
import { createActionConsole } from './console-capture.ts';
import { monotonicMs } from './monotonic.ts';

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
  /** Extra free names the code sees, e.g. a module's `actions` (wrapper parameters, as Auth0's). */
  globals?: Record<string, unknown>;
}

/** Wraps a lazy loader (source compiled here, or a module bundled by esbuild) with Auth0's semantics. */
export function lazyModule(init: () => Record<string, unknown>): ActionModule {
  let state: { ok: true; exports: Record<string, unknown> } | { ok: false; error: unknown } | undefined;
  let bootMs = 0;
  return {
    load() {
      if (!state) {
        const started = monotonicMs();
        try {
          state = { ok: true, exports: init() };
        } catch (error) {
          state = { ok: false, error };
        }
        bootMs = monotonicMs() - started;
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

/**
 * V8's SyntaxError message says what but not where (the location is only in the stack); name the
 * file and line in the message, which is what the action's author sees first.
 */
function compile(code: string, filename: string, extra: string[]) {
  try {
    return compileFunction(
      code,
      ['exports', 'require', 'module', '__filename', '__dirname', 'console', ...extra],
      { filename },
    );
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const line = error.stack?.split('\n', 1)[0]?.match(/:(\d+)$/)?.[1];
    const where = line === undefined ? path.basename(filename) : `${path.basename(filename)}:${line}`;
    const clear = new SyntaxError(`${error.message} (${where})`);
    clear.stack = `SyntaxError: ${clear.message}\n${error.stack ?? ''}`;
    throw clear;
  }
}

export function moduleFromSource({
  code,
  filename,
  require: requireFn,
  globals = {},
}: SourceModuleOptions): ActionModule {
  const resolve = requireFn ?? createRequire(path.resolve(filename));
  return lazyModule(() => {
    const wrapper = compile(code, filename, Object.keys(globals));
    const module: { exports: Record<string, unknown> } = { exports: {} };
    wrapper.call(
      module.exports,
      module.exports,
      resolve,
      module,
      filename,
      path.dirname(filename),
      createActionConsole(),
      ...Object.values(globals),
    );
    return module.exports;
  });
}
