/**
 * Lambda deployment zips. Deterministic: entries sorted, one fixed timestamp, fixed permissions,
 * so the same bundle always gives the same bytes (and the same CodeSha256 on Lambda). fflate's
 * deflate is plain JavaScript, so the bytes do not depend on the machine's zlib build either.
 */
import { unzipSync, zipSync } from 'fflate';

/** DOS timestamps start in 1980; built from local fields because zip stores local time. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Unix `-rw-r--r--`: Lambda's runtime user must be able to read every file. */
const FILE_ATTRS = (0o100644 << 16) >>> 0;
const UNIX = 3;

export function zipFiles(files: Record<string, string | Uint8Array>): Uint8Array {
  const encoder = new TextEncoder();
  const entries: Parameters<typeof zipSync>[0] = {};
  for (const name of Object.keys(files).sort()) {
    const content = files[name]!;
    const data = typeof content === 'string' ? encoder.encode(content) : content;
    entries[name] = [data, { mtime: FIXED_MTIME, os: UNIX, attrs: FILE_ATTRS }];
  }
  return zipSync(entries);
}

/**
 * What the zip holds once extracted (the sum of its entries' uncompressed sizes), read from its
 * central directory without inflating anything: the size Lambda's unzipped limit applies to.
 */
export function unzippedSize(zip: Uint8Array): number {
  let total = 0;
  unzipSync(zip, {
    filter: (file) => {
      total += file.originalSize;
      return false;
    },
  });
  return total;
}
