/**
 * The dashboard's files, read once per warm handler and kept with their ETags and gzip bytes: on
 * Lambda they never change within a deployment. Each request still checks the file's size and
 * mtime (one stat), so a `npm run build:dashboard` while the local stack runs shows up at once.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { contentTypeOf, isText } from './static-files.ts';

const gzip = promisify(gzipCallback);

/** One encoding of a file, as a Lambda proxy result carries it. */
export interface Representation {
  etag: string;
  body: string;
  isBase64Encoded: boolean;
  /** Bytes the body takes in Lambda's JSON response, which is what its 6 MB limit counts. */
  payloadBytes: number;
}

export interface DashboardFile {
  contentType: string;
  size: number;
  /** Strong ETags: one per representation, as the bytes on the wire differ. */
  etags: { identity: string; gzip: string };
  identity(): Representation;
  gzip(): Promise<Representation>;
}

export interface FileCache {
  /** A regular file inside the root, or undefined; `file` is relative, `/`-separated. */
  get(file: string): Promise<DashboardFile | undefined>;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

export function createFileCache(root: string): FileCache {
  const base = resolve(root);
  const entries = new Map<string, { version: string; file: Promise<DashboardFile | undefined> }>();

  async function locate(file: string): Promise<{ path: string; version: string } | undefined> {
    try {
      const path = await realpath(resolve(base, file));
      // Symbolic links may not lead out of the root.
      if (!path.startsWith(`${await realpath(base)}${sep}`)) return undefined;
      const stats = await stat(path);
      if (!stats.isFile()) return undefined;
      return { path, version: `${stats.ino}:${stats.size}:${stats.mtimeMs}` };
    } catch (error) {
      if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
  }

  return {
    async get(file) {
      const found = await locate(file);
      if (!found) {
        entries.delete(file);
        return undefined;
      }
      const cached = entries.get(file);
      if (cached?.version === found.version) return cached.file;
      const loading = load(found.path, contentTypeOf(file));
      entries.set(file, { version: found.version, file: loading });
      // A failed read is not remembered: the next request tries again.
      loading.catch(() => entries.delete(file));
      return loading;
    },
  };
}

async function load(path: string, contentType: string): Promise<DashboardFile | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 27);
  const etags = { identity: `"${hash}"`, gzip: `"${hash}-gzip"` };
  let identity: Representation | undefined;
  let compressed: Promise<Representation> | undefined;
  return {
    contentType,
    size: bytes.length,
    etags,
    identity() {
      identity ??= representation(etags.identity, bytes, isText(contentType));
      return identity;
    },
    gzip() {
      compressed ??= gzip(bytes).then((gzipped) => representation(etags.gzip, gzipped, false));
      return compressed;
    },
  };
}

/** Text that is valid UTF-8 travels as it is; anything else base64-encoded, flagged as such. */
function representation(etag: string, bytes: Buffer, text: boolean): Representation {
  if (text) {
    const body = bytes.toString('utf8');
    if (Buffer.from(body, 'utf8').equals(bytes)) {
      return { etag, body, isBase64Encoded: false, payloadBytes: Buffer.byteLength(JSON.stringify(body)) };
    }
  }
  const body = bytes.toString('base64');
  return { etag, body, isBase64Encoded: true, payloadBytes: body.length + 2 };
}
