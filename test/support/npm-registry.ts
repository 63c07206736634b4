/**
 * A tiny npm registry on 127.0.0.1 for build tests, serving the fixture packages in
 * test/fixtures/npm/<name>/<version>/ (scoped: @scope/name/<version>/), packed at start:
 *   GET /<name>, /@scope%2fname, /@scope/name  → packument (dist.tarball + dist.integrity)
 *   GET /-/tarballs/<name>/<version>.tgz        → the tarball
 * It counts requests so tests can assert what was (not) fetched, e.g. that a cached dependency
 * set is reused without downloading its tarballs again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packTgz } from './tgz.ts';

export const NPM_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/npm/', import.meta.url));

export interface NpmRegistry {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:40123/ */
  url: string;
  /** Tarball downloads, of one package or of all. */
  tarballFetches(name?: string): number;
  packumentFetches(name?: string): number;
  close(): Promise<void>;
}

interface FixturePackage {
  name: string;
  versions: Map<string, { manifest: Record<string, unknown>; tgz: Buffer }>;
}

export async function startNpmRegistry(fixturesDir = NPM_FIXTURES_DIR): Promise<NpmRegistry> {
  const packages = loadFixtures(fixturesDir);
  const tarballs = new Map<string, number>();
  const packuments = new Map<string, number>();
  const count = (counter: Map<string, number>, name: string) =>
    counter.set(name, (counter.get(name) ?? 0) + 1);
  let baseUrl = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: Buffer | string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, '{"error":"method not allowed"}');

    const tarball = /^\/-\/tarballs\/(.+)\/([^/]+)\.tgz$/.exec(url.pathname);
    if (tarball) {
      const name = decodeURIComponent(tarball[1]!);
      const entry = packages.get(name)?.versions.get(tarball[2]!);
      if (!entry) return send(404, '{"error":"not found"}');
      count(tarballs, name);
      return send(200, entry.tgz, 'application/octet-stream');
    }

    const name = decodeURIComponent(url.pathname.slice(1));
    const pkg = packages.get(name);
    if (!pkg) return send(404, '{"error":"not found"}');
    count(packuments, name);
    return send(200, JSON.stringify(packument(pkg, baseUrl)));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const total = (counter: Map<string, number>, name?: string) =>
    name === undefined ? [...counter.values()].reduce((a, b) => a + b, 0) : (counter.get(name) ?? 0);

  return {
    url: baseUrl,
    tarballFetches: (name) => total(tarballs, name),
    packumentFetches: (name) => total(packuments, name),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function packument(pkg: FixturePackage, baseUrl: string) {
  const versions: Record<string, unknown> = {};
  for (const [version, { manifest, tgz }] of pkg.versions) {
    versions[version] = {
      ...manifest,
      _id: `${pkg.name}@${version}`,
      dist: {
        tarball: `${baseUrl}-/tarballs/${encodeURIComponent(pkg.name)}/${version}.tgz`,
        integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
        shasum: createHash('sha1').update(tgz).digest('hex'),
      },
    };
  }
  const latest = [...pkg.versions.keys()].sort(compareVersions).at(-1)!;
  return { name: pkg.name, 'dist-tags': { latest }, versions };
}

function loadFixtures(dir: string): Map<string, FixturePackage> {
  const packages = new Map<string, FixturePackage>();
  for (const entry of readdirSync(dir)) {
    const names = entry.startsWith('@')
      ? readdirSync(path.join(dir, entry)).map((n) => `${entry}/${n}`)
      : [entry];
    for (const name of names) {
      const versions = new Map<string, { manifest: Record<string, unknown>; tgz: Buffer }>();
      for (const version of readdirSync(path.join(dir, name))) {
        const versionDir = path.join(dir, name, version);
        const manifest = JSON.parse(readFileSync(path.join(versionDir, 'package.json'), 'utf8'));
        versions.set(version, { manifest, tgz: packTgz(readTree(versionDir)) });
      }
      packages.set(name, { name, versions });
    }
  }
  return packages;
}

function readTree(root: string, prefix = ''): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(path.join(root, prefix))) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(path.join(root, rel)).isDirectory()) Object.assign(files, readTree(root, rel));
    else files[rel] = readFileSync(path.join(root, rel));
  }
  return files;
}

/** Plain x.y.z ordering, enough for fixtures. */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
