/**
 * CloudWatch Logs' JSON protocol (`POST /`, `x-amz-target: Logs_20140328.<Op>`) over the LogStore.
 * Only the operations the platform and its CLI use are served; others answer UnknownOperationException.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { AwsApiError, PayloadTooLargeError } from '../aws-error.ts';
import { awsBehaviour, everyNth, type Fidelity, LOCAL_FIDELITY } from '../fidelity.ts';
import { closeServer, listenLoopback, readBody, sendJson } from '../http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from '../local-credentials.ts';
import type { Logger } from '../logger.ts';
import type { LogStore } from './store.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'Logs_20140328.';
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

const name = z.string().min(1).max(512);
const count = z.number().int().positive();
const time = z.number().int().nonnegative();

interface Operation<S extends z.ZodType> {
  input: S;
  run: (store: LogStore, input: z.infer<S>) => unknown;
}

/** Pairs a request schema with its handler, so the handler's input is typed by the schema. */
function operation<S extends z.ZodType>(input: S, run: Operation<S>['run']): Operation<z.ZodType> {
  return { input, run: run as Operation<z.ZodType>['run'] };
}

const operations: Record<string, Operation<z.ZodType>> = {
  CreateLogGroup: operation(z.object({ logGroupName: name }), (store, input) =>
    store.createLogGroup(input.logGroupName),
  ),
  CreateLogStream: operation(z.object({ logGroupName: name, logStreamName: name }), (store, input) =>
    store.createLogStream(input.logGroupName, input.logStreamName),
  ),
  PutRetentionPolicy: operation(
    z.object({ logGroupName: name, retentionInDays: z.number().int().positive() }),
    (store, input) => store.putRetentionPolicy(input.logGroupName, input.retentionInDays),
  ),
  DeleteLogGroup: operation(z.object({ logGroupName: name }), (store, input) =>
    store.deleteLogGroup(input.logGroupName),
  ),
  DescribeLogGroups: operation(
    z.object({
      logGroupNamePrefix: z.string().optional(),
      limit: count.optional(),
      nextToken: z.string().optional(),
    }),
    (store, input) =>
      store.describeLogGroups({
        prefix: input.logGroupNamePrefix,
        limit: input.limit,
        nextToken: input.nextToken,
      }),
  ),
  DescribeLogStreams: operation(
    z.object({
      logGroupName: name,
      logStreamNamePrefix: z.string().optional(),
      orderBy: z.enum(['LogStreamName', 'LastEventTime']).optional(),
      descending: z.boolean().optional(),
      limit: count.optional(),
      nextToken: z.string().optional(),
    }),
    (store, input) =>
      store.describeLogStreams({
        ...input,
        prefix: input.logStreamNamePrefix,
        logGroupName: input.logGroupName,
      }),
  ),
  PutLogEvents: operation(
    z.object({
      logGroupName: name,
      logStreamName: name,
      logEvents: z.array(z.object({ timestamp: time, message: z.string() })),
      sequenceToken: z.string().optional(),
    }),
    (store, input) => ({
      // Sequence tokens are no longer required by AWS; answer one anyway for older clients.
      nextSequenceToken: String(Date.now()),
      ...store.putLogEvents(input.logGroupName, input.logStreamName, input.logEvents),
    }),
  ),
  GetLogEvents: operation(
    z.object({
      logGroupName: name,
      logStreamName: name,
      startTime: time.optional(),
      endTime: time.optional(),
      nextToken: z.string().optional(),
      limit: count.max(10_000).optional(),
      startFromHead: z.boolean().optional(),
    }),
    (store, input) => store.getLogEvents(input),
  ),
  FilterLogEvents: operation(
    z.object({
      logGroupName: name,
      logStreamNames: z.array(name).min(1).max(100).optional(),
      logStreamNamePrefix: z.string().optional(),
      startTime: time.optional(),
      endTime: time.optional(),
      filterPattern: z.string().max(1024).optional(),
      nextToken: z.string().optional(),
      limit: count.max(10_000).optional(),
      interleaved: z.boolean().optional(),
    }),
    (store, input) => store.filterLogEvents(input),
  ),
};

/**
 * AWS's refusals, in the AWS-faithful mode: FilterLogEvents past the account's rate (a token
 * bucket, as AWS meters it: a burst of N, then N per second) and every Nth CreateLogGroup aborted.
 * Both answer before the operation runs, as AWS does: a refused call changed nothing.
 */
function awsRefusals(fidelity: Fidelity, now: () => number): (operation: string) => AwsApiError | undefined {
  const logs = awsBehaviour(fidelity, 'logs');
  if (!logs) return () => undefined;
  const rate = logs.filterLogEventsPerSecond;
  let tokens = rate;
  let refilledAt = now();
  const abortCreate = everyNth(logs.abortCreateLogGroupEvery);
  return (operation) => {
    if (operation === 'FilterLogEvents' && rate > 0) {
      const at = now();
      tokens = Math.min(rate, tokens + ((at - refilledAt) / 1000) * rate);
      refilledAt = at;
      if (tokens < 1) return new AwsApiError('ThrottlingException', 400, 'Rate exceeded');
      tokens -= 1;
    }
    if (operation === 'CreateLogGroup' && abortCreate()) {
      return new AwsApiError(
        'OperationAbortedException',
        400,
        'A conflicting operation is currently in progress against this resource. Please try again.',
      );
    }
    return undefined;
  };
}

export interface LogsServer {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startLogsServer(options: {
  store: LogStore;
  logger: Logger;
  port?: number;
  credentials: LocalCredentials;
  fidelity?: Fidelity;
  /** The clock the FilterLogEvents rate is metered by (a test can hold it still). */
  now?: () => number;
}): Promise<LogsServer> {
  const refuse = awsRefusals(options.fidelity ?? LOCAL_FIDELITY, options.now ?? Date.now);
  const server: Server = createServer((req, res) => {
    handle(req, res, options.store, refuse).catch((error: unknown) => {
      options.logger.error('logs request failed', { error });
      if (!res.headersSent)
        sendError(res, new AwsApiError('ServiceUnavailableException', 500, 'Internal error', 'Service'));
    });
  });
  requireCredentials(server, options.credentials, REFUSALS.json(CONTENT_TYPE));
  const port = await listenLoopback(server, options.port ?? 0);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  store: LogStore,
  refuse: (operation: string) => AwsApiError | undefined,
): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new AwsApiError('UnknownOperationException', 400, 'Expected POST with an x-amz-target header');
    }
    const name = target.slice(TARGET_PREFIX.length);
    const operation = operations[name];
    if (!operation) throw new AwsApiError('UnknownOperationException', 400, `Unknown operation ${target}`);
    const body = await readBody(req, MAX_REQUEST_BYTES);
    const input = operation.input.safeParse(parseJson(body));
    if (!input.success) throw validationError(input.error);
    const refusal = refuse(name);
    if (refusal) throw refusal;
    sendJson(res, 200, operation.run(store, input.data) ?? {}, {}, CONTENT_TYPE);
  } catch (error) {
    if (error instanceof AwsApiError) return sendError(res, error);
    if (error instanceof PayloadTooLargeError) {
      return sendError(res, new AwsApiError('InvalidParameterException', 413, error.message));
    }
    throw error;
  }
}

function sendError(res: ServerResponse, error: AwsApiError): void {
  sendJson(res, error.status, { __type: error.code, message: error.message }, {}, CONTENT_TYPE);
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsApiError('SerializationException', 400, 'Request body is not valid JSON');
  }
}

function validationError(error: z.ZodError): AwsApiError {
  const messages = error.issues.map(
    (issue) => `Value at '${issue.path.join('.')}' failed to satisfy constraint: ${issue.message}`,
  );
  return new AwsApiError(
    'ValidationException',
    400,
    `${messages.length} validation error${messages.length > 1 ? 's' : ''} detected: ${messages.join('; ')}`,
  );
}
