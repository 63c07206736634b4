/**
 * Where the CLI finds its API and token. Precedence: flags > environment (HOOKCHAIN_URL,
 * HOOKCHAIN_TOKEN) > the saved profile (`hookchain login`) > the local stack's
 * `.hookchain/local.json`, found by walking up from the working directory. A token is only taken
 * from a profile or the local stack for that source's own URL, so a local token is never sent to
 * another server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.ts';

const profileSchema = z.object({
  url: z.string(),
  token: z.string().optional(),
  operator_token: z.string().optional(),
});

const configSchema = z.object({
  current: z.string().optional(),
  profiles: z.record(z.string(), profileSchema).default({}),
});

export type Profile = z.infer<typeof profileSchema>;
export type CliConfig = z.infer<typeof configSchema>;

export interface ConnectionFlags {
  url?: string;
  token?: string;
  operatorToken?: string;
  profile?: string;
}

export interface Connection {
  url: string;
  token?: string;
  operatorToken?: string;
  /** Where the URL came from, for messages ("flag", "HOOKCHAIN_URL", "profile default", a path). */
  source: string;
}

export interface LocalStackInfo {
  url: string;
  token?: string;
  operatorToken?: string;
  manifest: string;
}

/** `$HOOKCHAIN_CONFIG`, else `$XDG_CONFIG_HOME/hookchain/config.json`, else `~/.config/...`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.HOOKCHAIN_CONFIG) return resolve(env.HOOKCHAIN_CONFIG);
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'hookchain', 'config.json');
}

export async function loadConfig(path: string): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { profiles: {} };
  }
  try {
    return configSchema.parse(JSON.parse(text));
  } catch {
    throw new UsageError(
      `The CLI config at ${path} is not valid JSON in the expected shape.`,
      'Fix or delete the file, then run `hookchain login` again.',
    );
  }
}

export async function saveProfile(path: string, name: string, profile: Profile): Promise<void> {
  const config = await loadConfig(path);
  config.profiles[name] = profile;
  config.current = name;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Tokens live here: readable by the owner only, written atomically.
  await writeFile(`${path}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  await chmod(path, 0o600);
}

export async function removeProfile(path: string, name: string): Promise<boolean> {
  const config = await loadConfig(path);
  if (!config.profiles[name]) return false;
  delete config.profiles[name];
  if (config.current === name) delete config.current;
  await writeFile(`${path}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return true;
}

const manifestSchema = z.object({ url: z.string(), token: z.string().optional() });

function readLocalManifest(file: string): LocalStackInfo | undefined {
  try {
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const operatorFile = join(dirname(file), 'operator.token');
    const operatorToken = existsSync(operatorFile) ? readFileSync(operatorFile, 'utf8').trim() : undefined;
    return { ...manifest, ...(operatorToken ? { operatorToken } : {}), manifest: file };
  } catch {
    return undefined;
  }
}

/**
 * The local stack this directory belongs to: `$HOOKCHAIN_STATE_DIR/local.json` when set (as for
 * `npm start`), else the nearest `.hookchain/local.json` from `cwd` upwards.
 */
export function findLocalStack(cwd: string, env: NodeJS.ProcessEnv): LocalStackInfo | undefined {
  if (env.HOOKCHAIN_STATE_DIR) {
    const found = readLocalManifest(join(resolve(cwd, env.HOOKCHAIN_STATE_DIR), 'local.json'));
    if (found) return found;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, '.hookchain', 'local.json');
    if (existsSync(file)) {
      const found = readLocalManifest(file);
      if (found) return found;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export interface ResolveInput {
  flags: ConnectionFlags;
  env: NodeJS.ProcessEnv;
  config: CliConfig;
  local: LocalStackInfo | undefined;
}

/** Applies the precedence rules; `undefined` when nothing names a server at all. */
export function resolveConnection({ flags, env, config, local }: ResolveInput): Connection | undefined {
  const profileName = flags.profile ?? env.HOOKCHAIN_PROFILE ?? config.current ?? 'default';
  const profile = config.profiles[profileName];
  if ((flags.profile || env.HOOKCHAIN_PROFILE) && !profile) {
    const known = Object.keys(config.profiles);
    throw new UsageError(
      `There is no profile named '${profileName}'.`,
      known.length > 0
        ? `Known profiles: ${known.join(', ')}. Create one with \`hookchain login --profile ${profileName} --url <url> --token <token>\`.`
        : `Create it with \`hookchain login --profile ${profileName} --url <url> --token <token>\`.`,
    );
  }
  const candidates: Array<{ source: string; url: string; token?: string; operatorToken?: string }> = [];
  if (flags.url) candidates.push({ source: '--url', url: flags.url });
  if (env.HOOKCHAIN_URL) candidates.push({ source: 'HOOKCHAIN_URL', url: env.HOOKCHAIN_URL });
  if (profile) {
    candidates.push({
      source: `profile '${profileName}'`,
      url: profile.url,
      ...(profile.token ? { token: profile.token } : {}),
      ...(profile.operator_token ? { operatorToken: profile.operator_token } : {}),
    });
  }
  if (local) {
    candidates.push({
      source: local.manifest,
      url: local.url,
      ...(local.token ? { token: local.token } : {}),
      ...(local.operatorToken ? { operatorToken: local.operatorToken } : {}),
    });
  }
  const chosen = candidates[0];
  if (!chosen) return undefined;
  // Stored tokens travel only with the URL they were stored for.
  const storedFor = (pick: (c: (typeof candidates)[number]) => string | undefined) => {
    for (const candidate of candidates) {
      const value = pick(candidate);
      if (value && sameUrl(candidate.url, chosen.url)) return value;
    }
    return undefined;
  };
  const token = flags.token ?? env.HOOKCHAIN_TOKEN ?? storedFor((c) => c.token);
  const operatorToken =
    flags.operatorToken ?? env.HOOKCHAIN_OPERATOR_TOKEN ?? storedFor((c) => c.operatorToken);
  return {
    url: chosen.url.replace(/\/+$/, ''),
    source: chosen.source,
    ...(token ? { token } : {}),
    ...(operatorToken ? { operatorToken } : {}),
  };
}
