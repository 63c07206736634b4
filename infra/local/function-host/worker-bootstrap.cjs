'use strict';
/**
 * The child process of one warm function instance: the local stand-in for Lambda's Node.js runtime.
 * It loads the handler named in argv[2] (e.g. `index.handler`, `.js`/`.cjs`/`.mjs`) from the
 * function's unpacked code (its cwd, LAMBDA_TASK_ROOT), then serves invocations sent by the
 * function host, one at a time. Plain CommonJS on purpose: it runs in a bare `node` with only the
 * function's own environment, no loaders, under Node's permission model (see worker.ts).
 *
 * The channel is not Node's IPC: the host parses Node's IPC messages inside Node itself, where a
 * line of garbage written to the channel's fd would throw in the host. Ours is one JSON document
 * per line, host -> child on stdin, child -> host on fd 3, and the host parses it defensively.
 *
 * Messages: host -> child  { type: 'invoke', requestId, event, deadline, invokedFunctionArn, clientContext }
 *           child -> host  { type: 'ready' } | { type: 'init-error', error }
 *                          { type: 'log', timestamp, line }          one console call = one log event
 *                          { type: 'result', requestId, payload?, error?, rssBytes }
 *                          { type: 'fatal', requestId, error }       then the process exits
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL } = require('node:url');

const handlerSpec = process.argv[2] || '';
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
let requestId; // the current (or last) invocation, stamped on console lines like Lambda does

/** Lambda's synchronous response limit: a bigger result is an error, and never crosses the channel. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** CloudWatch's event size (256 KB minus its overhead): a longer console line is cut there anyway. */
const MAX_LINE_CHARS = 256 * 1024 - 26;

const channel = new net.Socket({ fd: 3, readable: false, writable: true });
// The host is gone (crashed or killed): never outlive it.
channel.on('error', () => process.exit(0));

function send(message, callback) {
  if (channel.destroyed) {
    if (callback) callback();
    return;
  }
  channel.write(`${JSON.stringify(message)}\n`, callback ? () => callback() : undefined);
}

/**
 * The function shares this process with nothing else, but the process shares the machine: keep
 * its signals and scheduling to itself. Node's permission model does not cover process.kill or
 * os.setPriority, and a function could otherwise kill or starve the host (`process.ppid`) or the
 * whole process group (`process.kill(0)`). Installed before any function code loads.
 */
function confineToOwnProcess() {
  const ownPid = process.pid;
  const eperm = -os.constants.errno.EPERM; // libuv reports errors as negated errno
  const rawKill = process._kill;
  // process.kill validates its arguments, then calls process._kill: refuse every pid but ours.
  Object.defineProperty(process, '_kill', {
    value: function _kill(pid, signal) {
      return pid === ownPid ? rawKill.call(process, pid, signal) : eperm;
    },
    writable: false,
    enumerable: false,
    configurable: false,
  });
  const rawSetPriority = os.setPriority;
  Object.defineProperty(os, 'setPriority', {
    value: function setPriority(pid, priority) {
      if (priority !== undefined && pid !== 0 && pid !== ownPid) {
        const error = new Error(`setPriority EPERM: a function may only change its own priority`);
        error.code = 'EPERM';
        throw error;
      }
      return priority === undefined ? rawSetPriority(pid) : rawSetPriority(pid, priority);
    },
    writable: false,
    enumerable: true,
    configurable: false,
  });
  // Two more holes in Node 20's permission model: V8 flags set at run time (`--allow-natives-syntax`
  // hands out V8 internals, an exploitation aid) and trace files written to the working directory
  // without a write check. A function needs neither.
  refuse(require('node:v8'), 'setFlagsFromString');
  refuse(require('node:trace_events'), 'createTracing');
  // `import { setPriority } from 'node:os'` and the like read the patched exports too.
  require('node:module').syncBuiltinESMExports();
}

function refuse(module, name) {
  Object.defineProperty(module, name, {
    value: function refused() {
      const error = new Error(`${name} is not available to functions`);
      error.code = 'ERR_ACCESS_DENIED';
      throw error;
    },
    writable: false,
    enumerable: true,
    configurable: false,
  });
}
confineToOwnProcess();

// Lambda's text log format: one event per console call, multi-line messages kept whole.
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => {
    let message = util.format(...args);
    if (method === 'trace')
      message = `Trace: ${message}\n${new Error().stack.split('\n').slice(2).join('\n')}`;
    const now = new Date();
    const line = `${now.toISOString()}\t${requestId}\t${level}\t${message}`;
    send({ type: 'log', timestamp: now.getTime(), line: line.slice(0, MAX_LINE_CHARS) });
  };
}

function errorPayload(error, fallbackType) {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
    return {
      errorType: fallbackType || error.name || 'Error',
      errorMessage: String(error.message),
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: fallbackType || typeof error, errorMessage: String(error), trace: [] };
}

class RuntimeError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
  }
}

function resolveModule(base, moduleName) {
  for (const extension of ['.js', '.mjs', '.cjs']) {
    if (fs.existsSync(base + extension)) return base + extension;
  }
  throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
}

async function loadModule(file) {
  if (file.endsWith('.mjs')) return import(pathToFileURL(file).href);
  try {
    return require(file);
  } catch (error) {
    // A .js file in a "type": "module" package is ESM: load it the way Node's runtime would.
    if (error && error.code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(file).href);
    throw error;
  }
}

async function loadHandler(spec) {
  const base = path.basename(spec);
  const moduleRoot = spec.slice(0, spec.length - base.length);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1)
    throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = base.slice(0, dot);
  const file = resolveModule(path.resolve(taskRoot, moduleRoot, moduleName), moduleName);
  let loaded;
  try {
    loaded = await loadModule(file);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    }
    if (error && error.code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${error.message}`);
    }
    throw error;
  }
  const lookup = (root) =>
    base
      .slice(dot + 1)
      .split('.')
      .reduce((value, key) => (value == null ? value : value[key]), root);
  const handler = lookup(loaded) ?? (loaded?.default ? lookup(loaded.default) : undefined);
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${base} is undefined or not exported`);
  }
  return handler;
}

/** Async handlers return a promise; older ones take a callback (or call context.done/succeed/fail). */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error != null ? reject(error) : resolve(result));
    context.done = callback;
    context.succeed = (result) => resolve(result);
    context.fail = (error) => reject(error ?? new Error('handled'));
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    } catch (error) {
      reject(error);
    }
  });
}

function fatal(error, type, exitCode) {
  send({ type: 'fatal', requestId, error: errorPayload(error, type) }, () => process.exit(exitCode));
}

process.on('uncaughtException', (error) => fatal(error, undefined, 129));
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  fatal(
    { message, stack: reason instanceof Error ? reason.stack : undefined },
    'Runtime.UnhandledPromiseRejection',
    128,
  );
});

async function main() {
  let handler;
  try {
    handler = await loadHandler(handlerSpec);
  } catch (error) {
    send({ type: 'init-error', error: errorPayload(error) });
    return;
  }
  onMessage(async (message) => {
    if (message?.type !== 'invoke') return;
    requestId = message.requestId;
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: message.invokedFunctionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: message.requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      clientContext: message.clientContext,
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
    };
    const reply = { type: 'result', requestId: message.requestId };
    try {
      const result = await callHandler(handler, JSON.parse(message.event), context);
      try {
        const payload = JSON.stringify(result) ?? 'null';
        if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
          reply.error = {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          };
        } else reply.payload = payload;
      } catch (error) {
        reply.error = errorPayload(error, 'Runtime.MalformedHandlerResponse');
      }
    } catch (error) {
      reply.error = errorPayload(error);
    }
    reply.rssBytes = process.memoryUsage.rss();
    // Output written during the invocation belongs to it: let the host read it all before the result.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    send(reply);
  });
  send({ type: 'ready' });
}

/** Resolves once what was written to the stream so far has been handed to the host. */
function flushed(stream) {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Calls `listener` with each message the host writes to stdin; exits when the host is gone. */
function onMessage(listener) {
  let chunks = [];
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      chunks.push(chunk.slice(start, newline));
      const line = chunks.join('');
      chunks = [];
      start = newline + 1;
      if (line !== '') listener(JSON.parse(line));
    }
    if (start < chunk.length) chunks.push(chunk.slice(start));
  });
  process.stdin.on('end', () => process.exit(0));
}

main();
