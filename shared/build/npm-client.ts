/**
 * Typed doors onto npm's own libraries: npm-package-arg (spec parsing), pacote (manifests) and
 * Arborist (installs). They ship no TypeScript types, so each is loaded through `require` and
 * given the narrow shape Hookchain uses here, instead of ambient declarations for the whole repo.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What npm-package-arg says about `name@spec`. */
export interface ParsedSpec {
  name: string | null;
  /** `tag`, `version` and `range` are registry specs; git, file, remote and alias are not. */
  type: 'tag' | 'version' | 'range' | 'git' | 'file' | 'directory' | 'remote' | 'alias';
  rawSpec: string;
}

export interface Manifest {
  name: string;
  version: string;
}

export interface Packument {
  'dist-tags'?: Record<string, string>;
  versions?: Record<string, unknown>;
}

/** Options passed through pacote and Arborist down to npm-registry-fetch. */
export interface NpmFetchOptions {
  registry: string;
  /** cacache directory: tarballs and packuments, shared by every install. */
  cache: string;
  signal?: AbortSignal;
  /** Retries of a failed request (network error, 5xx), with backoff from 500 ms. */
  retries?: number;
}

export interface ReifyOptions extends NpmFetchOptions {
  /** The project folder holding package.json; node_modules is created inside it. */
  path: string;
}

interface ArboristInstance {
  reify(options?: Record<string, unknown>): Promise<unknown>;
}

const npa = require('npm-package-arg') as (spec: string) => ParsedSpec;
const pacote = require('pacote') as {
  manifest(spec: string, options: Record<string, unknown>): Promise<Manifest>;
  packument(spec: string, options: Record<string, unknown>): Promise<Packument>;
};
const Arborist = require('@npmcli/arborist') as new (options: Record<string, unknown>) => ArboristInstance;

/** Our option names to npm-registry-fetch's. */
function fetchOptions({ retries = 2, ...rest }: NpmFetchOptions): Record<string, unknown> {
  return { ...rest, fetchRetries: retries, fetchRetryMintimeout: 500, fetchRetryMaxtimeout: 5000 };
}

/** Throws npm-package-arg's own error for an invalid package name or spec. */
export function parseSpec(spec: string): ParsedSpec {
  return npa(spec);
}

export function fetchManifest(spec: string, options: NpmFetchOptions): Promise<Manifest> {
  return pacote.manifest(spec, { ...fetchOptions(options), fullMetadata: false });
}

export function fetchPackument(name: string, options: NpmFetchOptions): Promise<Packument> {
  return pacote.packument(name, { ...fetchOptions(options), fullMetadata: false });
}

/**
 * Installs the package.json at `path` into its node_modules. Install scripts never run (tenant
 * packages must not execute code on the builder); nothing is sent to audit or fund endpoints.
 */
export async function reify({ path, ...options }: ReifyOptions): Promise<void> {
  const arborist = new Arborist({
    ...fetchOptions(options),
    path,
    ignoreScripts: true,
    audit: false,
    fund: false,
    binLinks: false,
    save: false,
    progress: false,
  });
  await arborist.reify({ save: false });
}
