/**
 * HTTP request -> API Gateway REST API (v1) proxy event, and proxy result -> HTTP response: the
 * contract of a `{proxy+}` resource with Lambda proxy integration. As on an execute-api URL,
 * `path` is the resource path (no stage) and `requestContext.path` the path the client asked for.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './resources.ts';

/** `requestContext.stage` when the front serves the API at `/` (the local mode). */
export const LOCAL_STAGE = 'local';

export interface ProxyEventTarget {
  /** The route's prefix, e.g. `/api/v2` (the resource above `{proxy+}`). */
  pathPrefix: string;
  /** The stage name in `requestContext.stage`. */
  stage: string;
  /** What precedes the resource path in the URL: `/dev` on execute-api, '' when served at `/`. */
  basePath: string;
  /** The API's binary media types: a request body whose Content-Type matches one travels base64. */
  binaryMediaTypes: readonly string[];
}

export function toProxyEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  target: ProxyEventTarget,
): APIGatewayProxyEvent {
  const { pathPrefix, stage, basePath } = target;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // rawHeaders keeps the client's spelling and every repeated value, as API Gateway does.
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const path = url.pathname.slice(basePath.length) || '/';
  const rest = path.slice(pathPrefix.replace(/\/$/, '').length).replace(/^\//, '');
  const resource = rest === '' ? pathPrefix || '/' : `${pathPrefix.replace(/\/$/, '')}/{proxy+}`;
  const { text, isBase64Encoded } = encodeBody(body, req.headers['content-type'], target.binaryMediaTypes);
  const now = new Date();
  return {
    resource,
    path,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: rest === '' ? null : { proxy: decodeOrKeep(rest) },
    stageVariables: null,
    body: text,
    isBase64Encoded,
    requestContext: {
      accountId: LOCAL_ACCOUNT.accountId,
      apiId: 'local',
      authorizer: null,
      domainName: headers.Host ?? headers.host ?? '127.0.0.1',
      domainPrefix: (headers.Host ?? headers.host ?? '127.0.0.1').split('.')[0] as string,
      extendedRequestId: randomUUID(),
      httpMethod: req.method ?? 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: resource,
      stage,
    },
  };
}

/**
 * As API Gateway does: a body whose Content-Type matches a binary media type (exact, `type/*`, or the
 * all-types wildcard) travels base64-encoded, flagged as such; any other body as text. Bytes that are not
 * valid UTF-8 go base64 too, where AWS would mangle them (a stand-in must not corrupt them).
 */
export function encodeBody(
  body: Buffer,
  contentType: string | undefined,
  binaryMediaTypes: readonly string[],
): { text: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { text: null, isBase64Encoded: false };
  const binary = isBinaryMediaType(contentType, binaryMediaTypes);
  const text = body.toString('utf8');
  if (!binary && Buffer.from(text, 'utf8').equals(body)) return { text, isBase64Encoded: false };
  return { text: body.toString('base64'), isBase64Encoded: true };
}

export function isBinaryMediaType(
  contentType: string | undefined,
  binaryMediaTypes: readonly string[],
): boolean {
  const [type = '', subtype = ''] = (contentType ?? '').split(';')[0]?.trim().toLowerCase().split('/') ?? [];
  return binaryMediaTypes.some((entry) => {
    const [t, s] = entry.toLowerCase().split('/');
    return (t === '*' || t === type) && (s === '*' || s === subtype);
  });
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Undefined when the handler's answer is not a valid proxy result (API Gateway then answers 502). */
export function fromProxyResult(result: unknown): HttpReply | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const r = result as APIGatewayProxyResult;
  if (!Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String);
  }
  // REST APIs default the content type of a proxy response to JSON.
  headers['content-type'] ??= 'application/json';
  const body = r.body ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status: r.statusCode, headers, body };
}

/**
 * `{proxy+}` is the decoded path; a malformed escape (`%E0%A4%A`) is kept as sent, so the handler
 * answers it (a 400) instead of the front failing with a 500.
 */
function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
