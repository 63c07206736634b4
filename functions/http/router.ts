/**
 * A small router over API Gateway REST (v1) proxy events: path patterns with `{params}`, JSON in
 * and out, errors through `errorBody`. Handlers receive a parsed request and return a status and
 * a body; they never see the Lambda event.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { errorBody, HttpError } from './errors.ts';

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route<C> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  handle(request: ApiRequest, context: C): Promise<ApiResponse>;
}

/** Request bodies above this are refused before parsing (action code is at most 100 kB). */
export const MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute<C> extends Route<C> {
  pattern: RegExp;
  names: string[];
}

function compile<C>(route: Route<C>): CompiledRoute<C> {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

function lowerCaseHeaders(event: APIGatewayProxyEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  return headers;
}

function parseBody(event: APIGatewayProxyEvent, headers: Record<string, string>): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  // The REST API's binary media types are `*/*` (for the dashboard's gzip answers), so on AWS
  // every request body arrives base64-encoded.
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new HttpError(413, `Request body too large: at most ${MAX_BODY_BYTES} bytes.`, 'payload_too_large');
  }
  const type = headers['content-type'] ?? '';
  if (type && !/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new HttpError(
      415,
      `Unsupported content type '${type}': send application/json.`,
      'unsupported_media_type',
    );
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Invalid request payload JSON format.', 'invalid_json');
  }
}

/**
 * Path parameters are ids, names and trigger ids: none is longer than this. A longer one cannot
 * name anything, and would exceed DynamoDB's key sizes (1 KB sort key) if it reached the store.
 */
export const MAX_PARAM_LENGTH = 256;

function decodeParam(name: string, value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw new HttpError(400, 'Malformed URL encoding in the path.', 'invalid_path');
  }
  if (decoded.length > MAX_PARAM_LENGTH) {
    throw new HttpError(
      400,
      `Invalid path: the {${name}} segment must be at most ${MAX_PARAM_LENGTH} characters.`,
      'invalid_path',
    );
  }
  return decoded;
}

export function createRouter<C>(routes: Route<C>[], options: { onError?: (error: unknown) => void } = {}) {
  const compiled = routes.map(compile);

  return async function route(event: APIGatewayProxyEvent, context: C): Promise<APIGatewayProxyResult> {
    try {
      const method = event.httpMethod.toUpperCase();
      const path = event.path;
      const candidates = compiled.filter((r) => r.pattern.test(path));
      if (candidates.length === 0) throw new HttpError(404, 'Not Found', 'not_found');
      const matched = candidates.find((r) => r.method === method);
      if (!matched)
        throw new HttpError(405, `Method ${method} is not allowed on ${path}.`, 'method_not_allowed');
      const values = matched.pattern.exec(path)?.slice(1) ?? [];
      const headers = lowerCaseHeaders(event);
      const request: ApiRequest = {
        method,
        path,
        params: Object.fromEntries(
          matched.names.map((name, i) => [name, decodeParam(name, values[i] as string)]),
        ),
        query: Object.fromEntries(
          Object.entries(event.queryStringParameters ?? {}).filter(
            (e): e is [string, string] => e[1] !== undefined,
          ),
        ),
        headers,
        body: parseBody(event, headers),
      };
      const response = await matched.handle(request, context);
      return {
        statusCode: response.status,
        headers: {
          ...(response.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...response.headers,
        },
        body: response.body === undefined ? '' : JSON.stringify(response.body),
      };
    } catch (error) {
      const body = errorBody(error);
      if (body.statusCode >= 500) options.onError?.(error);
      return {
        statusCode: body.statusCode,
        headers: {
          'content-type': 'application/json',
          // A dependency is down or throttling: tell well-behaved clients when to come back.
          ...(body.statusCode === 503 ? { 'retry-after': '1' } : {}),
        },
        body: JSON.stringify(body),
      };
    }
  };
}
