/** One package, one version per bundle: how an action's dependencies and its modules' merge. */
import { describe, expect, it } from 'vitest';
import { mergeModuleDependencies } from '../../../shared/build/module-dependencies.ts';

const module = (name: string, dependencies: Array<{ name: string; version: string }>) => ({
  name,
  code: '',
  dependencies,
});

describe('mergeModuleDependencies', () => {
  it('adds a module’s packages after the action’s own, once each', () => {
    expect(
      mergeModuleDependencies(
        [{ name: 'a', version: '1.0.0' }],
        [module('m1', [{ name: 'b', version: '2.0.0' }]), module('m2', [{ name: 'b', version: '2.0.0' }])],
      ),
    ).toEqual([
      { name: 'a', version: '1.0.0' },
      { name: 'b', version: '2.0.0' },
    ]);
  });

  it.each([
    ['a range it satisfies', '^1.2.0'],
    ['a tag', 'latest'],
    ['no version at all', ''],
  ])('lets a module’s exact version win over %s in the action', (_what, spec) => {
    expect(
      mergeModuleDependencies(
        [{ name: 'a', version: spec }],
        [module('m', [{ name: 'a', version: '1.4.2' }])],
      ),
    ).toEqual([{ name: 'a', version: '1.4.2' }]);
  });

  it('refuses a range the module’s version falls outside of, and two different exact versions', () => {
    expect(() =>
      mergeModuleDependencies(
        [{ name: 'a', version: '^2.0.0' }],
        [module('m', [{ name: 'a', version: '1.4.2' }])],
      ),
    ).toThrow('Dependency conflict: a is ^2.0.0 in the action but 1.4.2 in module actions:m.');
    expect(() =>
      mergeModuleDependencies(
        [],
        [module('m1', [{ name: 'a', version: '1.0.0' }]), module('m2', [{ name: 'a', version: '1.0.1' }])],
      ),
    ).toThrow('Dependency conflict: a is 1.0.0 in module actions:m1 but 1.0.1 in module actions:m2.');
  });
});
