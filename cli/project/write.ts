/**
 * Writes the server's actions and Actions Modules (their drafts) as a project in the Auth0 Deploy CLI directory format, so that a
 * push of the result changes nothing. Secret values are never pulled (the API cannot return
 * them): each secret is written as `{"name": "X", "value": "##X##"}`. Push treats a keyword with
 * no value as "keep the server's value", and on a new server `X=... hookchain push` supplies it.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Action, Module } from '../../shared/client/index.ts';
import { TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import type { RemoteState } from './diff.ts';
import { sanitizeName } from './model.ts';

export interface PullResult {
  files: string[];
  actions: string[];
  modules: string[];
  /** actions/*.json and action-modules/*.json files already in the folder that the server no longer has. */
  stale: string[];
}

/** One file stem per action (or module), unique even when two names sanitise alike. */
function fileStems(actions: Array<{ id: string; name: string }>): Map<string, string> {
  const stems = new Map<string, string>();
  const used = new Set<string>();
  for (const action of actions) {
    const base = sanitizeName(action.name);
    let stem = base;
    for (let n = 2; used.has(stem.toLowerCase()); n++) stem = `${base}-${n}`;
    used.add(stem.toLowerCase());
    stems.set(action.id, stem);
  }
  return stems;
}

export function actionFile(action: Action, stem: string) {
  return {
    name: action.name,
    code: `./actions/${stem}/code.js`,
    runtime: action.runtime,
    dependencies: action.dependencies ?? [],
    secrets: (action.secrets ?? []).map((s) => ({ name: s.name, value: `##${s.name}##` })),
    supported_triggers: action.supported_triggers,
    ...(action.modules && action.modules.length > 0
      ? {
          modules: action.modules.map((m) => ({
            module_name: m.module_name,
            module_version_number: m.module_version_number,
          })),
        }
      : {}),
    deployed: Boolean(action.deployed_version) && action.all_changes_deployed,
  };
}

/** A module's draft, with the same secret placeholders as actions so a push of it changes nothing. */
export function moduleFile(module: Module, stem: string) {
  return {
    name: module.name,
    code: `./action-modules/${stem}/code.js`,
    dependencies: module.dependencies ?? [],
    secrets: (module.secrets ?? []).map((s) => ({ name: s.name, value: `##${s.name}##` })),
  };
}

export function triggersFile(
  remote: RemoteState,
): Record<string, Array<{ action_name: string; display_name: string }>> {
  return Object.fromEntries(
    TRIGGER_IDS.map((trigger) => [
      trigger,
      (remote.bindings.get(trigger) ?? []).map((b) => ({
        action_name: b.action.name,
        display_name: b.display_name,
      })),
    ]),
  );
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function staleFiles(dir: string, folder: string, stems: Map<string, string>): Promise<string[]> {
  const written = new Set([...stems.values()].map((stem) => `${stem}.json`));
  let names: string[];
  try {
    names = await readdir(join(dir, folder));
  } catch {
    return [];
  }
  return names.filter((f) => f.endsWith('.json') && !written.has(f)).map((f) => `${folder}/${f}`);
}

export async function writeProject(dir: string, remote: RemoteState): Promise<PullResult> {
  const actions = remote.actions.filter((a) => a.integration === undefined);
  const stems = fileStems(actions);
  const files: string[] = [];
  await mkdir(join(dir, 'actions'), { recursive: true });
  await mkdir(join(dir, 'triggers'), { recursive: true });
  for (const action of actions) {
    const stem = stems.get(action.id) as string;
    await mkdir(join(dir, 'actions', stem), { recursive: true });
    // Only installed integrations hide their code, and they are left out above.
    await writeFile(join(dir, 'actions', stem, 'code.js'), action.code ?? '');
    await writeFile(join(dir, 'actions', `${stem}.json`), json(actionFile(action, stem)));
    files.push(`actions/${stem}.json`, `actions/${stem}/code.js`);
  }
  const modules = remote.modules ?? [];
  const moduleStems = fileStems(modules);
  if (modules.length > 0) await mkdir(join(dir, 'action-modules'), { recursive: true });
  for (const module of modules) {
    const stem = moduleStems.get(module.id) as string;
    await mkdir(join(dir, 'action-modules', stem), { recursive: true });
    await writeFile(join(dir, 'action-modules', stem, 'code.js'), module.code);
    await writeFile(join(dir, 'action-modules', `${stem}.json`), json(moduleFile(module, stem)));
    files.push(`action-modules/${stem}.json`, `action-modules/${stem}/code.js`);
  }
  await writeFile(join(dir, 'triggers', 'triggers.json'), json(triggersFile(remote)));
  files.push('triggers/triggers.json');
  const stale = [
    ...(await staleFiles(dir, 'actions', stems)),
    ...(await staleFiles(dir, 'action-modules', moduleStems)),
  ];
  return { files, actions: actions.map((a) => a.name), modules: modules.map((m) => m.name), stale };
}
