'use strict';
/**
 * The child process of one warm function instance: the local stand-in for Lambda's Node.js runtime.
 * It loads the handler named in argv[2] (e.g. `index.handler`, `.js`/`.cjs`/`.mjs`) from the
 * function's unpacked code (its cwd, LAMBDA_TASK_ROOT), then serves invocations sent by the
 * function host over IPC, one at a time. Plain CommonJS on purpose: it runs in a bare `node` with
 * only the function's own environment, no loaders.
 *
 * Messages: host -> child  { type: 'invoke', requestId, event, deadline, invokedFunctionArn, clientContext }
 *           child -> host  { type: 'ready' } | { type: 'init-error', error }
 *                          { type: 'log', timestamp, line }          one console call = one log event
 *                          { type: 'result', requestId, payload?, error?, rssBytes }
 *                          { type: 'fatal', requestId, error }       then the process exits
 */
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL } = require('node:url');

const handlerSpec = process.argv[2] || '';
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
let requestId; // the current (or last) invocation, stamped on console lines like Lambda does

function send(message, callback) {
  if (process.connected) process.send(message, callback);
  else if (callback) callback();
}

// The host is gone (crashed or killed): never outlive it.
process.on('disconnect', () => process.exit(0));

// Lambda's text log format: one event per console call, multi-line messages kept whole.
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => {
    let message = util.format(...args);
    if (method === 'trace')
      message = `Trace: ${message}\n${new Error().stack.split('\n').slice(2).join('\n')}`;
    const now = new Date();
    send({
      type: 'log',
      timestamp: now.getTime(),
      line: `${now.toISOString()}\t${requestId}\t${level}\t${message}`,
    });
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
  process.on('message', async (message) => {
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
        reply.payload = JSON.stringify(result) ?? 'null';
      } catch (error) {
        reply.error = errorPayload(error, 'Runtime.MalformedHandlerResponse');
      }
    } catch (error) {
      reply.error = errorPayload(error);
    }
    reply.rssBytes = process.memoryUsage.rss();
    send(reply);
  });
  send({ type: 'ready' });
}

main();
