/**
 * The functions port (shared/ports/functions.ts) in this process: each function's zip is kept in
 * memory and its `index.js` handler runs here, as a warm Lambda instance would run it (loaded once
 * per deploy, module state kept between invokes).
 *
 * A test double for trusted code, NOT a sandbox: the handler shares this process, its globals and
 * its event loop, and can reach anything the process can. Only `process.env` is the function's
 * own. Actions from tenants run on Lambda or the local function host, never here.
 */
import { randomUUID } from 'node:crypto';
import { builtinModules, createRequire } from 'node:module';
import { posix } from 'node:path';
import { compileFunction } from 'node:vm';
import { strFromU8, unzipSync } from 'fflate';
import {
  CodeStorageFullError,
  type DeployOutcome,
  type FunctionHost,
  type FunctionSpec,
  type InvokeResult,
} from '../ports/functions.ts';

/** Lambda's default account code storage. */
const DEFAULT_CODE_STORAGE_BYTES = 75 * 1024 ** 3;

/** The name Lambda's SDK gives an unknown function's error, which callers may look for. */
export class FunctionNotFoundError extends Error {
  override name = 'ResourceNotFoundException';
}

export interface MemoryFunctionHostOptions {
  /** The account's code storage quota; Lambda's 75 GB by default. */
  codeStorageBytes?: number;
}

type Handler = (event: unknown, context: LambdaLikeContext) => unknown;

interface LambdaLikeContext {
  functionName: string;
  functionVersion: string;
  awsRequestId: string;
  memoryLimitInMB: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

interface DeployedFunction {
  spec: FunctionSpec;
  files: Record<string, Uint8Array>;
  /** Changes with every deploy: a deploy that asked `stillWanted` checks nobody changed it meanwhile. */
  revision: number;
  /** The warm instance's handler, loaded on the first invoke after a deploy. */
  handler?: Handler;
}

/** Lambda's error document (`X-Amz-Function-Error: Unhandled`). */
interface LambdaErrorPayload {
  errorType?: string;
  errorMessage: string;
  trace?: string[];
}

/** A failure while loading the handler, carrying the runtime's error type (`Runtime.ImportModuleError`...). */
class RuntimeInitError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export function memoryFunctionHost(options: MemoryFunctionHostOptions = {}): FunctionHost {
  const limitBytes = options.codeStorageBytes ?? DEFAULT_CODE_STORAGE_BYTES;
  const functions = new Map<string, DeployedFunction>();
  let revisions = 0;

  const usedBytes = () => {
    let total = 0;
    for (const deployed of functions.values()) total += deployed.spec.zip.byteLength;
    return total;
  };

  function install(spec: FunctionSpec): void {
    const replacing = functions.get(spec.name)?.spec.zip.byteLength ?? 0;
    if (usedBytes() - replacing + spec.zip.byteLength > limitBytes) {
      throw new CodeStorageFullError('Code storage limit exceeded.');
    }
    // Unzipped now, as Lambda reads the package when it receives it: a broken zip fails the deploy.
    const files = unzipSync(spec.zip);
    // The caller may reuse its buffer; the function keeps the code it was given.
    const kept = { ...spec, zip: spec.zip.slice(), tags: { ...spec.tags } };
    functions.set(spec.name, { spec: kept, files, revision: ++revisions });
  }

  return {
    async deploy(spec, { stillWanted } = {}): Promise<DeployOutcome> {
      for (;;) {
        const current = functions.get(spec.name);
        // A new function is created without asking (see DeployOptions.stillWanted).
        if (!current) {
          install(spec);
          return 'deployed';
        }
        if (stillWanted && !(await stillWanted())) return 'superseded';
        // Another deploy changed it while we asked: weigh it again against the newer state.
        if (functions.get(spec.name)?.revision !== current.revision) continue;
        install(spec);
        return 'deployed';
      }
    },

    async invoke(name, payload, { signal } = {}): Promise<InvokeResult> {
      signal?.throwIfAborted();
      const deployed = functions.get(name);
      if (!deployed) throw new FunctionNotFoundError(`Function not found: ${name}`);
      const requestId = randomUUID();
      let handler: Handler;
      try {
        deployed.handler ??= loadHandler(deployed);
        handler = deployed.handler;
      } catch (error) {
        return unhandled(errorPayload(error));
      }
      const deadline = Date.now() + deployed.spec.timeoutSeconds * 1000;
      const context: LambdaLikeContext = {
        functionName: name,
        functionVersion: '$LATEST',
        awsRequestId: requestId,
        memoryLimitInMB: String(deployed.spec.memoryMb),
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      };
      // The event crosses a JSON boundary, as it does on Lambda: the handler gets its own copy.
      const event = JSON.parse(JSON.stringify(payload ?? null));
      const outcome = await runWithin(
        () => handler(event, context),
        deployed.spec.timeoutSeconds,
        requestId,
        signal,
      );
      if ('error' in outcome) return unhandled(outcome.error);
      // Lambda answers `null` for a handler that returned nothing.
      return { payload: JSON.parse(JSON.stringify(outcome.result ?? null)) };
    },

    async delete(name) {
      functions.delete(name);
    },

    async codeStorage() {
      return { usedBytes: usedBytes(), limitBytes };
    },
  };
}

function unhandled(error: LambdaErrorPayload): InvokeResult {
  return { payload: error, functionError: 'Unhandled' };
}

/** The handler's result, or Lambda's error document for a throw or a timeout; rejects on abort. */
function runWithin(
  run: () => unknown,
  timeoutSeconds: number,
  requestId: string,
  signal: AbortSignal | undefined,
): Promise<{ result: unknown } | { error: LambdaErrorPayload }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        resolve({
          error: { errorMessage: `${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds` },
        }),
      timeoutSeconds * 1000,
    );
    const onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: { result: unknown } | { error: LambdaErrorPayload }) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    Promise.resolve()
      .then(run)
      .then(
        (result) => settle({ result }),
        (error: unknown) => settle({ error: errorPayload(error) }),
      );
  });
}

/** Lambda's Node runtime's error document for what a handler threw. */
function errorPayload(error: unknown): LambdaErrorPayload {
  if (error instanceof RuntimeInitError) return { errorType: error.errorType, errorMessage: error.message };
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: error.stack?.split('\n') ?? [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

const hostRequire = createRequire(import.meta.url);
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/**
 * Loads `index.js` from the zip as CommonJS and finds its `handler`. Relative requires resolve
 * inside the zip; Node's built-ins come from this process; nothing else is reachable (a built
 * action bundles its dependencies into index.js).
 */
function loadHandler(deployed: DeployedFunction): Handler {
  const { files } = deployed;
  const environment: Record<string, string> = {
    ...deployed.spec.environment,
    AWS_LAMBDA_FUNCTION_NAME: deployed.spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(deployed.spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  };
  // The function's own environment, over this process's `process` for everything else.
  const functionProcess = Object.create(process, { env: { value: environment, enumerable: true } });
  const modules = new Map<string, { exports: unknown }>();

  const resolveInZip = (from: string, specifier: string): string | undefined => {
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    return [base, `${base}.js`, `${base}.json`, `${base}/index.js`].find((candidate) => candidate in files);
  };

  const load = (path: string): unknown => {
    const cached = modules.get(path);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    modules.set(path, module);
    const source = strFromU8(files[path] as Uint8Array);
    if (path.endsWith('.json')) {
      module.exports = JSON.parse(source);
      return module.exports;
    }
    const require = (specifier: string): unknown => {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const found = resolveInZip(path, specifier);
        if (!found) throw new Error(`Cannot find module '${specifier}'`);
        return load(found);
      }
      if (isBuiltin(specifier)) return hostRequire(specifier);
      throw new Error(`Cannot find module '${specifier}'`);
    };
    const wrapper = compileFunction(
      source,
      ['exports', 'require', 'module', '__filename', '__dirname', 'process'],
      { filename: `/var/task/${path}` },
    );
    wrapper(
      module.exports,
      require,
      module,
      `/var/task/${path}`,
      `/var/task/${posix.dirname(path)}`,
      functionProcess,
    );
    return module.exports;
  };

  if (!('index.js' in files)) {
    throw new RuntimeInitError('Runtime.ImportModuleError', "Error: Cannot find module 'index'");
  }
  let loaded: unknown;
  try {
    loaded = load('index.js');
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new RuntimeInitError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    }
    throw error;
  }
  const handler = (loaded as { handler?: unknown } | undefined)?.handler;
  if (typeof handler !== 'function') {
    throw new RuntimeInitError('Runtime.HandlerNotFound', 'index.handler is undefined or not exported');
  }
  return handler as Handler;
}
