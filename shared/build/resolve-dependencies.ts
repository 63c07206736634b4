/**
 * Installs an action's npm dependencies. Each declared spec is first resolved to an exact version
 * (blank and `latest` included, so the version can be pinned), then the exact set is installed
 * once into a content-addressed folder under the cache dir and reused by every later build of
 * the same set. Installs are staged and renamed into place, so a folder that exists is complete;
 * a lock keeps two concurrent builds of one set from installing it twice. After an install the
 * cache is brought back under its size cap (dependency-cache.ts). The npm cache (packuments,
 * tarballs) lives only as long as one build: the installed sets are what is worth keeping.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildFailedError, RegistryUnavailableError } from './build-errors.ts';
import {
  buildTempDir,
  DEFAULT_CACHE_MAX_BYTES,
  directorySize,
  evictCache,
  type InstallRecord,
  MARKER,
  type ResolvedDependency,
  readInstall,
  reuseInstall,
  setsDir as setsDirOf,
} from './dependency-cache.ts';
import { withDirLock } from './dir-lock.ts';
import { findNativeModules } from './native-modules.ts';
import { fetchManifest, fetchPackument, type NpmFetchOptions, parseSpec, reify } from './npm-client.ts';

export interface DependencySpec {
  name: string;
  /** '', 'latest' (or another dist-tag), a semver range or an exact version. */
  version: string;
  /** Informational (Auth0 fills it with the package's page); installs use the configured registry. */
  registry_url?: string;
}

export type { ResolvedDependency } from './dependency-cache.ts';

export interface ResolveOptions {
  /** e.g. https://registry.npmjs.org/ */
  registry: string;
  /** Persistent folder holding the npm cache and the installed dependency sets. */
  cacheDir: string;
  signal?: AbortSignal;
  /** Registry request retries (network errors, 5xx); default 2. */
  retries?: number;
  /** Size cap of the installed sets kept in cacheDir; default DEFAULT_CACHE_MAX_BYTES. */
  cacheMaxBytes?: number;
}

export interface ResolvedDependencies {
  /** The installed tree; its parent is where `require('<dep>')` resolves from. */
  nodeModulesDir: string;
  /** Exact versions of the declared dependencies, in declaration order. */
  resolved: ResolvedDependency[];
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export async function resolveDependencies(
  deps: DependencySpec[],
  options: ResolveOptions,
): Promise<ResolvedDependencies> {
  const specs = deps.map(parseDependency);
  const cacheDir = path.resolve(options.cacheDir);
  const setsDir = setsDirOf(cacheDir);
  const signal = options.signal ? { signal: options.signal } : {};

  // Pinned versions (every deployed version's) need no registry round trip when already installed.
  if (specs.every((s) => EXACT_VERSION.test(s.spec))) {
    const pinned = specs.map((s) => ({ name: s.name, version: s.spec }));
    const installed = await reuseInstall(path.join(setsDir, setKey(pinned)), options.signal);
    if (installed) return done(path.join(setsDir, setKey(pinned)), pinned, installed);
  }

  const npmCache = buildTempDir(cacheDir);
  const npm: NpmFetchOptions = {
    registry: options.registry,
    cache: npmCache,
    ...signal,
    ...(options.retries === undefined ? {} : { retries: options.retries }),
  };
  try {
    const resolved = await Promise.all(specs.map((s) => resolveVersion(s, npm)));
    const dir = path.join(setsDir, setKey(resolved));
    await mkdir(setsDir, { recursive: true });
    let installed = false;
    const record =
      (await reuseInstall(dir, options.signal)) ??
      (await withDirLock(
        `${dir}.lock`,
        async () => {
          const existing = await readInstall(dir);
          if (existing) return existing;
          installed = true;
          return install(dir, resolved, npm);
        },
        signal,
      ));
    if (installed) {
      // Best effort: a cache over its cap is no reason to fail a build; the next install tries again.
      await evictCache(cacheDir, { maxBytes: options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES }).catch(
        () => {},
      );
    }
    return done(dir, resolved, record);
  } finally {
    await rm(npmCache, { recursive: true, force: true });
  }
}

function done(dir: string, resolved: ResolvedDependency[], record: InstallRecord): ResolvedDependencies {
  if (record.native.length > 0) {
    throw new BuildFailedError(
      record.native.map((m) => ({
        id: 'native_module',
        msg:
          `Native modules are not supported: ${m.name}@${m.version} (${m.reason})` +
          (m.requiredBy.length ? `, required by ${m.requiredBy.join(', ')}` : '') +
          '. Actions run pure JavaScript only: choose a package without native add-ons.',
      })),
    );
  }
  return { nodeModulesDir: path.join(dir, 'node_modules'), resolved };
}

interface ParsedDependency {
  name: string;
  spec: string;
}

function parseDependency(dep: DependencySpec): ParsedDependency {
  const spec = dep.version.trim() === '' ? 'latest' : dep.version.trim();
  let parsed: ReturnType<typeof parseSpec>;
  try {
    parsed = parseSpec(`${dep.name}@${spec}`);
  } catch (error) {
    throw BuildFailedError.of(
      'invalid_dependency',
      `Invalid dependency ${dep.name}@${spec}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (parsed.name !== dep.name) {
    throw BuildFailedError.of('invalid_dependency', `Invalid dependency name '${dep.name}'.`);
  }
  if (parsed.type !== 'version' && parsed.type !== 'range' && parsed.type !== 'tag') {
    throw BuildFailedError.of(
      'invalid_dependency',
      `Dependency ${dep.name}: version '${spec}' is not supported; use a version, a range or a dist-tag ` +
        'published on the npm registry (git, file, URL and alias specs are not allowed).',
    );
  }
  return { name: dep.name, spec };
}

/** The exact version `name@spec` resolves to on the registry right now. */
async function resolveVersion(dep: ParsedDependency, npm: NpmFetchOptions): Promise<ResolvedDependency> {
  try {
    const manifest = await fetchManifest(`${dep.name}@${dep.spec}`, npm);
    return { name: dep.name, version: manifest.version };
  } catch (error) {
    throw await describeFetchError(error, dep, npm);
  }
}

async function describeFetchError(
  error: unknown,
  dep: ParsedDependency,
  npm: NpmFetchOptions,
): Promise<Error> {
  const code = (error as { code?: string }).code;
  const status = (error as { statusCode?: number }).statusCode;
  const where = `(registry ${npm.registry})`;
  if (code === 'E404') {
    return BuildFailedError.of(
      'dependency_not_found',
      `Dependency not found: ${dep.name}@${dep.spec}: no package named '${dep.name}' ${where}. Check the name.`,
    );
  }
  if (code === 'ETARGET' || code === 'ENOVERSIONS') {
    const latest = await latestVersion(dep.name, npm);
    return BuildFailedError.of(
      'dependency_not_found',
      `Dependency not found: ${dep.name}@${dep.spec}: no published version matches ${where}` +
        (latest ? `; the latest is ${latest}.` : '.'),
    );
  }
  if (code === 'E401' || code === 'E403') {
    return BuildFailedError.of(
      'dependency_not_found',
      `Dependency not found: ${dep.name}@${dep.spec} is private or needs authentication ${where}; ` +
        'only public packages are supported.',
    );
  }
  if (isTransient(error)) return new RegistryUnavailableError(npm.registry, error);
  if (status === undefined) return error as Error; // not the registry's answer: a platform fault
  return BuildFailedError.of(
    'dependency_not_found',
    `Dependency ${dep.name}@${dep.spec} could not be resolved ${where}: ${(error as Error).message}`,
  );
}

async function latestVersion(name: string, npm: NpmFetchOptions): Promise<string | undefined> {
  try {
    return (await fetchPackument(name, npm))['dist-tags']?.latest;
  } catch {
    return undefined;
  }
}

/** The folder name of an exact dependency set: order-independent, safe on every filesystem. */
export function setKey(resolved: ResolvedDependency[]): string {
  const canonical = resolved
    .map((d) => `${d.name}@${d.version}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

async function install(
  dir: string,
  resolved: ResolvedDependency[],
  npm: NpmFetchOptions,
): Promise<InstallRecord> {
  await removeAbandonedStaging(dir);
  const staging = `${dir}.staging-${randomBytes(4).toString('hex')}`;
  await mkdir(path.join(staging, 'node_modules'), { recursive: true });
  try {
    const dependencies = Object.fromEntries(resolved.map((d) => [d.name, d.version]));
    await writeFile(
      path.join(staging, 'package.json'),
      `${JSON.stringify({ name: 'hookchain-action-dependencies', private: true, dependencies }, null, 2)}\n`,
    );
    if (resolved.length > 0) {
      try {
        await reify({ ...npm, path: staging });
      } catch (error) {
        throw describeInstallError(error, npm.registry);
      }
    }
    const record: InstallRecord = {
      resolved,
      native: await findNativeModules(path.join(staging, 'node_modules')),
      bytes: await directorySize(staging),
    };
    await writeFile(path.join(staging, MARKER), JSON.stringify(record));
    await rename(staging, dir);
    return record;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Staging folders of this set left by a crashed install (we hold the set's lock, so none is live). */
async function removeAbandonedStaging(dir: string): Promise<void> {
  const prefix = `${path.basename(dir)}.staging-`;
  const leftovers = (await readdir(path.dirname(dir))).filter((name) => name.startsWith(prefix));
  await Promise.all(
    leftovers.map((name) => rm(path.join(path.dirname(dir), name), { recursive: true, force: true })),
  );
}

/** Failures of a transitive dependency (declared ones were resolved before installing). */
function describeInstallError(error: unknown, registry: string): Error {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if ((error as Error).name === 'AbortError') return error as Error;
  if (isTransient(error)) return new RegistryUnavailableError(registry, error);
  if (code === 'E404' || code === 'ETARGET' || code === 'ENOVERSIONS') {
    return BuildFailedError.of(
      'dependency_not_found',
      `Dependency not found: ${message} (registry ${registry})`,
    );
  }
  if (code === 'ERESOLVE') {
    return BuildFailedError.of('dependency_conflict', `Dependencies conflict: ${message.split('\n')[0]}`);
  }
  if (code === 'EINTEGRITY') {
    return BuildFailedError.of(
      'dependency_integrity',
      `A dependency tarball failed its integrity check: ${message}`,
    );
  }
  return BuildFailedError.of('install_failed', `Installing dependencies failed: ${message}`);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'FETCH_ERROR',
]);

/** The registry is down, overloaded or unreachable: worth retrying the build later. */
function isTransient(error: unknown): boolean {
  const { code, statusCode, name } = error as { code?: string; statusCode?: number; name?: string };
  if (statusCode !== undefined) return statusCode >= 500 || statusCode === 429;
  return name === 'FetchError' || (code !== undefined && NETWORK_CODES.has(code));
}
