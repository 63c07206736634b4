import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployConfig } from '../../../cli/project/config.ts';
import { computePlan, hasChanges } from '../../../cli/project/diff.ts';
import { KeywordResolver } from '../../../cli/project/keywords.ts';
import { readProject } from '../../../cli/project/read.ts';
import { writeProject } from '../../../cli/project/write.ts';
import type { Action, Binding } from '../../../shared/client/index.ts';

const EXAMPLE = new URL('../../../examples/project/', import.meta.url).pathname;
const temp = () => mkdtempSync(join(tmpdir(), 'hookchain-project-'));

async function readExample(env: NodeJS.ProcessEnv = {}) {
  const config = await loadDeployConfig(EXAMPLE, undefined, env, '/');
  return readProject(EXAMPLE, '/', {
    keywords: new KeywordResolver({ env, ...(config.mappings ? { fileMappings: config.mappings } : {}) }),
    excluded: config.excluded,
  });
}

describe('readProject', () => {
  it('reads the example project with the keyword values of its config.json', async () => {
    const project = await readExample();
    expect(project.warnings).toEqual([]);
    expect(project.actions.map((a) => a.name)).toEqual([
      'add-roles-claim',
      'block-email-domain',
      'log-login',
      'require-invited-domain',
    ]);
    const roles = project.actions[0];
    expect(roles?.secrets).toEqual([{ name: 'NAMESPACE', value: 'https://acme.test/' }]);
    expect(roles?.code).toContain('exports.onExecutePostLogin');
    expect(project.triggers?.get('post-login')?.map((b) => b.action_name)).toEqual([
      'log-login',
      'block-email-domain',
      'add-roles-claim',
    ]);
  });

  it('lets the environment override the config file', async () => {
    const project = await readExample({ NAMESPACE: 'https://override.test/' });
    expect(project.actions[0]?.secrets?.[0]?.value).toBe('https://override.test/');
  });

  it('finds code files wherever Deploy CLI versions pointed at them', async () => {
    const root = temp();
    mkdirSync(join(root, 'actions', 'a'), { recursive: true });
    writeFileSync(join(root, 'actions', 'a', 'code.js'), 'exports.onExecutePostLogin = async () => {};');
    const cases = [
      './actions/a/code.js',
      './code.js',
      '/home/someone-else/tenant/actions/a/code.js',
      'code.js',
    ];
    for (const code of cases) {
      writeFileSync(
        join(root, 'actions', 'a.json'),
        JSON.stringify({ name: 'a', code, supported_triggers: [{ id: 'post-login', version: 'v3' }] }),
      );
      const project = await readProject(root, '/', { keywords: new KeywordResolver({ env: {} }) });
      expect(project.actions[0]?.code, code).toContain('onExecutePostLogin');
    }
  });

  it('skips what Hookchain does not run, with a warning, and ignores exported fields', async () => {
    const root = temp();
    mkdirSync(join(root, 'actions'));
    mkdirSync(join(root, 'triggers'));
    writeFileSync(
      join(root, 'actions', 'exchange.json'),
      JSON.stringify({
        name: 'exchange',
        supported_triggers: [{ id: 'custom-token-exchange', version: 'v1' }],
      }),
    );
    writeFileSync(
      join(root, 'actions', 'masked.json'),
      JSON.stringify({
        name: 'masked',
        status: 'built',
        current_version: { number: 3 },
        secrets: [{ name: 'KEY', value: '_VALUE_NOT_SHOWN_' }],
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
      }),
    );
    writeFileSync(
      join(root, 'triggers', 'triggers.json'),
      JSON.stringify({
        'post-login': [],
        'custom-token-exchange': [],
        'login-post-identifier': [{ action_name: 'x' }],
      }),
    );
    const project = await readProject(root, '/', { keywords: new KeywordResolver({ env: {} }) });
    expect(project.actions.map((a) => a.name)).toEqual(['masked']);
    expect(project.actions[0]?.secrets).toEqual([{ name: 'KEY' }]);
    expect(project.actions[0]?.code).toBeUndefined();
    expect([...(project.triggers?.keys() ?? [])]).toEqual(['post-login']);
    expect(project.warnings).toEqual([
      expect.stringContaining("trigger 'custom-token-exchange' is not one Hookchain runs"),
      expect.stringContaining("trigger 'login-post-identifier' is not one Hookchain runs"),
    ]);
  });

  it('names the file and field of a malformed action', async () => {
    const root = temp();
    mkdirSync(join(root, 'actions'));
    writeFileSync(join(root, 'actions', 'bad.json'), JSON.stringify({ name: 'bad', supported_triggers: [] }));
    await expect(readProject(root, '/', { keywords: new KeywordResolver({ env: {} }) })).rejects.toThrow(
      /actions\/bad.json: supported_triggers: supported_triggers must list the trigger/,
    );
  });

  it('reads AUTH0_EXCLUDED and AUTH0_ALLOW_DELETE like the Deploy CLI', async () => {
    const root = temp();
    cpSync(EXAMPLE, root, { recursive: true });
    writeFileSync(
      join(root, 'config.json'),
      JSON.stringify({ AUTH0_EXCLUDED: ['triggers'], AUTH0_ALLOW_DELETE: 'true' }),
    );
    const config = await loadDeployConfig(root, undefined, {}, '/');
    expect(config).toMatchObject({ allowDelete: true, excluded: new Set(['triggers']) });
    const project = await readProject(root, '/', {
      keywords: new KeywordResolver({ env: {} }),
      excluded: config.excluded,
    });
    expect(project.triggers).toBeUndefined();
  });
});

describe('writeProject', () => {
  it('writes what push reads back as "no changes"', async () => {
    const action: Action = {
      id: 'id-1',
      name: 'roles / claims',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      all_changes_deployed: true,
      code: 'exports.onExecutePostLogin = async () => {};\n',
      dependencies: [{ name: 'lodash', version: '4.17.21' }],
      runtime: 'node22',
      secrets: [{ name: 'NS', updated_at: '' }],
      status: 'built',
      deployed_version: { id: 'v', number: 2, deployed: true, status: 'built', created_at: '' },
      created_at: '',
      updated_at: '',
    };
    const bound: Binding = {
      id: 'b',
      trigger_id: 'post-login',
      display_name: 'Roles',
      action,
      created_at: '',
      updated_at: '',
    };
    const remote = { actions: [action], bindings: new Map([['post-login', [bound]]]) };
    const dir = temp();
    const result = await writeProject(dir, remote);
    expect(result.files).toEqual([
      'actions/roles - claims.json',
      'actions/roles - claims/code.js',
      'triggers/triggers.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'actions', 'roles - claims.json'), 'utf8')).secrets).toEqual([
      { name: 'NS', value: '##NS##' },
    ]);
    const project = await readProject(dir, '/', { keywords: new KeywordResolver({ env: {} }) });
    const plan = computePlan(project, remote, { allowDelete: true, updateSecrets: false });
    expect(plan.errors).toEqual([]);
    expect(hasChanges(plan)).toBe(false);
  });
});
