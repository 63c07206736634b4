import { describe, expect, it } from 'vitest';
import { parseModulePin } from '../../../cli/commands/actions.ts';
import { mergeSecrets, parseModuleDependency, parseVersionNumber } from '../../../cli/commands/modules.ts';
import { computePlan, hasChanges } from '../../../cli/project/diff.ts';
import type { Project, ProjectModule } from '../../../cli/project/model.ts';
import { moduleFile } from '../../../cli/project/write.ts';
import type { Action, Module } from '../../../shared/client/index.ts';

const CODE = 'exports.x = 1;\n';
const OPTIONS = { allowDelete: false, updateSecrets: false };

function server(overrides: Partial<Module> = {}): Module {
  return {
    id: 'mod-1',
    name: 'util',
    code: CODE,
    dependencies: [{ name: 'lodash', version: '4.17.21' }],
    secrets: [{ name: 'KEY' }],
    actions_using_module_total: 0,
    all_changes_published: true,
    latest_version_number: 1,
    created_at: '',
    updated_at: '',
    ...overrides,
  };
}

function local(overrides: Partial<ProjectModule> = {}): ProjectModule {
  return {
    name: 'util',
    file: 'action-modules/util.json',
    code: CODE,
    dependencies: [{ name: 'lodash', version: '4.17.21' }],
    secrets: [{ name: 'KEY' }],
    ...overrides,
  };
}

const pinning = (name: string, version: number): Action => ({
  id: `id-${name}`,
  name,
  supported_triggers: [{ id: 'post-login', version: 'v3' }],
  all_changes_deployed: true,
  code: '',
  dependencies: [],
  runtime: 'node22',
  secrets: [],
  modules: [
    { module_id: 'mod-1', module_name: 'util', module_version_id: 'v', module_version_number: version },
  ],
  status: 'built',
  created_at: '',
  updated_at: '',
});

const project = (modules: ProjectModule[], actions: Project['actions'] = []): Project => ({
  root: '/p',
  managesActions: true,
  actions,
  managesModules: true,
  modules,
  warnings: [],
});

describe('module flags', () => {
  it('takes exact dependency versions only', () => {
    expect(parseModuleDependency('lodash=4.17.21')).toEqual({ name: 'lodash', version: '4.17.21' });
    expect(parseModuleDependency('@acme/x@1.0.0-beta.1')).toEqual({
      name: '@acme/x',
      version: '1.0.0-beta.1',
    });
    expect(() => parseModuleDependency('lodash@^4.0.0')).toThrow(/exact version/);
    expect(() => parseModuleDependency('lodash')).toThrow(/exact version/);
  });

  it('parses pins and version numbers', () => {
    expect(parseModulePin('util@2')).toEqual({ module_name: 'util', module_version_number: 2 });
    expect(parseModulePin('util=v3')).toEqual({ module_name: 'util', module_version_number: 3 });
    expect(() => parseModulePin('util')).toThrow(/NAME@VERSION/);
    expect(parseVersionNumber('v4')).toBe(4);
    expect(() => parseVersionNumber('x')).toThrow(/not a version number/);
  });

  it('keeps every other secret by name when one changes', () => {
    expect(
      mergeSecrets(
        [{ name: 'A' }, { name: 'B' }],
        [
          { name: 'B', value: 'b' },
          { name: 'C', value: 'c' },
        ],
        ['A'],
      ),
    ).toEqual([
      { name: 'B', value: 'b' },
      { name: 'C', value: 'c' },
    ]);
  });
});

describe('computePlan for action-modules/', () => {
  it('creates and publishes a new module; a new secret needs a value', () => {
    const plan = computePlan(
      project([local({ secrets: [{ name: 'KEY', value: 'k' }] })]),
      { actions: [], modules: [], bindings: new Map() },
      OPTIONS,
    );
    expect(plan.modules[0]).toMatchObject({ op: 'create', publish: true, latest: 1 });
    expect(plan.modules[0]?.body).toMatchObject({
      name: 'util',
      code: CODE,
      publish: true,
      secrets: [{ name: 'KEY', value: 'k' }],
    });
    const missing = computePlan(
      project([local({ secrets: [{ name: 'KEY', missingKeyword: 'KEY' }] })]),
      { actions: [], modules: [], bindings: new Map() },
      OPTIONS,
    );
    expect(missing.errors[0]).toContain('secret KEY is new and its value ##KEY## is not set');
  });

  it('finds nothing to do when the draft matches and is published (what a pull writes)', () => {
    const pulled = local({ secrets: [{ name: 'KEY', missingKeyword: 'KEY' }] });
    const plan = computePlan(
      project([pulled]),
      { actions: [], modules: [server()], bindings: new Map() },
      OPTIONS,
    );
    expect(plan.modules[0]).toMatchObject({ op: 'unchanged', publish: false, latest: 1 });
    expect(hasChanges(plan)).toBe(false);
    expect(moduleFile(server(), 'util')).toEqual({
      name: 'util',
      code: './action-modules/util/code.js',
      dependencies: [{ name: 'lodash', version: '4.17.21' }],
      secrets: [{ name: 'KEY', value: '##KEY##' }],
    });
  });

  it('patches what changed and publishes; publishes an unpublished draft', () => {
    const plan = computePlan(
      project([local({ code: 'exports.x = 2;\n', dependencies: [{ name: 'lodash', version: '4.17.20' }] })]),
      { actions: [], modules: [server()], bindings: new Map() },
      OPTIONS,
    );
    expect(plan.modules[0]).toMatchObject({
      op: 'update',
      publish: true,
      latest: 2,
      changes: ['code', 'dependencies lodash 4.17.21 → 4.17.20'],
    });
    expect(plan.modules[0]?.body).toEqual({
      code: 'exports.x = 2;\n',
      dependencies: [{ name: 'lodash', version: '4.17.20' }],
    });
    const draft = computePlan(
      project([local()]),
      { actions: [], modules: [server({ all_changes_published: false })], bindings: new Map() },
      OPTIONS,
    );
    expect(draft.modules[0]).toMatchObject({ op: 'publish', publish: true, latest: 2 });
  });

  it('deletes only with --delete, and not while a kept action pins the module', () => {
    const remote = { actions: [pinning('uses-util', 1)], modules: [server()], bindings: new Map() };
    expect(computePlan(project([]), remote, OPTIONS).untracked).toEqual(['module util', 'uses-util']);
    const deleting = computePlan(project([]), remote, { ...OPTIONS, allowDelete: true });
    expect(deleting.errors).toEqual([]);
    expect(deleting.modules).toEqual([expect.objectContaining({ name: 'util', op: 'delete' })]);
    const kept = computePlan({ ...project([]), managesActions: false }, remote, {
      ...OPTIONS,
      allowDelete: true,
    });
    expect(kept.errors[0]).toContain("'uses-util' still pins it");
  });

  it('refuses pins of unknown modules or versions the push will not have', () => {
    const action = {
      name: 'a',
      file: 'actions/a.json',
      trigger: { id: 'post-login', version: 'v3' },
      deployed: true,
      modules: [
        { module_name: 'util', module_version_number: 3 },
        { module_name: 'nope', module_version_number: 1 },
      ],
    };
    const plan = computePlan(
      project([local({ code: 'changed' })], [action]),
      { actions: [], modules: [server()], bindings: new Map() },
      OPTIONS,
    );
    expect(plan.errors).toEqual([
      "actions/a.json: 'a' pins util@3, but its latest version will be 2.",
      "actions/a.json: 'a' pins nope@1, which is neither in action-modules/ nor on the server.",
    ]);
  });
});
