import { describe, expect, it, vi } from 'vitest';
import type { BuiltBundle, Bundler } from '../../../shared/actions/builds.ts';
import { recentBundles } from '../../../shared/actions/recent-bundles.ts';

type Input = Parameters<Bundler>[0];

const input = (overrides: Partial<Input> = {}): Input => ({
  code: 'exports.onExecutePostLogin = async () => {};',
  dependencies: [],
  runtime: 'node22',
  modules: [],
  ...overrides,
});

const bundleOf = (bytes: number, dependencies: BuiltBundle['dependencies'] = []): BuiltBundle => ({
  zip: new Uint8Array(bytes),
  dependencies,
});

describe('recent bundles', () => {
  it('gives a version the bundle its draft just made, with the dependencies pinned as resolved', async () => {
    const bundles = recentBundles({ maxBytes: 1_000 });
    const drafted = bundleOf(10, [{ name: 'lodash', version: '4.17.21' }]);
    const make = vi.fn(async () => drafted);

    const draft = await bundles.get(input({ dependencies: [{ name: 'lodash', version: '^4.17.0' }] }), make);
    const version = await bundles.get(
      input({ dependencies: [{ name: 'lodash', version: '4.17.21' }] }),
      make,
    );

    expect(version).toBe(draft);
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('bundles again an input with a range, which may resolve to a newer release', async () => {
    const bundles = recentBundles({ maxBytes: 1_000 });
    const make = vi.fn(async () => bundleOf(10, [{ name: 'lodash', version: '4.17.21' }]));
    const ranged = input({ dependencies: [{ name: 'lodash', version: '^4.17.0' }] });

    await bundles.get(ranged, make);
    await bundles.get(ranged, make);

    expect(make).toHaveBeenCalledTimes(2);
  });

  it('bundles anything that differs: code, runtime, a module’s code', async () => {
    const bundles = recentBundles({ maxBytes: 1_000 });
    const make = vi.fn(async () => bundleOf(10));
    const module = { name: 'shared', code: 'exports.a = 1;', dependencies: [] };

    await bundles.get(input(), make);
    await bundles.get(input({ code: 'exports.onExecutePostLogin = async () => { };' }), make);
    await bundles.get(input({ runtime: 'node18' }), make);
    await bundles.get(input({ modules: [module] }), make);
    await bundles.get(input({ modules: [{ ...module, code: 'exports.a = 2;' }] }), make);
    await bundles.get(input(), make);

    expect(make).toHaveBeenCalledTimes(5);
  });

  it('keeps the most recently used within its size, and nothing larger than it', async () => {
    const bundles = recentBundles({ maxBytes: 100 });
    const make = vi.fn(async () => bundleOf(40));
    const a = input({ code: 'a' });
    const b = input({ code: 'b' });
    const c = input({ code: 'c' });

    await bundles.get(a, make);
    await bundles.get(b, make);
    await bundles.get(a, make); // a is now the most recent
    await bundles.get(c, make); // 120 bytes: b goes
    expect(make).toHaveBeenCalledTimes(3);

    await bundles.get(a, make);
    await bundles.get(c, make);
    expect(make).toHaveBeenCalledTimes(3);
    await bundles.get(b, make);
    expect(make).toHaveBeenCalledTimes(4);

    const huge = vi.fn(async () => bundleOf(101));
    await bundles.get(input({ code: 'huge' }), huge);
    await bundles.get(input({ code: 'huge' }), huge);
    expect(huge).toHaveBeenCalledTimes(2);
  });

  it('remembers no failed build', async () => {
    const bundles = recentBundles({ maxBytes: 1_000 });
    const failing = vi.fn(async (): Promise<BuiltBundle> => {
      throw new Error('syntax error');
    });
    await expect(bundles.get(input(), failing)).rejects.toThrow('syntax error');
    const make = vi.fn(async () => bundleOf(10));
    await bundles.get(input(), make);
    expect(make).toHaveBeenCalledTimes(1);
  });
});
