/**
 * Reads a project in the Auth0 Deploy CLI directory format:
 *
 *   actions/<name>.json        {"name","code","runtime","dependencies","secrets","supported_triggers","deployed",...}
 *   actions/<name>/code.js     the code file the JSON's "code" points at
 *   action-modules/<name>.json {"name","code","dependencies","secrets"}: an Actions Module
 *   action-modules/<name>/code.js
 *   triggers/triggers.json     {"post-login":[{"action_name","display_name"}], ...}
 *
 * Keywords are replaced in every file first. Fields Hookchain does not use (status, id,
 * current_version, ...) are ignored, so repositories exported by the Deploy CLI read unchanged.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { isTriggerId, TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import { getTrigger } from '../../shared/triggers/registry.ts';
import { UsageError } from '../errors.ts';
import type { KeywordResolver } from './keywords.ts';
import { unresolvedKeywords } from './keywords.ts';
import {
  type Project,
  type ProjectAction,
  type ProjectBinding,
  type ProjectModule,
  type ProjectSecret,
  sanitizeName,
} from './model.ts';

/** What the Deploy CLI writes instead of a secret's value on export. */
export const MASKED_SECRET = '_VALUE_NOT_SHOWN_';

const actionFileSchema = z.looseObject({
  name: z.string().min(1, { error: 'name must not be empty' }),
  code: z.string().optional(),
  runtime: z.string().optional(),
  dependencies: z
    .array(
      z.looseObject({
        name: z.string(),
        version: z.string().optional(),
        registry_url: z.string().optional(),
      }),
    )
    .optional(),
  secrets: z
    .array(
      z.looseObject({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).optional() }),
    )
    .optional(),
  supported_triggers: z.array(z.looseObject({ id: z.string(), version: z.string().optional() })).min(1, {
    error: 'supported_triggers must list the trigger',
  }),
  deployed: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  modules: z
    .array(z.looseObject({ module_name: z.string().min(1), module_version_number: z.number().int().min(1) }))
    .optional(),
});

const moduleFileSchema = z.looseObject({
  name: z.string().min(1, { error: 'name must not be empty' }),
  code: z.string().min(1, { error: 'code must name the code file' }),
  dependencies: z
    .array(
      z.looseObject({
        name: z.string(),
        version: z.string(),
        registry_url: z.string().optional(),
      }),
    )
    .optional(),
  secrets: z
    .array(
      z.looseObject({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).optional() }),
    )
    .optional(),
});

const triggersFileSchema = z.record(
  z.string(),
  z.array(z.looseObject({ action_name: z.string().min(1), display_name: z.string().optional() })).nullable(),
);

export interface ReadOptions {
  keywords: KeywordResolver;
  /** Deploy CLI AUTH0_EXCLUDED: "actions", "actionModules" and/or "triggers" leave that part alone. */
  excluded?: ReadonlySet<string>;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

async function readJson(file: string, root: string, keywords: KeywordResolver): Promise<unknown> {
  const text = keywords.replace(await readFile(file, 'utf8'));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${relative(root, file)} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Where the "code" path points. Deploy CLI versions resolved it against the working directory,
 * the project root or the action's folder, and exports may hold absolute paths from another
 * machine; the conventional `actions/<name>/code.js` is the last resort.
 */
function findCodeFile(
  root: string,
  cwd: string,
  name: string,
  code: string,
  folder = 'actions',
): string | undefined {
  const path = code.replaceAll('\\', '/');
  const candidates = isAbsolute(path)
    ? [path]
    : [resolve(root, folder, sanitizeName(name), path), resolve(root, path), resolve(cwd, path)];
  candidates.push(join(root, folder, sanitizeName(name), 'code.js'));
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

function projectSecret(name: string, raw: string | number | boolean | undefined): ProjectSecret {
  if (raw === undefined || raw === MASKED_SECRET) return { name };
  const value = String(raw);
  const missing = unresolvedKeywords(value);
  // A keyword with no value means "not given here": keep what the server has.
  if (missing.length > 0) return { name, missingKeyword: missing[0] as string };
  return { name, value };
}

async function readAction(
  file: string,
  root: string,
  cwd: string,
  keywords: KeywordResolver,
  warnings: string[],
): Promise<ProjectAction | undefined> {
  const where = relative(root, file);
  const parsed = actionFileSchema.safeParse(await readJson(file, root, keywords));
  if (!parsed.success) throw new UsageError(`${where}: ${describeIssues(parsed.error)}`);
  const raw = parsed.data;
  const trigger = raw.supported_triggers[0] as { id: string; version?: string };
  if (!isTriggerId(trigger.id)) {
    warnings.push(
      `${where}: trigger '${trigger.id}' is not one Hookchain runs (${TRIGGER_IDS.join(', ')}); action '${raw.name}' skipped.`,
    );
    return undefined;
  }
  let code: string | undefined;
  if (raw.code) {
    const codeFile = findCodeFile(root, cwd, raw.name, raw.code);
    if (!codeFile) {
      throw new UsageError(
        `${where}: the code file '${raw.code}' does not exist.`,
        `Put the code at actions/${sanitizeName(raw.name)}/code.js and set "code": "./actions/${sanitizeName(raw.name)}/code.js".`,
      );
    }
    code = keywords.replace(await readFile(codeFile, 'utf8'));
    const missing = unresolvedKeywords(code);
    if (missing.length > 0) {
      warnings.push(
        `${relative(root, codeFile)} uses ${missing.map((k) => `##${k}##`).join(', ')} with no value (set it in the environment or AUTH0_KEYWORD_REPLACE_MAPPINGS); left as written.`,
      );
    }
  }
  return {
    name: raw.name,
    file: where,
    ...(code === undefined ? {} : { code }),
    trigger: { id: trigger.id, version: trigger.version ?? getTrigger(trigger.id).version },
    ...(raw.runtime ? { runtime: raw.runtime } : {}),
    ...(raw.dependencies
      ? {
          dependencies: raw.dependencies.map((d) => ({
            name: d.name,
            version: d.version ?? 'latest',
            ...(d.registry_url ? { registry_url: d.registry_url } : {}),
          })),
        }
      : {}),
    ...(raw.secrets ? { secrets: raw.secrets.map((s) => projectSecret(s.name, s.value)) } : {}),
    ...(raw.modules
      ? {
          modules: raw.modules.map((m) => ({
            module_name: m.module_name,
            module_version_number: m.module_version_number,
          })),
        }
      : {}),
    deployed: raw.deployed === true || raw.deployed === 'true',
  };
}

async function readModule(
  file: string,
  root: string,
  cwd: string,
  keywords: KeywordResolver,
  warnings: string[],
): Promise<ProjectModule> {
  const where = relative(root, file);
  const parsed = moduleFileSchema.safeParse(await readJson(file, root, keywords));
  if (!parsed.success) throw new UsageError(`${where}: ${describeIssues(parsed.error)}`);
  const raw = parsed.data;
  const stem = sanitizeName(raw.name);
  const codeFile = findCodeFile(root, cwd, raw.name, raw.code, 'action-modules');
  if (!codeFile) {
    throw new UsageError(
      `${where}: the code file '${raw.code}' does not exist.`,
      `Put the code at action-modules/${stem}/code.js and set "code": "./action-modules/${stem}/code.js".`,
    );
  }
  const code = keywords.replace(await readFile(codeFile, 'utf8'));
  const missing = unresolvedKeywords(code);
  if (missing.length > 0) {
    warnings.push(
      `${relative(root, codeFile)} uses ${missing.map((k) => `##${k}##`).join(', ')} with no value (set it in the environment or AUTH0_KEYWORD_REPLACE_MAPPINGS); left as written.`,
    );
  }
  return {
    name: raw.name,
    file: where,
    code,
    ...(raw.dependencies
      ? {
          dependencies: raw.dependencies.map((d) => ({
            name: d.name,
            version: d.version,
            ...(d.registry_url ? { registry_url: d.registry_url } : {}),
          })),
        }
      : {}),
    ...(raw.secrets ? { secrets: raw.secrets.map((s) => projectSecret(s.name, s.value)) } : {}),
  };
}

async function readTriggers(
  file: string,
  root: string,
  keywords: KeywordResolver,
  warnings: string[],
): Promise<Map<string, ProjectBinding[]>> {
  const where = relative(root, file);
  const parsed = triggersFileSchema.safeParse(await readJson(file, root, keywords));
  if (!parsed.success) throw new UsageError(`${where}: ${describeIssues(parsed.error)}`);
  const triggers = new Map<string, ProjectBinding[]>();
  for (const [trigger, list] of Object.entries(parsed.data)) {
    const bindings = (list ?? []).map((b) => ({
      action_name: b.action_name,
      ...(b.display_name ? { display_name: b.display_name } : {}),
    }));
    if (!isTriggerId(trigger)) {
      // The Deploy CLI lists every Auth0 trigger, most of them empty: only bindings are worth a word.
      if (bindings.length > 0)
        warnings.push(`${where}: trigger '${trigger}' is not one Hookchain runs; skipped.`);
      continue;
    }
    triggers.set(trigger, bindings);
  }
  return triggers;
}

export async function readProject(dir: string, cwd: string, options: ReadOptions): Promise<Project> {
  const root = resolve(cwd, dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`${dir} is not a directory.`, 'Pass the folder that holds actions/ and triggers/.');
  }
  const warnings: string[] = [];
  const excluded = options.excluded ?? new Set();
  const actionsDir = join(root, 'actions');
  const triggersFile = join(root, 'triggers', 'triggers.json');
  const modulesDir = join(root, 'action-modules');
  const hasActions = existsSync(actionsDir) && statSync(actionsDir).isDirectory();
  const hasModules = existsSync(modulesDir) && statSync(modulesDir).isDirectory();
  if (!hasActions && !hasModules && !existsSync(triggersFile)) {
    throw new UsageError(
      `${dir} holds none of actions/, action-modules/ or triggers/triggers.json.`,
      'An actions-as-code project uses the Auth0 Deploy CLI directory format; see examples/project, or start one with `hookchain pull <dir>`.',
    );
  }
  const actions: ProjectAction[] = [];
  const managesActions = hasActions && !excluded.has('actions');
  if (managesActions) {
    const files = (await readdir(actionsDir)).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const action = await readAction(join(actionsDir, file), root, cwd, options.keywords, warnings);
      if (!action) continue;
      const twin = actions.find((a) => a.name === action.name);
      if (twin)
        throw new UsageError(`${twin.file} and ${action.file} both define the action '${action.name}'.`);
      actions.push(action);
    }
  }
  const triggers =
    existsSync(triggersFile) && !excluded.has('triggers')
      ? await readTriggers(triggersFile, root, options.keywords, warnings)
      : undefined;
  const modules: ProjectModule[] = [];
  const managesModules = hasModules && !excluded.has('actionModules') && !excluded.has('action-modules');
  if (managesModules) {
    const files = (await readdir(modulesDir)).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      const module = await readModule(join(modulesDir, file), root, cwd, options.keywords, warnings);
      const twin = modules.find((m) => m.name === module.name);
      if (twin)
        throw new UsageError(`${twin.file} and ${module.file} both define the module '${module.name}'.`);
      modules.push(module);
    }
  }
  return {
    root,
    managesActions,
    actions,
    managesModules,
    modules,
    ...(triggers ? { triggers } : {}),
    warnings,
  };
}
