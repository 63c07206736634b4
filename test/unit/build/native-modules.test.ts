import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findNativeModules } from '../../../shared/build/native-modules.ts';

let nodeModules: string;

beforeEach(async () => {
  nodeModules = path.join(await mkdtemp(path.join(tmpdir(), 'hookchain-native-')), 'node_modules');
});

afterEach(async () => {
  await rm(path.dirname(nodeModules), { recursive: true, force: true });
});

async function pkg(relDir: string, manifest: Record<string, unknown>, files: Record<string, string> = {}) {
  const dir = path.join(nodeModules, relDir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ version: '1.0.0', ...manifest }));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

describe('findNativeModules', () => {
  it('finds nothing in a pure JavaScript tree, or in no tree at all', async () => {
    expect(await findNativeModules(nodeModules)).toEqual([]);
    await pkg('plain', { name: 'plain' }, { 'index.js': '', 'lib/nodes.js': '' });
    await pkg('@scope/also-plain', { name: '@scope/also-plain' }, { 'index.js': '' });
    expect(await findNativeModules(nodeModules)).toEqual([]);
  });

  it('flags binding.gyp, gypfile: true and .node files, with who requires them', async () => {
    await pkg('gyp', { name: 'gyp' }, { 'binding.gyp': '{}' });
    await pkg('@scope/flagged', { name: '@scope/flagged', gypfile: true });
    await pkg('prebuilt', { name: 'prebuilt', version: '2.1.0' }, { 'prebuilds/linux-x64/addon.node': '' });
    await pkg('parent', { name: 'parent', dependencies: { prebuilt: '^2' } });

    const found = await findNativeModules(nodeModules);
    expect(found).toEqual(
      expect.arrayContaining([
        { name: 'gyp', version: '1.0.0', reason: 'binding.gyp', requiredBy: [] },
        { name: '@scope/flagged', version: '1.0.0', reason: 'gypfile: true', requiredBy: [] },
        {
          name: 'prebuilt',
          version: '2.1.0',
          reason: 'prebuilds/linux-x64/addon.node',
          requiredBy: ['parent@1.0.0'],
        },
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('attributes a nested package’s add-on to it, not to the package that contains it', async () => {
    await pkg('outer', { name: 'outer', dependencies: { inner: '1' } });
    await pkg('outer/node_modules/inner', { name: 'inner' }, { 'build/Release/inner.node': '' });
    expect(await findNativeModules(nodeModules)).toEqual([
      { name: 'inner', version: '1.0.0', reason: 'build/Release/inner.node', requiredBy: ['outer@1.0.0'] },
    ]);
  });
});
