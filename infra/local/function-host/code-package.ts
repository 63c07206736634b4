/**
 * Deployment packages: a zip is checked against Lambda's size limits and unpacked into a directory.
 * Entries that would land outside that directory (`../x`, absolute paths) are refused.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { AwsApiError } from '../aws-error.ts';
import { invalidParameter, LIMITS } from './function-config.ts';

export interface CodePackage {
  zip: Buffer;
  sha256: string;
  files: Map<string, Uint8Array>;
}

const UNREADABLE = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

export function readCodePackage(base64: string | undefined): CodePackage {
  if (base64 === undefined) {
    throw invalidParameter(
      'The local function host accepts code only as Code.ZipFile (no S3 or container images).',
    );
  }
  const zip = Buffer.from(base64, 'base64');
  if (zip.length > LIMITS.zipBytes) {
    throw new AwsApiError(
      'RequestEntityTooLargeException',
      413,
      `Zipped deployment package must be smaller than ${LIMITS.zipBytes} bytes`,
    );
  }
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      // The declared sizes are checked before inflating anything, so a zip bomb is refused early.
      filter: (file) => {
        declared += file.originalSize;
        return !file.name.endsWith('/');
      },
    });
  } catch {
    throw invalidParameter(UNREADABLE);
  }
  if (declared > LIMITS.unzippedBytes) {
    throw invalidParameter(`Unzipped size must be smaller than ${LIMITS.unzippedBytes} bytes`);
  }
  const safe = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    const path = normalize(name);
    if (isAbsolute(path) || path === '..' || path.startsWith(`..${sep}`)) throw invalidParameter(UNREADABLE);
    safe.set(path, data);
  }
  return { zip, sha256: createHash('sha256').update(zip).digest('base64'), files: safe };
}

export async function unpack(code: CodePackage, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [path, data] of code.files) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}
