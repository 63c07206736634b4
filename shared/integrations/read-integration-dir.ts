/**
 * Reads an integration's directory into the body of `POST /api/v2/hookchain/integrations`, so a
 * partner publishes what they tested. Accepts Hookchain's flat layout and Auth0's Marketplace
 * template layout:
 *
 *   integration.json           (or deploy/template.json)  name, display_name, description,
 *                               short_description, partner, supported_triggers or trigger, runtime
 *   integration.action.js      (or integration/integration.action.js)   the closed code
 *   configuration.json         (next to the code)   secrets[], configuration[], dependencies[]
 *   package.json               optional: more dependencies (exact versions), name and description
 *
 * The body is checked with the server's own schema, so mistakes show before anything is sent.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseInput } from '../actions/schemas.ts';
import { ValidationError } from '../errors.ts';
import { getTrigger } from '../triggers/registry.ts';
import { type PublishIntegrationInput, publishIntegrationBody } from './schemas.ts';

export interface IntegrationDir {
  /** The publish body, validated. */
  body: PublishIntegrationInput;
  /** Where each part came from (for messages). */
  files: { code: string; configuration?: string; manifest?: string; packageJson?: string };
}

type Json = Record<string, unknown>;

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readJson(file: string): Promise<Json | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Json;
  } catch (error) {
    throw new ValidationError(`${file} is not a JSON object: ${(error as Error).message}`);
  }
}

/** The first of `candidates` (relative to `dir`) that exists. */
async function first<T>(dir: string, candidates: string[], read: (file: string) => Promise<T | undefined>) {
  for (const candidate of candidates) {
    const file = path.join(dir, candidate);
    const value = await read(file);
    if (value !== undefined) return { file, value };
  }
  return undefined;
}

function triggersFrom(manifest: Json): unknown {
  if (manifest.supported_triggers !== undefined) return manifest.supported_triggers;
  if (typeof manifest.trigger === 'string') {
    return [{ id: manifest.trigger, version: getTrigger(manifest.trigger).version }];
  }
  return manifest.trigger === undefined ? undefined : [manifest.trigger];
}

function packageDependencies(pkg: Json | undefined) {
  const deps = (pkg?.dependencies ?? {}) as Record<string, string>;
  return Object.entries(deps).map(([name, version]) => ({ name, version }));
}

export async function readIntegrationDir(
  dir: string,
  overrides: Partial<Json> = {},
): Promise<IntegrationDir> {
  const root = path.resolve(dir);
  const code = await first(root, ['integration.action.js', 'integration/integration.action.js'], readText);
  if (!code) {
    throw new ValidationError(
      `No integration.action.js in ${root} (or its integration/ folder): that file is the integration's code.`,
    );
  }
  const codeDir = path.dirname(code.file);
  const configuration = await readJson(path.join(codeDir, 'configuration.json'));
  const manifest = await first(root, ['integration.json', 'deploy/template.json'], readJson);
  const pkg = await first(root, ['package.json'], readJson);

  const declared = (configuration?.dependencies ?? []) as Array<Record<string, unknown>>;
  const fromPackage = packageDependencies(pkg?.value).filter((d) => !declared.some((x) => x.name === d.name));
  const packageName =
    typeof pkg?.value.name === 'string' ? pkg.value.name.replace(/^@[^/]+\//, '') : undefined;
  const meta = manifest?.value ?? {};

  const body = {
    name: meta.name ?? packageName ?? path.basename(root),
    ...pick(meta, ['display_name', 'short_description', 'partner', 'runtime', 'notes']),
    ...(meta.description !== undefined
      ? { description: meta.description }
      : typeof pkg?.value.description === 'string'
        ? { description: pkg.value.description }
        : {}),
    supported_triggers: triggersFrom(meta),
    code: code.value,
    dependencies: [...declared, ...fromPackage],
    secrets: configuration?.secrets ?? [],
    configuration: configuration?.configuration ?? [],
    ...overrides,
  };
  return {
    body: parseInput(publishIntegrationBody, body, 'integration'),
    files: {
      code: code.file,
      ...(configuration ? { configuration: path.join(codeDir, 'configuration.json') } : {}),
      ...(manifest ? { manifest: manifest.file } : {}),
      ...(pkg ? { packageJson: pkg.file } : {}),
    },
  };
}

function pick(source: Json, names: string[]): Json {
  return Object.fromEntries(names.filter((n) => source[n] !== undefined).map((n) => [n, source[n]]));
}
