/**
 * The API front: a local stand-in for API Gateway (REST API v1, Lambda proxy integration). Each
 * route sends a path prefix to an in-process handler; `GET /health` and `GET /metrics` (the
 * platform's metrics, the local stand-in for CloudWatch's) are answered here. Faithful
 * failure modes: a thrown or malformed answer is 502, a handler slower than the integration
 * timeout (29 s) is 504, an unknown route is 403 "Missing Authentication Token". A body over
 * API Gateway's 10 MB is 413 in Auth0's error shape, the gateway response the CDK API configures
 * (infra/aws/api.ts); headers over Node's limit are 431 in the same shape. Base64 bodies go both
 * ways as bytes and the handler's headers (Content-Encoding, ETag, Vary) pass through untouched.
 *
 * In every mode, as on AWS: request bodies of a binary media type reach the handler base64-encoded,
 * an event over Lambda's synchronous request limit is refused as API Gateway refuses it, and an
 * answer over Lambda's response limit is a 502. In the AWS-faithful mode everything is served
 * under `/{stage}` as on an execute-api URL; `/health` and `/metrics` (the local stack's own, not
 * API routes) stay at the origin's root and are also answered under `<url>/`.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { BINARY_MEDIA_TYPES } from '../../functions/dashboard/static-files.ts';
import { GATEWAY_REQUEST_TOO_LARGE } from '../../functions/http/errors.ts';
import { PayloadTooLargeError } from './aws-error.ts';
import { awsBehaviour, type Fidelity, LOCAL_FIDELITY } from './fidelity.ts';
import { closeServer, listenLoopback, readBody, sendJson } from './http.ts';
import { inProcessContext } from './lambda-context.ts';
import type { Logger } from './logger.ts';
import { fromProxyResult, LOCAL_STAGE, toProxyEvent } from './proxy-event.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface GatewayRoute {
  /** Any method when absent (API Gateway's ANY). */
  method?: string;
  /** `/api/v2` serves `/api/v2` and everything under `/api/v2/`; the rest is `pathParameters.proxy`. */
  pathPrefix: string;
  handler: ProxyHandler;
  /** The function name shown in the handler's context and in logs. */
  name?: string;
}

export interface HealthReport {
  ready: boolean;
  [detail: string]: unknown;
}

export interface GatewayOptions {
  port: number;
  routes?: GatewayRoute[];
  health: () => HealthReport;
  /** What `GET /metrics` answers: the platform's metrics as the stack aggregated them. */
  metrics?: () => unknown;
  logger: Logger;
  /** API Gateway's maximum integration timeout is 29 s. */
  integrationTimeoutMs?: number;
  fidelity?: Fidelity;
}

export interface Gateway {
  /** Where the API is: the origin, or `<origin>/<stage>` in the AWS-faithful mode. */
  url: string;
  /** `http://127.0.0.1:<port>`, where /health is. */
  origin: string;
  addRoute(route: GatewayRoute): void;
  stop(): Promise<void>;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Lambda's synchronous Invoke limits, in bytes of the JSON event and of the JSON answer: 6 MiB,
 * and 100 bytes more for the answer (measured: Zac Charles, "Deep Dive: Lambda's Request Payload
 * Size Limit", 2022).
 */
export const LAMBDA_REQUEST_LIMIT_BYTES = 6 * 1024 * 1024;
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024 + 100;

/** What API Gateway answers when Lambda refuses an event that large (observed on a REST API). */
export const LAMBDA_REQUEST_TOO_LONG = { message: 'Request Too Long' };

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const routes: GatewayRoute[] = [];
  const timeoutMs = options.integrationTimeoutMs ?? 29_000;
  // The AWS-faithful mode serves the API under `/{stage}`, as an execute-api URL does.
  const stageName = awsBehaviour(options.fidelity ?? LOCAL_FIDELITY, 'gateway')?.stage;
  const basePath = stageName ? `/${stageName}` : '';
  const addRoute = (route: GatewayRoute): void => {
    if (!route.pathPrefix.startsWith('/'))
      throw new Error(`Route prefix must start with '/': ${route.pathPrefix}`);
    routes.push(route);
    // Longest prefix first, so `/api/v2/actions` wins over `/api`.
    routes.sort((a, b) => b.pathPrefix.length - a.pathPrefix.length);
  };
  for (const route of options.routes ?? []) addRoute(route);

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    serve(req, res).then(
      () =>
        options.logger.info('request', {
          method: req.method,
          path: req.url,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        }),
      (error: unknown) => {
        options.logger.error('request failed', { method: req.method, path: req.url, error });
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      },
    );
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isHealth = url.pathname === '/health' || url.pathname === `${basePath}/health`;
    if (isHealth && (req.method === 'GET' || req.method === 'HEAD')) {
      const report = options.health();
      return sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ok' : 'starting', ...report });
    }
    const isMetrics = url.pathname === '/metrics' || url.pathname === `${basePath}/metrics`;
    if (isMetrics && options.metrics && (req.method === 'GET' || req.method === 'HEAD')) {
      return sendJson(res, 200, options.metrics());
    }
    if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      // No stage in the path: execute-api answers this before any resource is looked up.
      req.resume();
      return sendJson(res, 403, { message: 'Forbidden' }, { 'x-amzn-ErrorType': 'ForbiddenException' });
    }
    const resourcePath = url.pathname.slice(basePath.length) || '/';
    const route = routes.find(
      (r) =>
        (r.method === undefined || r.method.toUpperCase() === req.method) &&
        (resourcePath === r.pathPrefix ||
          resourcePath.startsWith(r.pathPrefix.endsWith('/') ? r.pathPrefix : `${r.pathPrefix}/`)),
    );
    if (!route) {
      req.resume();
      return sendJson(
        res,
        403,
        { message: 'Missing Authentication Token' },
        { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' },
      );
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendJson(res, 413, GATEWAY_REQUEST_TOO_LARGE);
      throw error;
    }
    const event = toProxyEvent(req, url, body, {
      pathPrefix: route.pathPrefix,
      stage: stageName ?? LOCAL_STAGE,
      basePath,
      binaryMediaTypes: BINARY_MEDIA_TYPES,
    });
    const requestId = event.requestContext.requestId;
    const headers = { 'x-amzn-RequestId': requestId };
    if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_REQUEST_LIMIT_BYTES) {
      // Lambda refuses the Invoke (RequestEntityTooLargeException): the function never runs.
      options.logger.warn('event over the Lambda request limit', { path: url.pathname, requestId });
      return sendJson(res, 413, LAMBDA_REQUEST_TOO_LONG, {
        ...headers,
        'x-amzn-ErrorType': 'BadRequestException',
      });
    }
    const outcome = await withTimeout(
      Promise.resolve().then(() =>
        route.handler(event, inProcessContext(route.name ?? 'api', timeoutMs, requestId)),
      ),
      timeoutMs,
    );
    if (outcome.kind === 'timeout') {
      // The handler keeps running (it shares this process); only the caller stops waiting, as on AWS.
      options.logger.warn('integration timed out', { path: url.pathname, requestId, timeoutMs });
      return sendJson(res, 504, { message: 'Endpoint request timed out' }, headers);
    }
    if (outcome.kind === 'error') {
      options.logger.error('handler failed', { path: url.pathname, requestId, error: outcome.error });
      return sendJson(res, 502, { message: 'Internal server error' }, headers);
    }
    if (Buffer.byteLength(JSON.stringify(outcome.value) ?? '') > LAMBDA_RESPONSE_LIMIT_BYTES) {
      // Lambda fails the invocation ("Exceeded maximum allowed payload size"); the caller sees a 502.
      options.logger.error('answer over the Lambda response limit', { path: url.pathname, requestId });
      return sendJson(res, 502, { message: 'Internal server error' }, headers);
    }
    const reply = fromProxyResult(outcome.value);
    if (!reply) {
      options.logger.error('malformed Lambda proxy response', { path: url.pathname, requestId });
      return sendJson(res, 502, { message: 'Internal server error' }, headers);
    }
    // 204 and 304 have no body, and a HEAD answered with none has no length to tell: a 0 would
    // misstate the size of what GET sends.
    const lengthless =
      reply.status === 204 || reply.status === 304 || (req.method === 'HEAD' && reply.body.length === 0);
    res.writeHead(reply.status, {
      ...reply.headers,
      ...headers,
      ...(lengthless ? {} : { 'content-length': reply.body.length }),
    });
    res.end(req.method === 'HEAD' || lengthless ? undefined : reply.body);
  }

  // Node refuses oversized headers (e.g. a 20 kB bearer token) before any handler runs; answer
  // that in the API's error shape instead of Node's bare 431, and anything else unparsable as 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, message, errorCode] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request headers too large: send a shorter Authorization header.', 'headers_too_large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'The request took too long to arrive.', 'request_timeout']
          : [400, 'Malformed HTTP request.', 'bad_request'];
    const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message, errorCode });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const port = await listenLoopback(server, options.port);
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}${basePath}`, origin, addRoute, stop: () => closeServer(server) };
}

type Outcome<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ kind: 'value', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ kind: 'error', error });
      },
    );
  });
}
