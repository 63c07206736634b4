/**
 * Finds native add-ons in an installed node_modules tree. Actions cannot use them (Auth0 refuses
 * them too): install scripts never run, so nothing is compiled, and a bundle cannot carry them.
 * A package is native if it has a `binding.gyp`, declares `gypfile: true`, or ships `.node` files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface NativeModule {
  name: string;
  version: string;
  /** Why it counts as native, e.g. `binding.gyp` or `build/Release/addon.node`. */
  reason: string;
  /** Installed packages that depend on it; empty when it is a declared dependency. */
  requiredBy: string[];
}

interface InstalledPackage {
  name: string;
  version: string;
  dir: string;
  dependencies: string[];
  gypfile: boolean;
}

export async function findNativeModules(nodeModulesDir: string): Promise<NativeModule[]> {
  const packages = await listPackages(nodeModulesDir);
  const found: NativeModule[] = [];
  for (const pkg of packages) {
    const reason = pkg.gypfile ? 'gypfile: true' : await nativeFile(pkg.dir);
    if (!reason) continue;
    const requiredBy = packages
      .filter((other) => other.dependencies.includes(pkg.name))
      .map((other) => `${other.name}@${other.version}`);
    found.push({ name: pkg.name, version: pkg.version, reason, requiredBy: [...new Set(requiredBy)] });
  }
  return found;
}

/** Every package folder in the tree, nested node_modules included. */
async function listPackages(nodeModulesDir: string): Promise<InstalledPackage[]> {
  const result: InstalledPackage[] = [];
  for (const dir of await packageDirs(nodeModulesDir)) {
    const manifest = await readManifest(dir);
    if (manifest) result.push(manifest);
    result.push(...(await listPackages(path.join(dir, 'node_modules'))));
  }
  return result;
}

async function packageDirs(nodeModulesDir: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const entry of await entries(nodeModulesDir)) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(nodeModulesDir, entry.name);
    if (!entry.name.startsWith('@')) {
      dirs.push(dir);
      continue;
    }
    for (const scoped of await entries(dir)) {
      if (scoped.isDirectory()) dirs.push(path.join(dir, scoped.name));
    }
  }
  return dirs;
}

async function readManifest(dir: string): Promise<InstalledPackage | undefined> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const deps = (field: string) => Object.keys((json[field] as Record<string, string> | undefined) ?? {});
  return {
    name: typeof json.name === 'string' ? json.name : path.basename(dir),
    version: typeof json.version === 'string' ? json.version : '0.0.0',
    dir,
    dependencies: [...deps('dependencies'), ...deps('optionalDependencies'), ...deps('peerDependencies')],
    gypfile: json.gypfile === true,
  };
}

/** `binding.gyp` at the package root, or the first `.node` file outside nested node_modules. */
async function nativeFile(packageDir: string, relative = ''): Promise<string | undefined> {
  for (const entry of await entries(path.join(packageDir, relative))) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      const nested = await nativeFile(packageDir, rel);
      if (nested) return nested;
    } else if ((rel === 'binding.gyp' || entry.name.endsWith('.node')) && entry.isFile()) {
      return rel;
    }
  }
  return undefined;
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
