/**
 * What a request under /dashboard names, decided from its path alone: a redirect, a file inside the
 * dashboard's root (a relative path that cannot leave it), or nothing; and how a file is typed and
 * cached. Nothing here touches the file system.
 */

/** The only methods the dashboard answers; the local front and the CDK API route exactly these. */
export const DASHBOARD_METHODS = ['GET', 'HEAD'] as const;

/**
 * The REST API's binary media types, here because the dashboard is why: its gzip and font answers
 * are base64 from the function and must reach browsers as bytes. API Gateway decides that from the
 * first Accept value, which a browser does not let us choose (a script asks for any type), so
 * every type is binary; request bodies then reach every function base64-encoded too (AWS docs,
 * "Binary media types for REST APIs"). The CDK API and the local front both use this list.
 */
export const BINARY_MEDIA_TYPES: readonly string[] = ['*/*'];

export const DASHBOARD_PATH = '/dashboard';
export const INDEX_FILE = 'index.html';

export type Target = { kind: 'redirect' } | { kind: 'file'; file: string } | { kind: 'not-found' };

const NOT_FOUND: Target = { kind: 'not-found' };

/** Vite's content-hashed output: a new build gets new names, so a cached copy is never stale. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) is revalidated, so a deployment shows up at once. */
export const REVALIDATE = 'no-cache';

/**
 * `/dashboard` redirects (relative URLs in index.html need the slash), `/dashboard/` is the index,
 * `/dashboard/<segments>` a file. Each segment is percent-decoded once and must be a plain name.
 */
export function targetOf(path: string): Target {
  if (path === DASHBOARD_PATH) return { kind: 'redirect' };
  if (!path.startsWith(`${DASHBOARD_PATH}/`)) return NOT_FOUND;
  const rest = path.slice(DASHBOARD_PATH.length + 1);
  if (rest === '') return { kind: 'file', file: INDEX_FILE };
  const segments: string[] = [];
  for (const raw of rest.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return NOT_FOUND;
    }
    if (!isPlainName(segment)) return NOT_FOUND;
    segments.push(segment);
  }
  return { kind: 'file', file: segments.join('/') };
}

/**
 * Empty (`//`, a trailing slash), `.`, `..` and dotfiles (`.env`, `.git`) are never served; a decoded
 * `/` or `\` (`%2F`, `%5C`) would split the name again on its way to the file system.
 */
function isPlainName(segment: string): boolean {
  return segment !== '' && !segment.startsWith('.') && !/[/\\\0]/.test(segment) && segment.length <= 255;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  ttf: 'font/ttf',
  otf: 'font/otf',
  woff: 'font/woff',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
};

const BINARY = 'application/octet-stream';

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  const extension = dot > file.lastIndexOf('/') ? file.slice(dot + 1).toLowerCase() : '';
  return CONTENT_TYPES[extension] ?? BINARY;
}

/** Text formats: served as text when sent as they are, and worth compressing. */
export function isText(contentType: string): boolean {
  return /^(text\/|application\/(json|manifest\+json)\b|image\/svg\+xml\b)/.test(contentType);
}

export function cacheControlOf(file: string): string {
  return file.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
}
