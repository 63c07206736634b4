/**
 * HTTP request -> API Gateway REST API (v1) proxy event, and proxy result -> HTTP response: the
 * contract of a `{proxy+}` resource with Lambda proxy integration.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './resources.ts';

export const STAGE = 'local';

export function toProxyEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  pathPrefix: string,
): APIGatewayProxyEvent {
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
  const path = url.pathname;
  const rest = path.slice(pathPrefix.replace(/\/$/, '').length).replace(/^\//, '');
  const resource = rest === '' ? pathPrefix || '/' : `${pathPrefix.replace(/\/$/, '')}/{proxy+}`;
  const { text, isBase64Encoded } = encodeBody(body);
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
      domainPrefix: 'local',
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
      path: `/${STAGE}${path}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: resource,
      stage: STAGE,
    },
  };
}

/** Text stays text; bytes that are not valid UTF-8 travel base64-encoded, flagged as such. */
function encodeBody(body: Buffer): { text: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { text: null, isBase64Encoded: false };
  const text = body.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(body)) return { text, isBase64Encoded: false };
  return { text: body.toString('base64'), isBase64Encoded: true };
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
