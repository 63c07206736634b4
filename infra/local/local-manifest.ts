/**
 * `.hookchain/local.json`: how to reach the running stack (URL, endpoints, the AWS credentials the
 * local servers accept, new at every start) and the bootstrap credentials of the local tenant. The
 * token is created on first start and kept across restarts. Mode 0600, and never readable by
 * functions (their permission model allows only their own code).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PLATFORM_RESOURCES } from '../shared/resources.ts';

const manifestSchema = z.object({
  url: z.string(),
  tenant: z.string().min(1),
  token: z.string().startsWith('hc_'),
  endpoints: z.object({ dynamodb: z.string(), sqs: z.string(), lambda: z.string(), logs: z.string() }),
  credentials: z.object({ accessKeyId: z.string(), secretAccessKey: z.string() }).optional(),
});

export type LocalManifest = z.infer<typeof manifestSchema>;

export interface BootstrapCredentials {
  tenant: string;
  token: string;
  /** True when this start generated them (first start, or an unreadable manifest). */
  created: boolean;
}

export function manifestPath(stateDir: string): string {
  return join(stateDir, 'local.json');
}

/** An opaque bearer token: `hc_` + 32 random bytes, base64url. */
export function generateToken(): string {
  return `hc_${randomBytes(32).toString('base64url')}`;
}

export async function loadBootstrap(stateDir: string): Promise<BootstrapCredentials> {
  const file = manifestPath(stateDir);
  if (existsSync(file)) {
    const parsed = manifestSchema.safeParse(parseJson(await readFile(file, 'utf8')));
    if (parsed.success) return { tenant: parsed.data.tenant, token: parsed.data.token, created: false };
  }
  return { tenant: PLATFORM_RESOURCES.localTenant, token: generateToken(), created: true };
}

export async function writeManifest(stateDir: string, manifest: LocalManifest): Promise<void> {
  const file = manifestPath(stateDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
