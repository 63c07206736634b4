/**
 * The function host: the Lambda REST API subset the platform uses, over the on-disk registry and
 * the warm worker pool. Errors use Lambda's shape — `{"Type":"User","message":...}` with the
 * exception name in `x-amzn-ErrorType` — so the AWS SDK raises the same exceptions as on AWS.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { AwsApiError, PayloadTooLargeError } from '../aws-error.ts';
import { awsBehaviour, everyNth, type Fidelity, LOCAL_FIDELITY } from '../fidelity.ts';
import { closeServer, listenLoopback, readBody, sendJson } from '../http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from '../local-credentials.ts';
import type { Logger } from '../logger.ts';
import type { LogStore } from '../logs-server/store.ts';
import { LambdaThrottle, putConcurrencyInput, ReservedConcurrency } from './concurrency.ts';
import {
  createFunctionInput,
  type FunctionConfiguration,
  LIMITS,
  logGroupOf,
  resolveFunctionName,
  updateCodeInput,
  updateConfigurationInput,
} from './function-config.ts';
import { FunctionStates } from './lifecycle.ts';
import { WorkerPool } from './pool.ts';
import { type FunctionRecord, FunctionRegistry } from './registry.ts';
import type { WorkerSpec } from './worker.ts';

/** Lambda's payload limits: 6 MB synchronous (request and response), 1 MB asynchronous. */
const SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_BYTES = 1024 * 1024;
/** CreateFunction carries the zip base64-encoded in JSON: 50 MB zipped is about 70 MB of body. */
const CONTROL_BODY_BYTES = 70 * 1024 * 1024;

export interface LambdaServerOptions {
  /** Where functions are kept (`<stateDir>/functions`). */
  dir: string;
  logStore: LogStore;
  logger: Logger;
  port?: number;
  maxWorkersPerFunction?: number;
  maxWorkers?: number;
  maxLogBytesPerInvocation?: number;
  credentials: LocalCredentials;
  fidelity?: Fidelity;
}

/** The local Lambda API server: what `startFunctionHost` hands back. */
export interface LambdaServer {
  endpoint: string;
  /** Live worker pids, optionally of one function (tests and diagnostics). */
  workerPids(functionName?: string): number[];
  stop(): Promise<void>;
}

export async function startFunctionHost(options: LambdaServerOptions): Promise<LambdaServer> {
  const aws = awsBehaviour(options.fidelity ?? LOCAL_FIDELITY, 'lambda');
  const registry = await FunctionRegistry.open(options.dir, aws?.codeStorageBytes ?? LIMITS.codeStorageBytes);
  const logger = options.logger;
  const states = new FunctionStates(aws?.pendingMs ?? 0);
  const throttle = everyNth(aws?.throttleEvery ?? 0);
  const resetAfterRun = everyNth(aws?.resetAfterRunEvery ?? 0);
  const { logStore } = options;
  // Lambda writes into /aws/lambda/<name> and creates it when the function's role allows. An
  // action's role does not (its group is the platform's to create, with retention), so in the
  // AWS-faithful mode what a function logs into a missing group is lost, as it would be on AWS.
  const groupExists = (group: string) =>
    logStore.describeLogGroups({ prefix: group }).logGroups.some((g) => g.logGroupName === group);
  const pool = new WorkerPool({
    maxWorkersPerFunction: options.maxWorkersPerFunction ?? 4,
    maxWorkers: options.maxWorkers ?? 64,
    maxLogBytesPerInvocation: options.maxLogBytesPerInvocation ?? 1024 * 1024,
    sink: (name, stream) => (events) => {
      const group = logGroupOf(name);
      if (!aws || groupExists(group)) logStore.appendEvents(group, stream, events);
    },
    logger,
  });
  const background = new Set<Promise<unknown>>();
  const concurrency = new ReservedConcurrency();
  // GetFunction's Code.Location is a signed URL on AWS; here it carries an HMAC of the name.
  const urlKey = randomBytes(32);
  const codeToken = (name: string): string => createHmac('sha256', urlKey).update(name).digest('hex');
  let endpoint = '';
  let stopping = false;

  const routes: Route[] = [
    {
      method: 'POST',
      path: /^\/2015-03-31\/functions\/?$/,
      run: async (req) => {
        const input = parse(createFunctionInput, await readJson(req, CONTROL_BODY_BYTES));
        const record = await registry.create(input);
        if (!aws) logStore.ensureLogGroup(logGroupOf(record.configuration.FunctionName));
        states.created(record.configuration.FunctionName);
        logger.info('function created', { function: record.configuration.FunctionName });
        return json(201, states.view(record.configuration));
      },
    },
    {
      method: 'GET',
      path: /^\/2015-03-31\/functions\/?$/,
      run: async (_req, _name, url) => {
        const all = registry.list();
        const start = Number(url.searchParams.get('Marker') ?? 0);
        const size = Math.min(Number(url.searchParams.get('MaxItems') ?? 50), 50);
        const page = all.slice(start, start + size).map((r) => states.view(r.configuration));
        const next = start + size < all.length ? { NextMarker: String(start + size) } : {};
        return json(200, { Functions: page, ...next });
      },
    },
    {
      method: 'GET',
      path: /^\/2015-03-31\/functions\/([^/]+)$/,
      run: async (_req, name) => {
        const record = registry.require(name);
        return json(200, {
          Configuration: states.view(record.configuration),
          Code: {
            RepositoryType: 'S3',
            Location: `${endpoint}/local/functions/${name}/code.zip?token=${codeToken(name)}`,
          },
        });
      },
    },
    {
      method: 'DELETE',
      path: /^\/2015-03-31\/functions\/([^/]+)$/,
      run: async (_req, name) => {
        await registry.delete(name);
        states.deleted(name);
        concurrency.delete(name);
        pool.retire(name);
        logger.info('function deleted', { function: name });
        return { status: 204, headers: {}, body: Buffer.alloc(0) };
      },
    },
    {
      method: 'GET',
      path: /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
      run: async (_req, name) => json(200, states.view(registry.require(name).configuration)),
    },
    {
      method: 'PUT',
      path: /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
      run: async (req, name) => {
        const input = parse(updateConfigurationInput, await readJson(req, CONTROL_BODY_BYTES));
        states.checkUpdate(registry.require(name).configuration);
        const record = await registry.updateConfiguration(name, input);
        states.updated(name);
        pool.retire(name, record.configuration.RevisionId);
        return json(200, states.view(record.configuration));
      },
    },
    {
      method: 'PUT',
      path: /^\/2015-03-31\/functions\/([^/]+)\/code$/,
      run: async (req, name) => {
        const input = parse(updateCodeInput, await readJson(req, CONTROL_BODY_BYTES));
        states.checkUpdate(registry.require(name).configuration);
        if (input.DryRun) return json(200, states.view(registry.require(name).configuration));
        const record = await registry.updateCode(name, input.ZipFile, input.RevisionId);
        states.updated(name);
        pool.retire(name, record.configuration.RevisionId);
        logger.info('function code updated', { function: name });
        return json(200, states.view(record.configuration));
      },
    },
    // Reserved concurrency (concurrency.ts): tests throttle a function with a cap of 0.
    {
      method: 'PUT',
      path: /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/,
      run: async (req, name) => {
        const input = parse(putConcurrencyInput, await readJson(req, CONTROL_BODY_BYTES));
        registry.require(name);
        concurrency.put(name, input.ReservedConcurrentExecutions);
        return json(200, input);
      },
    },
    {
      method: 'GET',
      path: /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/,
      run: async (_req, name) => {
        registry.require(name);
        const limit = concurrency.get(name);
        return json(200, limit === undefined ? {} : { ReservedConcurrentExecutions: limit });
      },
    },
    {
      method: 'DELETE',
      path: /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/,
      run: async (_req, name) => {
        registry.require(name);
        concurrency.delete(name);
        return { status: 204, headers: {}, body: Buffer.alloc(0) };
      },
    },
    {
      method: 'POST',
      path: /^\/2015-03-31\/functions\/([^/]+)\/invocations$/,
      run: (req, name) => invoke(req, name),
    },
    {
      method: 'GET',
      path: /^\/2016-08-19\/account-settings\/?$/,
      run: async () => {
        const used = registry.totalCodeSize();
        const reserved = concurrency.totalReserved();
        return json(200, {
          AccountLimit: {
            TotalCodeSize: aws?.codeStorageBytes ?? LIMITS.codeStorageBytes,
            CodeSizeUnzipped: LIMITS.unzippedBytes,
            CodeSizeZipped: LIMITS.zipBytes,
            ConcurrentExecutions: ACCOUNT_CONCURRENCY,
            UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reserved,
          },
          AccountUsage: { TotalCodeSize: used, FunctionCount: registry.list().length },
        });
      },
    },
    {
      method: 'GET',
      path: /^\/local\/functions\/([^/]+)\/code\.zip$/,
      run: async (_req, name) => ({
        status: 200,
        headers: { 'content-type': 'application/zip' },
        body: await registry.readZip(name),
      }),
    },
  ];

  async function invoke(req: IncomingMessage, name: string): Promise<Reply> {
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
      throw new AwsApiError('InvalidParameterValueException', 400, `Unsupported invocation type: ${type}`);
    }
    const limit = type === 'Event' ? ASYNC_PAYLOAD_BYTES : SYNC_PAYLOAD_BYTES;
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        throw new AwsApiError(
          'RequestEntityTooLargeException',
          413,
          `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        );
      }
      throw error;
    }
    const record = registry.require(name);
    const event = body.length === 0 ? '{}' : body.toString('utf8');
    try {
      JSON.parse(event);
    } catch (error) {
      throw new AwsApiError(
        'InvalidRequestContentException',
        400,
        `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
      );
    }
    const requestId = randomUUID();
    const headers = { 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': '$LATEST' };
    states.checkInvoke(name);
    if (type === 'DryRun') return { status: 204, headers, body: Buffer.alloc(0) };
    // The AWS-faithful mode's occasional throttle: refused before anything runs.
    if (throttle()) throw new LambdaThrottle('ConcurrentInvocationLimitExceeded');
    const request = {
      requestId,
      event,
      invokedFunctionArn: record.configuration.FunctionArn,
      clientContext: decodeClientContext(req.headers['x-amz-client-context']),
    };
    const spec = workerSpec(record);
    if (type === 'Event') {
      // Accepted now, run in the background like Lambda's internal queue (without its retries).
      const run = pool.invoke(spec, request).then(
        (outcome) => {
          if (!outcome.ok && !stopping) {
            logger.warn('async invocation failed', { function: name, requestId, error: outcome.error });
          }
        },
        (error: unknown) => {
          if (!stopping) logger.warn('async invocation not run', { function: name, requestId, error });
        },
      );
      background.add(run);
      void run.finally(() => background.delete(run));
      return { status: 202, headers, body: Buffer.alloc(0) };
    }
    const outcome = await concurrency.run(name, () => pool.invoke(spec, request));
    // The AWS-faithful mode's connection reset after the function ran: the caller cannot know it did.
    if (resetAfterRun()) return { status: 0, headers, body: Buffer.alloc(0), reset: true };
    if (req.headers['x-amz-log-type'] === 'Tail')
      Object.assign(headers, { 'X-Amz-Log-Result': outcome.logTail });
    if (outcome.ok && Buffer.byteLength(outcome.payload) > SYNC_PAYLOAD_BYTES) {
      return functionError(headers, {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${SYNC_PAYLOAD_BYTES} bytes).`,
      });
    }
    if (!outcome.ok) return functionError(headers, outcome.error);
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.from(outcome.payload),
    };
  }

  const server: Server = createServer((req, res) => {
    handle(req, res, routes).catch((error: unknown) => {
      logger.error('lambda request failed', { method: req.method, url: req.url, error });
      if (!res.headersSent)
        sendError(res, new AwsApiError('ServiceException', 500, 'Internal error', 'Service'));
    });
  });
  requireCredentials(server, options.credentials, REFUSALS.rest, (req) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = /^\/local\/functions\/([^/]+)\/code\.zip$/.exec(url.pathname)?.[1];
    if (req.method !== 'GET' || name === undefined) return false;
    try {
      return url.searchParams.get('token') === codeToken(decodeURIComponent(name));
    } catch {
      return false; // a malformed escape in the name
    }
  });
  const port = await listenLoopback(server, options.port ?? 0);
  endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    workerPids: (name) => pool.pids(name),
    stop: async () => {
      stopping = true;
      await closeServer(server);
      await pool.stop();
      await Promise.allSettled([...background]);
    },
  };
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
}

/** Lambda's default account concurrency. */
const ACCOUNT_CONCURRENCY = 1000;

interface Route {
  method: string;
  path: RegExp;
  run: (req: IncomingMessage, functionName: string, url: URL) => Promise<Reply>;
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: Route[]): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const route of routes) {
      const match = route.path.exec(url.pathname);
      if (!match || route.method !== req.method) continue;
      const raw = match[1] === undefined ? '' : decodeURIComponent(match[1]);
      const name = raw === '' ? '' : resolveFunctionName(raw, url.searchParams.get('Qualifier') ?? undefined);
      const reply = await route.run(req, name, url);
      if (reply.reset) {
        res.socket?.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-length': reply.body.length, ...reply.headers });
      res.end(reply.body);
      return;
    }
    throw new AwsApiError(
      'UnknownOperationException',
      404,
      `Unknown operation: ${req.method} ${url.pathname}`,
    );
  } catch (error) {
    if (error instanceof AwsApiError) return sendError(res, error);
    if (error instanceof PayloadTooLargeError) {
      return sendError(res, new AwsApiError('RequestEntityTooLargeException', 413, error.message));
    }
    throw error;
  }
}

function sendError(res: ServerResponse, error: AwsApiError): void {
  // Drain what is left of the request, or the keep-alive connection would stall on it.
  res.req.resume();
  sendJson(
    res,
    error.status,
    {
      Type: error.faultType,
      message: error.message,
      ...(error instanceof LambdaThrottle ? { Reason: error.reason } : {}),
    },
    { 'x-amzn-ErrorType': error.code },
  );
}

function json(status: number, body: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
}

function functionError(headers: Record<string, string>, error: object): Reply {
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'application/json', 'X-Amz-Function-Error': 'Unhandled' },
    body: Buffer.from(JSON.stringify(error)),
  };
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsApiError('InvalidRequestContentException', 400, 'Could not parse request body into json');
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const messages = result.error.issues.map(
    (issue) => `Value at '${issue.path.join('.')}' failed to satisfy constraint: ${issue.message}`,
  );
  throw new AwsApiError(
    'ValidationException',
    400,
    `${messages.length} validation error${messages.length > 1 ? 's' : ''} detected: ${messages.join('; ')}`,
  );
}

function decodeClientContext(header: string | string[] | undefined): unknown {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function workerSpec(record: FunctionRecord): WorkerSpec {
  const c: FunctionConfiguration = record.configuration;
  return {
    functionName: c.FunctionName,
    revisionId: c.RevisionId,
    handler: c.Handler,
    runtime: c.Runtime,
    memoryMb: c.MemorySize,
    timeoutSeconds: c.Timeout,
    codeDir: record.codeDir,
    logGroup: logGroupOf(c.FunctionName),
    variables: c.Environment.Variables,
  };
}
