import { describe, expect, it } from 'vitest';
import { computePlan, dependencyMatches, hasChanges, type RemoteState } from '../../../cli/project/diff.ts';
import type { Project, ProjectAction } from '../../../cli/project/model.ts';
import type { Action, Binding } from '../../../shared/client/index.ts';

const CODE = 'exports.onExecutePostLogin = async () => {};\n';

function local(overrides: Partial<ProjectAction> = {}): ProjectAction {
  return {
    name: 'roles',
    file: 'actions/roles.json',
    code: CODE,
    trigger: { id: 'post-login', version: 'v3' },
    runtime: 'node22',
    dependencies: [],
    secrets: [],
    deployed: true,
    ...overrides,
  };
}

function remote(overrides: Partial<Action> = {}): Action {
  return {
    id: 'id-roles',
    name: 'roles',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    all_changes_deployed: true,
    code: CODE,
    dependencies: [],
    runtime: 'node22',
    secrets: [],
    status: 'built',
    deployed_version: { id: 'v1', number: 1, deployed: true, status: 'built', created_at: '' },
    created_at: '',
    updated_at: '',
    ...overrides,
  };
}

function binding(action: Action, display_name = action.name): Binding {
  return {
    id: `b-${action.id}`,
    trigger_id: 'post-login',
    display_name,
    action,
    created_at: '',
    updated_at: '',
  };
}

const project = (actions: ProjectAction[], triggers?: Project['triggers']): Project => ({
  root: '/p',
  managesActions: true,
  actions,
  managesModules: false,
  modules: [],
  ...(triggers ? { triggers } : {}),
  warnings: [],
});
const state = (actions: Action[], bindings: Record<string, Binding[]> = {}): RemoteState => ({
  actions,
  bindings: new Map(Object.entries(bindings)),
});
const OPTIONS = { allowDelete: false, updateSecrets: false };
const INSTALLED = { id: 'acme', name: 'Acme', version: 1, latest_version: 1, upgrade_available: false };

describe('computePlan', () => {
  it('creates what the server lacks, with every secret value', () => {
    const plan = computePlan(
      project([local({ secrets: [{ name: 'NS', value: 'https://acme.test/' }] })]),
      state([]),
      OPTIONS,
    );
    expect(plan.errors).toEqual([]);
    expect(plan.actions[0]).toMatchObject({ op: 'create', deploy: true });
    expect(plan.actions[0]?.body).toMatchObject({
      name: 'roles',
      code: CODE,
      secrets: [{ name: 'NS', value: 'https://acme.test/' }],
    });
  });

  it('finds nothing to do when project and server agree', () => {
    const plan = computePlan(project([local()]), state([remote()]), OPTIONS);
    expect(plan.actions[0]?.op).toBe('unchanged');
    expect(hasChanges(plan)).toBe(false);
  });

  it('updates only the fields that differ, and deploys when flagged', () => {
    const plan = computePlan(
      project([local({ code: 'changed', runtime: 'node18' })]),
      state([remote()]),
      OPTIONS,
    );
    expect(plan.actions[0]).toMatchObject({
      op: 'update',
      deploy: true,
      body: { code: 'changed', runtime: 'node18' },
    });
    expect(plan.actions[0]?.changes).toEqual(['code', 'runtime node22 → node18']);
    const undeployed = computePlan(
      project([local({ code: 'changed', deployed: false })]),
      state([remote()]),
      OPTIONS,
    );
    expect(undeployed.actions[0]).toMatchObject({ op: 'update', deploy: false });
  });

  it('deploys an unchanged draft that is not live yet', () => {
    const plan = computePlan(project([local()]), state([remote({ all_changes_deployed: false })]), OPTIONS);
    expect(plan.actions[0]).toMatchObject({ op: 'deploy', deploy: true });
  });

  it('rebuilds an action whose last build failed', () => {
    const plan = computePlan(project([local()]), state([remote({ status: 'failed' })]), OPTIONS);
    expect(plan.actions[0]?.changes).toEqual(['rebuild (the last build failed)']);
  });

  it('matches dependencies against the versions the build pinned', () => {
    expect(dependencyMatches('latest', '4.17.21')).toBe(true);
    expect(dependencyMatches('^4.17.0', '4.17.21')).toBe(true);
    expect(dependencyMatches('4.17.21', '4.17.21')).toBe(true);
    expect(dependencyMatches('^5.0.0', '4.17.21')).toBe(false);
    const pinned = remote({ dependencies: [{ name: 'lodash', version: '4.17.21' }] });
    const same = computePlan(
      project([local({ dependencies: [{ name: 'lodash', version: '^4' }] })]),
      state([pinned]),
      OPTIONS,
    );
    expect(same.actions[0]?.op).toBe('unchanged');
    const changed = computePlan(
      project([local({ dependencies: [{ name: 'axios', version: '1.7.0' }] })]),
      state([pinned]),
      OPTIONS,
    );
    expect(changed.actions[0]?.changes).toEqual(['dependencies +axios@1.7.0, -lodash']);
  });

  describe('secrets', () => {
    const withSecret = remote({ secrets: [{ name: 'NS' }] });

    it('keeps a value the server has when the project gives none (or a keyword with no value)', () => {
      for (const secret of [{ name: 'NS' }, { name: 'NS', missingKeyword: 'NS' }]) {
        const plan = computePlan(project([local({ secrets: [secret] })]), state([withSecret]), OPTIONS);
        expect(plan.actions[0]?.op).toBe('unchanged');
        expect(plan.errors).toEqual([]);
      }
    });

    it('does not re-send a value the server already has unless asked to', () => {
      const p = project([local({ secrets: [{ name: 'NS', value: 'x' }] })]);
      const plan = computePlan(p, state([withSecret]), OPTIONS);
      expect(plan.actions[0]?.op).toBe('unchanged');
      expect(plan.notes[0]).toContain('roles/NS');
      const rotate = computePlan(p, state([withSecret]), { ...OPTIONS, updateSecrets: true });
      expect(rotate.actions[0]).toMatchObject({
        op: 'update',
        body: { secrets: [{ name: 'NS', value: 'x' }] },
      });
    });

    it('adds and removes names, sending values only for new ones', () => {
      const plan = computePlan(
        project([
          local({
            secrets: [
              { name: 'NS', value: 'x' },
              { name: 'KEY', value: 'k' },
            ],
          }),
        ]),
        state([remote({ secrets: [{ name: 'NS' }, { name: 'OLD' }] })]),
        OPTIONS,
      );
      expect(plan.actions[0]?.changes).toEqual(['secrets +KEY, -OLD']);
      expect(plan.actions[0]?.body?.secrets).toEqual([{ name: 'NS' }, { name: 'KEY', value: 'k' }]);
    });

    it('refuses a new secret without a value, naming the keyword to set', () => {
      const plan = computePlan(
        project([local({ secrets: [{ name: 'NS', missingKeyword: 'NS' }] })]),
        state([]),
        OPTIONS,
      );
      expect(plan.errors).toEqual([
        expect.stringContaining('set NS in the environment or in AUTH0_KEYWORD_REPLACE_MAPPINGS'),
      ]);
    });
  });

  it('pins Actions Module versions by name and number', () => {
    const pinned = remote({
      modules: [
        { module_id: 'm1', module_name: 'helpers', module_version_id: 'mv2', module_version_number: 2 },
      ],
    });
    const same = computePlan(
      project([local({ modules: [{ module_name: 'helpers', module_version_number: 2 }] })]),
      state([pinned]),
      OPTIONS,
    );
    expect(same.actions[0]?.op).toBe('unchanged');
    const bumped = computePlan(
      project([local({ modules: [{ module_name: 'helpers', module_version_number: 3 }] })]),
      state([pinned]),
      OPTIONS,
    );
    expect(bumped.actions[0]).toMatchObject({
      op: 'update',
      changes: ['modules helpers@2 → helpers@3'],
      body: { modules: [{ module_name: 'helpers', module_version_number: 3 }] },
    });
  });

  it('refuses to move a deployed action to another trigger', () => {
    const plan = computePlan(
      project([local({ trigger: { id: 'credentials-exchange', version: 'v2' } })]),
      state([remote()]),
      OPTIONS,
    );
    expect(plan.errors[0]).toContain('cannot move to credentials-exchange');
  });

  it('lists server actions missing from the project, and deletes them only when allowed', () => {
    const extra = remote({ id: 'id-old', name: 'old' });
    const kept = computePlan(project([local()]), state([remote(), extra]), OPTIONS);
    expect(kept.untracked).toEqual(['old']);
    expect(hasChanges(kept)).toBe(false);
    const deleted = computePlan(project([local()]), state([remote(), extra]), {
      ...OPTIONS,
      allowDelete: true,
    });
    expect(deleted.actions.at(-1)).toMatchObject({ name: 'old', op: 'delete', id: 'id-old' });
    // Marketplace installs are never touched, as with the Deploy CLI.
    const marketplace = computePlan(
      project([local()]),
      state([remote(), { ...extra, integration: INSTALLED }]),
      {
        ...OPTIONS,
        allowDelete: true,
      },
    );
    expect(marketplace.actions.map((a) => a.name)).toEqual(['roles']);
  });

  describe('bindings', () => {
    const log = remote({ id: 'id-log', name: 'log' });
    const both = [local(), local({ name: 'log', file: 'actions/log.json' })];

    it('is unchanged when the order and display names match', () => {
      const plan = computePlan(
        project(
          both,
          new Map([
            ['post-login', [{ action_name: 'log' }, { action_name: 'roles', display_name: 'Roles' }]],
          ]),
        ),
        state([remote(), log], { 'post-login': [binding(log), binding(remote(), 'Roles')] }),
        OPTIONS,
      );
      expect(plan.bindings[0]?.changed).toBe(false);
    });

    it('replaces the chain when the order differs', () => {
      const plan = computePlan(
        project(both, new Map([['post-login', [{ action_name: 'roles' }, { action_name: 'log' }]]])),
        state([remote(), log], { 'post-login': [binding(log), binding(remote())] }),
        OPTIONS,
      );
      expect(plan.bindings[0]).toMatchObject({
        changed: true,
        desired: [{ action_name: 'roles' }, { action_name: 'log' }],
      });
    });

    it('explains bindings that cannot work', () => {
      const plan = computePlan(
        project(
          [
            local({ deployed: false }),
            local({
              name: 'signup',
              file: 'actions/signup.json',
              trigger: { id: 'pre-user-registration', version: 'v2' },
            }),
          ],
          new Map([
            ['post-login', [{ action_name: 'ghost' }, { action_name: 'signup' }, { action_name: 'roles' }]],
          ]),
        ),
        state([]),
        OPTIONS,
      );
      expect(plan.errors).toEqual([
        expect.stringContaining("binds 'ghost', which is neither in the project nor on the server"),
        expect.stringContaining("binds 'signup', which runs on pre-user-registration"),
        expect.stringContaining(
          `binds 'roles', which is not deployed: set "deployed": true in actions/roles.json`,
        ),
      ]);
    });
  });
});
