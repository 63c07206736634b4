/**
 * Lambda handler of the dashboard (API Gateway REST proxy integration): the built single-page app
 * under /dashboard, from a folder beside the bundle. Text over 1 KB goes gzip-compressed to clients
 * that take it, base64-encoded as binary media types require: Lambda answers at most 6 MB, and the
 * TypeScript worker alone is 7 MB as it is, 1.5 MB compressed.
 */
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createFileCache, type DashboardFile, type Representation } from './file-cache.ts';
import { etagMatches, gzipPreference, requestHeader } from './negotiation.ts';
import { PAGES, page } from './pages.ts';
import { securityHeaders } from './security-headers.ts';
import {
  cacheControlOf,
  DASHBOARD_METHODS,
  DASHBOARD_PATH,
  INDEX_FILE,
  isText,
  REVALIDATE,
  targetOf,
} from './static-files.ts';

const logger = new Logger({ serviceName: 'hookchain-dashboard' });

export interface DashboardHandlerOptions {
  /** The built dashboard: Vite's output, with index.html at its top. */
  root: string;
  /** Gzip text files for clients that accept it (default true). */
  compress?: boolean;
}

/** Smaller files gain little from compression. */
export const GZIP_MIN_BYTES = 1024;

/** Lambda's 6 MB response limit, less room for the status, headers and JSON around the body. */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024;

const ALLOW = DASHBOARD_METHODS.join(', ');
const isDashboardMethod = (method: string): boolean =>
  (DASHBOARD_METHODS as readonly string[]).includes(method);
const TEXT = 'text/plain; charset=utf-8';

export function createDashboardHandler(options: DashboardHandlerOptions) {
  const files = createFileCache(options.root);
  const compress = options.compress ?? true;

  async function serve(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const method = event.httpMethod.toUpperCase();
    if (!isDashboardMethod(method)) return page(PAGES.methodNotAllowed, method, { allow: ALLOW });
    const target = targetOf(requestPath(event));
    if (target.kind === 'redirect') return redirect(event);
    const index = await files.get(INDEX_FILE);
    if (!index) return page(PAGES.notBuilt, method);
    if (target.kind === 'not-found') return page(PAGES.notFound, method);
    const file = target.file === INDEX_FILE ? index : await files.get(target.file);
    if (!file) return page(PAGES.notFound, method);

    const negotiable = compress && isText(file.contentType) && file.size > GZIP_MIN_BYTES;
    const encoding = negotiable ? chooseEncoding(file, requestHeader(event, 'accept-encoding')) : 'identity';
    if (encoding === 'none') return page(PAGES.notAcceptable, method, { vary: 'Accept-Encoding' });
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'cache-control': cacheControlOf(target.file),
      etag: file.etags[encoding],
      ...securityHeaders(file.contentType),
      ...(negotiable ? { vary: 'Accept-Encoding' } : {}),
    };
    if (etagMatches(requestHeader(event, 'if-none-match'), file.etags[encoding])) {
      return { statusCode: 304, headers, body: '' };
    }
    const representation = encoding === 'gzip' ? await file.gzip() : file.identity();
    if (representation.payloadBytes > MAX_PAYLOAD_BYTES) {
      logger.error('A dashboard file is too large for a Lambda response', {
        file: target.file,
        encoding,
        payloadBytes: representation.payloadBytes,
      });
      return page(PAGES.error, method);
    }
    if (encoding === 'gzip') headers['content-encoding'] = 'gzip';
    return method === 'HEAD'
      ? { statusCode: 200, headers, body: '' }
      : {
          statusCode: 200,
          headers,
          body: representation.body,
          isBase64Encoded: representation.isBase64Encoded,
        };
  }

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => {
    try {
      return await serve(event);
    } catch (error) {
      // The path only: headers may carry credentials meant for other routes.
      logger.error('Could not serve a dashboard file', { path: event.path, error: error as Error });
      return page(PAGES.error, event.httpMethod.toUpperCase());
    }
  });
}

/**
 * Gzip when the client takes it. A file too large for Lambda as it is goes gzip also to a client
 * that did not say (RFC 9110 then allows any coding); one that refused gzip cannot have it.
 */
function chooseEncoding(
  file: DashboardFile,
  acceptEncoding: string | undefined,
): 'identity' | 'gzip' | 'none' {
  const preference = gzipPreference(acceptEncoding);
  if (preference === 'accepted') return 'gzip';
  if (fits(file.identity())) return 'identity';
  return preference === 'unspecified' ? 'gzip' : 'none';
}

const fits = (representation: Representation) => representation.payloadBytes <= MAX_PAYLOAD_BYTES;

/**
 * The path below the dashboard's resources, whatever came before them (the stage on execute-api,
 * a base path on a custom domain): `{proxy+}` is decoded by API Gateway, so it is encoded again
 * for targetOf to decode exactly once.
 */
function requestPath(event: APIGatewayProxyEvent): string {
  const proxy = event.pathParameters?.proxy;
  if (typeof proxy === 'string') {
    return `${DASHBOARD_PATH}/${proxy.split('/').map(encodeURIComponent).join('/')}`;
  }
  return event.path.endsWith('/') ? `${DASHBOARD_PATH}/` : DASHBOARD_PATH;
}

/**
 * `/dashboard` to `/dashboard/`, with a relative Location: the browser resolves it against the URL
 * it asked for, so the stage prefix (`/dev/dashboard`) or a custom domain's base path is kept.
 */
function redirect(event: APIGatewayProxyEvent): APIGatewayProxyResult {
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters;
  const single = event.queryStringParameters;
  for (const [name, values] of Object.entries(multi ?? {})) {
    for (const value of values ?? []) query.append(name, value);
  }
  if (!multi) for (const [name, value] of Object.entries(single ?? {})) query.append(name, value ?? '');
  const search = query.toString();
  return {
    statusCode: 301,
    headers: {
      location: `${DASHBOARD_PATH.slice(1)}/${search ? `?${search}` : ''}`,
      'content-type': TEXT,
      'cache-control': REVALIDATE,
      ...securityHeaders(TEXT),
    },
    body: '',
  };
}

/** On Lambda the built dashboard sits in `dashboard/` beside this bundle (infra/aws/dashboard-bundling.ts). */
export const handler = createDashboardHandler({
  root: process.env.DASHBOARD_ROOT || fileURLToPath(new URL('./dashboard/', import.meta.url)),
});
