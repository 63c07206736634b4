/** The request headers a static file answer depends on: Accept-Encoding and If-None-Match. */
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** A request header by name, whatever its case; repeated fields joined as one list. */
export function requestHeader(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (key.toLowerCase() === wanted && values && values.length > 0) return values.join(', ');
  }
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/**
 * `unspecified` when the request has no Accept-Encoding at all: RFC 9110 then allows any coding,
 * but plain clients (curl without --compressed) expect the bytes as they are.
 */
export type GzipPreference = 'accepted' | 'refused' | 'unspecified';

export function gzipPreference(acceptEncoding: string | undefined): GzipPreference {
  if (acceptEncoding === undefined) return 'unspecified';
  let wildcard: boolean | undefined;
  for (const entry of acceptEncoding.split(',')) {
    const [coding = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((p) => p.startsWith('q='));
    const acceptable = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return acceptable ? 'accepted' : 'refused';
    if (coding === '*') wildcard = acceptable;
  }
  return wildcard ? 'accepted' : 'refused';
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches any current file. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
