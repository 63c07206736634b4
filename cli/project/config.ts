/**
 * The parts of an Auth0 Deploy CLI config file (`config.json`) that concern actions as code:
 * keyword mappings, AUTH0_ALLOW_DELETE and AUTH0_EXCLUDED. Credentials in it (AUTH0_DOMAIN,
 * AUTH0_CLIENT_SECRET, ...) are Auth0's and ignored. Environment variables of the same names win,
 * as in the Deploy CLI.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { type KeywordMappings, parseMappings } from './keywords.ts';

export interface DeployConfig {
  /** The file read, if any. */
  file?: string;
  mappings?: KeywordMappings;
  allowDelete: boolean;
  excluded: Set<string>;
}

const truthy = (value: unknown) => value === true || value === 'true' || value === '1';

function excludedFrom(value: unknown, where: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) throw new UsageError(`${where} must be a JSON array such as ["actions"].`);
  return list.map(String);
}

/**
 * Reads `configFile` if given, else `<projectDir>/config.json` when it exists and looks like a
 * Deploy CLI config (it has AUTH0_* keys).
 */
export async function loadDeployConfig(
  projectDir: string,
  configFile: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<DeployConfig> {
  let file = configFile ? resolve(cwd, configFile) : undefined;
  let values: Record<string, unknown> = {};
  const candidate = join(projectDir, 'config.json');
  if (!file && existsSync(candidate)) file = candidate;
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Could not read the config file ${file}: ${(error as Error).message}`);
    }
    try {
      values = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`The config file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (!configFile && !Object.keys(values).some((key) => key.startsWith('AUTH0_'))) {
      file = undefined;
      values = {};
    }
  }
  const rel = file ? relative(cwd, file) : undefined;
  // As the user would type it: relative inside the working directory, absolute outside.
  const shown = file && rel !== undefined ? (rel === '' || rel.startsWith('..') ? file : rel) : undefined;
  const fileMappings = values.AUTH0_KEYWORD_REPLACE_MAPPINGS;
  let mappings: KeywordMappings | undefined;
  if (typeof fileMappings === 'string')
    mappings = parseMappings(fileMappings, `${shown}: AUTH0_KEYWORD_REPLACE_MAPPINGS`);
  else if (fileMappings && typeof fileMappings === 'object') mappings = fileMappings as KeywordMappings;
  return {
    ...(shown ? { file: shown } : {}),
    ...(mappings ? { mappings } : {}),
    allowDelete: truthy(env.AUTH0_ALLOW_DELETE ?? values.AUTH0_ALLOW_DELETE),
    excluded: new Set(excludedFrom(env.AUTH0_EXCLUDED ?? values.AUTH0_EXCLUDED, 'AUTH0_EXCLUDED')),
  };
}
