/**
 * The plan of a push: what differs between the project and the server, computed without side
 * effects so `--dry-run` shows exactly what a push would do. Comparisons follow what the server
 * stores: dependencies are pinned at build time (so `latest` or a range matches the pinned
 * version it allows), and secret values are write-only (so a value can only be compared by name;
 * see `updateSecrets`).
 */
import semver from 'semver';
import type { Action, Binding, Dependency, Module } from '../../shared/client/index.ts';
import type { Project, ProjectAction, ProjectBinding, ProjectModule, ProjectSecret } from './model.ts';

export type ActionOp = 'create' | 'update' | 'deploy' | 'unchanged' | 'delete';

export interface ActionPlan {
  name: string;
  trigger: string;
  op: ActionOp;
  id?: string;
  /** What differs, in words: "code", "runtime node18 → node22", "secrets +API_KEY". */
  changes: string[];
  /** The POST body (create) or PATCH body (update). */
  body?: Record<string, unknown>;
  /** Deploy after saving (the project's `deployed: true`). */
  deploy: boolean;
}

export type ModuleOp = 'create' | 'update' | 'publish' | 'unchanged' | 'delete';

export interface ModulePlan {
  name: string;
  op: ModuleOp;
  id?: string;
  /** What differs, in words: "code", "dependencies +lodash@4.17.21", "secrets +API_KEY". */
  changes: string[];
  /** The POST body (create, which publishes version 1 too) or PATCH body (update). */
  body?: Record<string, unknown>;
  /** Publish the draft after saving (it differs from the latest version). */
  publish: boolean;
  /** The version number actions can pin once the push is done. */
  latest: number;
}

export interface BindingPlan {
  trigger: string;
  current: ProjectBinding[];
  desired: ProjectBinding[];
  changed: boolean;
}

export interface Plan {
  /** Modules go first: actions' pins resolve against the versions they publish. */
  modules: ModulePlan[];
  actions: ActionPlan[];
  bindings: BindingPlan[];
  /** Problems that stop the push before anything is changed. */
  errors: string[];
  /** Things worth knowing that change nothing. */
  notes: string[];
  /** Actions and modules on the server that the project does not list (kept unless deletes are allowed). */
  untracked: string[];
}

export interface RemoteState {
  actions: Action[];
  /** Absent: not fetched (the server's modules are then left alone). */
  modules?: Module[];
  bindings: Map<string, Binding[]>;
}

export interface PlanOptions {
  /** Delete server actions the project does not list (`--delete`, AUTH0_ALLOW_DELETE). */
  allowDelete: boolean;
  /** Re-send secret values the server already has (values cannot be compared). */
  updateSecrets: boolean;
}

export function hasChanges(plan: Plan): boolean {
  return (
    plan.modules.some((m) => m.op !== 'unchanged') ||
    plan.actions.some((a) => a.op !== 'unchanged') ||
    plan.bindings.some((b) => b.changed)
  );
}

/** Does the server's pinned version still honour what the project asks for? */
export function dependencyMatches(spec: string, pinned: string): boolean {
  if (spec === pinned || spec === '' || spec === 'latest') return true;
  const range = semver.validRange(spec);
  return range !== null && semver.valid(pinned) !== null && semver.satisfies(pinned, range);
}

function dependencyChanges(wanted: Dependency[], current: Dependency[]): string[] {
  const changes: string[] = [];
  const byName = new Map(current.map((d) => [d.name, d]));
  for (const dep of wanted) {
    const have = byName.get(dep.name);
    if (!have) changes.push(`+${dep.name}@${dep.version}`);
    else if (
      !dependencyMatches(dep.version, have.version) ||
      (dep.registry_url ?? '') !== (have.registry_url ?? '')
    )
      changes.push(`${dep.name} ${have.version} → ${dep.version}`);
  }
  for (const dep of current) if (!wanted.some((d) => d.name === dep.name)) changes.push(`-${dep.name}`);
  return changes;
}

const withValue = (s: ProjectSecret) => ({
  name: s.name,
  ...(s.value === undefined ? {} : { value: s.value }),
});

function missingValue(action: { file: string }, secret: ProjectSecret): string {
  return secret.missingKeyword
    ? `${action.file}: secret ${secret.name} is new and its value ##${secret.missingKeyword}## is not set: set ${secret.missingKeyword} in the environment or in AUTH0_KEYWORD_REPLACE_MAPPINGS.`
    : `${action.file}: secret ${secret.name} is new and has no value: give it a "value" (a ##KEYWORD## keeps it out of git).`;
}

/** Secrets: what changes, and the replacing list (a name without a value keeps its value). */
function secretChanges(
  owner: { name: string; file: string },
  wanted: ProjectSecret[],
  current: Array<{ name: string }>,
  options: PlanOptions,
  errors: string[],
  resent: string[],
): { change?: string; list?: Array<{ name: string; value?: string }> } {
  const have = new Set(current.map((s) => s.name));
  const added = wanted.filter((s) => !have.has(s.name));
  const removed = [...have].filter((name) => !wanted.some((s) => s.name === name));
  const valued = wanted.filter((s) => have.has(s.name) && s.value !== undefined);
  const rotated = options.updateSecrets ? valued : [];
  if (!options.updateSecrets) resent.push(...valued.map((s) => `${owner.name}/${s.name}`));
  for (const secret of added) if (secret.value === undefined) errors.push(missingValue(owner, secret));
  if (added.length + removed.length + rotated.length === 0) return {};
  return {
    change: `secrets ${[
      ...added.map((s) => `+${s.name}`),
      ...removed.map((n) => `-${n}`),
      ...rotated.map((s) => `~${s.name}`),
    ].join(', ')}`,
    list: wanted.map((s) => (added.includes(s) || rotated.includes(s) ? withValue(s) : { name: s.name })),
  };
}

/** Module dependencies are exact versions, so they compare as written. */
function moduleDependencyChanges(wanted: Dependency[], current: Dependency[]): string[] {
  const changes: string[] = [];
  const byName = new Map(current.map((d) => [d.name, d]));
  for (const dep of wanted) {
    const have = byName.get(dep.name);
    if (!have) changes.push(`+${dep.name}@${dep.version}`);
    else if (dep.version !== have.version || (dep.registry_url ?? '') !== (have.registry_url ?? ''))
      changes.push(`${dep.name} ${have.version} → ${dep.version}`);
  }
  for (const dep of current) if (!wanted.some((d) => d.name === dep.name)) changes.push(`-${dep.name}`);
  return changes;
}

function planModule(
  module: ProjectModule,
  remote: Module | undefined,
  options: PlanOptions,
  errors: string[],
  resent: string[],
): ModulePlan {
  if (!remote) {
    for (const secret of module.secrets ?? [])
      if (secret.value === undefined) errors.push(missingValue(module, secret));
    return {
      name: module.name,
      op: 'create',
      changes: ['new'],
      body: {
        name: module.name,
        code: module.code,
        ...(module.dependencies ? { dependencies: module.dependencies } : {}),
        ...(module.secrets ? { secrets: module.secrets.map(withValue) } : {}),
        publish: true,
      },
      publish: true,
      latest: 1,
    };
  }
  const changes: string[] = [];
  const body: Record<string, unknown> = {};
  if (module.code !== remote.code) {
    changes.push('code');
    body.code = module.code;
  }
  if (module.dependencies) {
    const deps = moduleDependencyChanges(module.dependencies, remote.dependencies ?? []);
    if (deps.length > 0) {
      changes.push(`dependencies ${deps.join(', ')}`);
      body.dependencies = module.dependencies;
    }
  }
  if (module.secrets) {
    const { change, list } = secretChanges(
      module,
      module.secrets,
      remote.secrets ?? [],
      options,
      errors,
      resent,
    );
    if (change) {
      changes.push(change);
      body.secrets = list;
    }
  }
  const publish = changes.length > 0 || !remote.all_changes_published;
  return {
    name: module.name,
    id: remote.id,
    op: changes.length > 0 ? 'update' : publish ? 'publish' : 'unchanged',
    changes,
    ...(changes.length > 0 ? { body } : {}),
    publish,
    latest: remote.latest_version_number + (publish ? 1 : 0),
  };
}

/** Every pin must name a module the push leaves in place, at a version it will have. */
function checkPins(project: Project, remote: RemoteState, modules: ModulePlan[], errors: string[]): void {
  if (!project.managesActions) return;
  for (const action of project.actions) {
    for (const pin of action.modules ?? []) {
      const plan = modules.find((m) => m.name === pin.module_name);
      const server = remote.modules?.find((m) => m.name === pin.module_name);
      const latest = plan ? (plan.op === 'delete' ? undefined : plan.latest) : server?.latest_version_number;
      const where = `${action.file}: '${action.name}' pins ${pin.module_name}@${pin.module_version_number}`;
      if (plan?.op === 'delete') errors.push(`${where}, which is being deleted.`);
      else if (latest === undefined) {
        if (remote.modules) errors.push(`${where}, which is neither in action-modules/ nor on the server.`);
      } else if (pin.module_version_number > latest) {
        errors.push(
          latest === 0
            ? `${where}, which has no published version.`
            : `${where}, but its latest version will be ${latest}.`,
        );
      }
    }
  }
}

function planCreate(action: ProjectAction, errors: string[]): ActionPlan {
  for (const secret of action.secrets ?? [])
    if (secret.value === undefined) errors.push(missingValue(action, secret));
  return {
    name: action.name,
    trigger: action.trigger.id,
    op: 'create',
    changes: ['new'],
    body: {
      name: action.name,
      supported_triggers: [action.trigger],
      ...(action.code === undefined ? {} : { code: action.code }),
      ...(action.runtime ? { runtime: action.runtime } : {}),
      ...(action.dependencies ? { dependencies: action.dependencies } : {}),
      ...(action.secrets ? { secrets: action.secrets.map(withValue) } : {}),
      ...(action.modules ? { modules: action.modules } : {}),
    },
    deploy: action.deployed,
  };
}

function planUpdate(
  action: ProjectAction,
  remote: Action,
  options: PlanOptions,
  errors: string[],
  resent: string[],
): ActionPlan {
  const changes: string[] = [];
  const body: Record<string, unknown> = {};
  const remoteTrigger = remote.supported_triggers[0];
  if (remoteTrigger?.id !== action.trigger.id) {
    if (remote.deployed_version) {
      errors.push(
        `${action.file}: '${action.name}' runs on ${remoteTrigger?.id} on the server; a deployed action cannot move to ${action.trigger.id}. Give it a new name, or delete the old one first.`,
      );
    }
    changes.push(`trigger ${remoteTrigger?.id} → ${action.trigger.id}`);
    body.supported_triggers = [action.trigger];
  } else if (remoteTrigger.version !== action.trigger.version) {
    changes.push(`trigger version ${remoteTrigger.version} → ${action.trigger.version}`);
    body.supported_triggers = [action.trigger];
  }
  if (action.code !== undefined && action.code !== remote.code) {
    changes.push('code');
    body.code = action.code;
  }
  if (action.runtime && action.runtime !== remote.runtime) {
    changes.push(`runtime ${remote.runtime} → ${action.runtime}`);
    body.runtime = action.runtime;
  }
  if (action.dependencies) {
    const deps = dependencyChanges(action.dependencies, remote.dependencies ?? []);
    if (deps.length > 0) {
      changes.push(`dependencies ${deps.join(', ')}`);
      body.dependencies = action.dependencies;
    }
  }
  if (action.secrets) {
    const { change, list } = secretChanges(
      action,
      action.secrets,
      remote.secrets ?? [],
      options,
      errors,
      resent,
    );
    if (change) {
      changes.push(change);
      body.secrets = list;
    }
  }
  if (action.modules) {
    const pin = (m: { module_name: string; module_version_number: number }) =>
      `${m.module_name}@${m.module_version_number}`;
    const wanted = action.modules.map(pin);
    const have = (remote.modules ?? []).map(pin);
    if (wanted.join() !== have.join()) {
      changes.push(`modules ${have.join(', ') || '(none)'} → ${wanted.join(', ') || '(none)'}`);
      body.modules = action.modules;
    }
  }
  if (changes.length === 0 && remote.status === 'failed') {
    changes.push('rebuild (the last build failed)');
    body.code = remote.code;
  }
  const needsDeploy =
    action.deployed && (changes.length > 0 || !remote.deployed_version || !remote.all_changes_deployed);
  return {
    name: action.name,
    trigger: action.trigger.id,
    id: remote.id,
    op: changes.length > 0 ? 'update' : needsDeploy ? 'deploy' : 'unchanged',
    changes,
    ...(changes.length > 0 ? { body } : {}),
    deploy: needsDeploy,
  };
}

function planBindings(
  project: Project,
  remote: RemoteState,
  actions: ActionPlan[],
  errors: string[],
): BindingPlan[] {
  const plans: BindingPlan[] = [];
  for (const [trigger, desired] of project.triggers ?? []) {
    const current = (remote.bindings.get(trigger) ?? []).map((b) => ({
      action_name: b.action.name,
      display_name: b.display_name,
    }));
    const seen = new Set<string>();
    for (const binding of desired) {
      const name = binding.action_name;
      if (seen.has(name)) errors.push(`triggers/triggers.json: ${trigger} lists '${name}' twice.`);
      seen.add(name);
      const local = project.managesActions ? project.actions.find((a) => a.name === name) : undefined;
      const server = remote.actions.find((a) => a.name === name);
      const plan = actions.find((a) => a.name === name);
      if ((!local && !server) || plan?.op === 'delete') {
        errors.push(
          `triggers/triggers.json: ${trigger} binds '${name}', which is ${plan?.op === 'delete' ? 'being deleted' : 'neither in the project nor on the server'}.`,
        );
        continue;
      }
      const runsOn = local?.trigger.id ?? server?.supported_triggers[0]?.id;
      if (runsOn !== trigger) {
        errors.push(`triggers/triggers.json: ${trigger} binds '${name}', which runs on ${runsOn}.`);
        continue;
      }
      const live = (local?.deployed ?? false) || Boolean(server?.deployed_version);
      if (!live) {
        errors.push(
          `triggers/triggers.json: ${trigger} binds '${name}', which is not deployed: set "deployed": true in ${local?.file ?? `actions/${name}.json`}.`,
        );
      }
    }
    const changed =
      desired.length !== current.length ||
      desired.some((d, i) => {
        const c = current[i];
        return (
          !c ||
          d.action_name !== c.action_name ||
          (d.display_name !== undefined && d.display_name !== c.display_name)
        );
      });
    plans.push({ trigger, current, desired, changed });
  }
  return plans;
}

export function computePlan(project: Project, remote: RemoteState, options: PlanOptions): Plan {
  const errors: string[] = [];
  const resent: string[] = [];
  const notes: string[] = [];
  const actions: ActionPlan[] = [];
  const modules: ModulePlan[] = [];
  if (project.managesModules && remote.modules) {
    for (const module of project.modules) {
      const server = remote.modules.find((m) => m.name === module.name);
      modules.push(planModule(module, server, options, errors, resent));
    }
  }
  const unlistedModules =
    project.managesModules && remote.modules
      ? remote.modules.filter((m) => !project.modules.some((p) => p.name === m.name))
      : [];
  if (options.allowDelete) {
    for (const module of unlistedModules) {
      modules.push({
        name: module.name,
        op: 'delete',
        id: module.id,
        changes: ['not in the project'],
        publish: false,
        latest: module.latest_version_number,
      });
    }
  }
  const custom = remote.actions.filter((a) => a.integration === undefined);
  if (project.managesActions) {
    for (const action of project.actions) {
      const server = custom.find((a) => a.name === action.name);
      actions.push(server ? planUpdate(action, server, options, errors, resent) : planCreate(action, errors));
    }
  }
  const unlisted = project.managesActions
    ? custom.filter((a) => !project.actions.some((p) => p.name === a.name))
    : [];
  if (options.allowDelete) {
    for (const action of unlisted) {
      actions.push({
        name: action.name,
        trigger: action.supported_triggers[0]?.id ?? '',
        op: 'delete',
        id: action.id,
        changes: ['not in the project'],
        deploy: false,
      });
    }
  }
  if (resent.length > 0) {
    notes.push(
      `Secrets already set on the server keep their values (${resent.join(', ')}): values are write-only, so push cannot compare them; --update-secrets overwrites them.`,
    );
  }
  checkPins(project, remote, modules, errors);
  // A module still pinned by an action the push keeps cannot be deleted (the server refuses).
  for (const module of modules.filter((m) => m.op === 'delete')) {
    const users = remote.actions.filter((a) => {
      if (!(a.modules ?? []).some((pin) => pin.module_name === module.name)) return false;
      if (actions.find((p) => p.name === a.name)?.op === 'delete') return false;
      const local = project.managesActions ? project.actions.find((p) => p.name === a.name) : undefined;
      return local?.modules ? local.modules.some((pin) => pin.module_name === module.name) : true;
    });
    if (users.length > 0) {
      errors.push(
        `action-modules: '${module.name}' is not in the project, but ${users.map((a) => `'${a.name}'`).join(', ')} still pin${users.length === 1 ? 's' : ''} it: remove the pins, or keep the module.`,
      );
    }
  }
  return {
    modules,
    actions,
    bindings: planBindings(project, remote, actions, errors),
    errors,
    notes,
    untracked: options.allowDelete
      ? []
      : [...unlistedModules.map((m) => `module ${m.name}`), ...unlisted.map((a) => a.name)],
  };
}
