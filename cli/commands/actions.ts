/** `hookchain actions list|show|create|update|deploy|rollback|delete`. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  type Action,
  ApiError,
  type Dependency,
  deployAndWait,
  type HookchainClient,
  waitForBuild,
  waitForLive,
} from '../../shared/client/index.ts';
import { isTriggerId, TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import { getTrigger } from '../../shared/triggers/registry.ts';
import type { AppContext, ContextFactory } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { buildStatus, liveVersion, when } from '../format.ts';
import { withExamples } from '../help.ts';
import { resolveAction } from '../resolve.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function parseDependency(spec: string): Dependency {
  // name@version (the scope's own @ is not a separator) or the auth0 CLI's name=version.
  const eq = spec.indexOf('=');
  if (eq > 0) return { name: spec.slice(0, eq), version: spec.slice(eq + 1) || 'latest' };
  const at = spec.lastIndexOf('@');
  if (at > 0) return { name: spec.slice(0, at), version: spec.slice(at + 1) || 'latest' };
  if (!spec) throw new UsageError('--dependency needs a package name, e.g. --dependency lodash@4.17.21');
  return { name: spec, version: 'latest' };
}

/** `--module email-domains@2` (or `email-domains=2`, `email-domains@v2`): a module version pin. */
export function parseModulePin(spec: string): { module_name: string; module_version_number: number } {
  const cut = Math.max(spec.lastIndexOf('@'), spec.lastIndexOf('='));
  const number = cut > 0 ? Number(spec.slice(cut + 1).replace(/^v/i, '')) : Number.NaN;
  if (cut <= 0 || !Number.isInteger(number) || number < 1) {
    throw new UsageError(
      `--module '${spec}' must look like NAME@VERSION.`,
      'Example: --module email-domains@1 (see the versions with `hookchain modules versions <name>`).',
    );
  }
  return { module_name: spec.slice(0, cut), module_version_number: number };
}

export function parseSecret(spec: string): { name: string; value: string } {
  const eq = spec.indexOf('=');
  if (eq <= 0) {
    throw new UsageError(
      `--secret '${spec}' must look like NAME=value.`,
      'Example: --secret API_KEY=abc123 (or --secret API_KEY="$API_KEY" to keep it out of your shell history).',
    );
  }
  return { name: spec.slice(0, eq), value: spec.slice(eq + 1) };
}

async function readCode(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`Could not read the code file ${file}: ${(error as Error).message}`);
  }
}

function checkTrigger(trigger: string): void {
  if (!isTriggerId(trigger)) {
    throw new UsageError(`Unknown trigger '${trigger}'.`, `Triggers: ${TRIGGER_IDS.join(', ')}.`);
  }
}

/** After a create or update: wait for the build, then deploy when asked. */
async function settle(
  ctx: AppContext,
  client: HookchainClient,
  action: Action,
  options: { wait: boolean; deploy?: boolean },
): Promise<Action> {
  if (!options.wait && !options.deploy) return action;
  const progress = ctx.out.progress(`Building ${action.name}…`);
  let current: Action;
  try {
    current = await waitForBuild(client, action.id, (a) =>
      progress.update(`Building ${a.name}: ${a.status}…`),
    );
  } catch (error) {
    progress.fail(`Build of ${action.name} failed.`);
    throw error;
  }
  progress.succeed(`Built ${action.name}.`);
  if (!options.deploy) return current;
  return deployWithProgress(ctx, client, current);
}

async function deployWithProgress(ctx: AppContext, client: HookchainClient, action: Action): Promise<Action> {
  const progress = ctx.out.progress(`Deploying ${action.name}…`);
  try {
    const version = await deployAndWait(client, action);
    progress.succeed(`Deployed ${action.name} v${version.number}: it now serves every execution.`);
  } catch (error) {
    progress.fail(`Deploy of ${action.name} failed.`);
    throw error;
  }
  return client.getAction(action.id);
}

function showAction(ctx: AppContext, action: Action): void {
  const { c } = ctx.out;
  const trigger = action.supported_triggers[0];
  const rows: Array<[string, string]> = [
    ['ID', action.id],
    ['Trigger', `${trigger?.id ?? '?'} ${c.dim(trigger?.version ?? '')}`],
    ['Runtime', action.runtime],
    ['Build', buildStatus(c, action.status)],
    ['Live', liveVersion(c, action)],
    [
      'Dependencies',
      action.dependencies.length > 0
        ? action.dependencies.map((d) => `${d.name}@${d.version}`).join(', ')
        : c.dim('none'),
    ],
    ['Secrets', action.secrets.length > 0 ? action.secrets.map((s) => s.name).join(', ') : c.dim('none')],
    ...(action.modules && action.modules.length > 0
      ? [
          [
            'Modules',
            action.modules.map((m) => `${m.module_name}@${m.module_version_number}`).join(', '),
          ] as [string, string],
        ]
      : []),
    ...(action.integration
      ? [
          [
            'Integration',
            `${action.integration.name} v${action.integration.version}${action.integration.upgrade_available ? c.yellow(` (v${action.integration.latest_version} available: hookchain integrations upgrade ${JSON.stringify(action.name)})`) : ''}`,
          ] as [string, string],
        ]
      : []),
    ...Object.entries(action.configuration ?? {}).map(
      ([name, value], i) => [i === 0 ? 'Configuration' : '', `${name}=${value}`] as [string, string],
    ),
    ['Created', when(action.created_at)],
    ['Updated', when(action.updated_at)],
    [
      'Code',
      typeof action.code === 'string'
        ? `${action.code.split('\n').length} lines ${c.dim(`(hookchain actions show ${JSON.stringify(action.name)} --code)`)}`
        : c.dim('closed (an installed integration)'),
    ],
  ];
  ctx.out.line(c.bold(action.name));
  for (const [label, value] of rows) ctx.out.line(`  ${label.padEnd(13)}${value}`);
  for (const error of action.errors ?? []) ctx.out.line(`  ${c.red('Build error')}  ${error.msg}`);
}

export function registerActions(program: Command, context: ContextFactory): void {
  const actions = withExamples(
    program.command('actions').description('create, change, deploy and roll back actions'),
    'hookchain actions list',
    'hookchain actions create my-action --trigger post-login --code ./my-action.js --deploy',
  );

  withExamples(
    actions
      .command('list')
      .alias('ls')
      .description('list the tenant’s actions')
      .option('-t, --trigger <trigger>', 'only actions for this trigger')
      .option('--deployed', 'only deployed actions')
      .option('--installed', 'only actions installed from an integration')
      .option('--custom', 'only the tenant’s own actions (not installed)')
      .action(
        async (
          options: { trigger?: string; deployed?: boolean; installed?: boolean; custom?: boolean },
          command: Command,
        ) => {
          const ctx = context(command);
          if (options.trigger) checkTrigger(options.trigger);
          if (options.installed && options.custom)
            throw new UsageError('--installed and --custom contradict each other.');
          const client = await ctx.client();
          const list = await client.listActions({
            ...(options.trigger ? { triggerId: options.trigger } : {}),
            ...(options.deployed ? { deployed: true } : {}),
            ...(options.installed ? { installed: true } : options.custom ? { installed: false } : {}),
          });
          ctx.out.data(list);
          if (list.length === 0) {
            ctx.out.line(
              'No actions yet. Create one with `hookchain actions create` or `hookchain push <dir>`.',
            );
            return;
          }
          const { c } = ctx.out;
          ctx.out.table(
            ['NAME', 'TRIGGER', 'BUILD', 'LIVE', 'UPDATED', 'ID'],
            list.map((a) => [
              a.name,
              a.supported_triggers[0]?.id ?? '',
              buildStatus(c, a.status),
              liveVersion(c, a),
              when(a.updated_at),
              c.dim(a.id),
            ]),
          );
        },
      ),
    'hookchain actions list',
    'hookchain actions list --trigger post-login --json',
    'hookchain actions list --installed',
  );

  withExamples(
    actions
      .command('show <action>')
      .description('show an action (by name or id)')
      .option('--code', 'print only the draft’s code')
      .action(async (ref: string, options: { code?: boolean }, command: Command) => {
        const ctx = context(command);
        const action = await resolveAction(await ctx.client(), ref);
        if (options.code) {
          if (typeof action.code !== 'string')
            throw new UsageError(`${action.name} is an installed integration: its code is closed.`);
          ctx.out.raw(action.code.endsWith('\n') ? action.code : `${action.code}\n`);
          return;
        }
        ctx.out.data(action);
        if (!ctx.out.json) showAction(ctx, action);
      }),
    'hookchain actions show add-roles-claim',
    'hookchain actions show add-roles-claim --code > code.js',
  );

  withExamples(
    actions
      .command('create <name>')
      .description('create an action, wait for its build, and optionally deploy it')
      .requiredOption('-t, --trigger <trigger>', `trigger it runs on (${TRIGGER_IDS.join(', ')})`)
      .option('-c, --code <file>', 'code file (default: an empty handler for the trigger)')
      .option('-r, --runtime <runtime>', 'node22 (default) or node18')
      .option('-d, --dependency <name@version>', 'npm dependency (repeatable)', collect, [])
      .option('-s, --secret <NAME=value>', 'secret (repeatable)', collect, [])
      .option('-m, --module <name@version>', 'pin an Actions Module version (repeatable)', collect, [])
      .option('--deploy', 'deploy once built')
      .option('--no-wait', 'return without waiting for the build')
      .action(
        async (
          name: string,
          options: {
            trigger: string;
            code?: string;
            runtime?: string;
            dependency: string[];
            secret: string[];
            module: string[];
            deploy?: boolean;
            wait: boolean;
          },
          command: Command,
        ) => {
          const ctx = context(command);
          checkTrigger(options.trigger);
          const client = await ctx.client();
          const created = await client.createAction({
            name,
            supported_triggers: [{ id: options.trigger, version: getTrigger(options.trigger).version }],
            ...(options.code ? { code: await readCode(options.code, ctx.runtime.cwd) } : {}),
            ...(options.runtime ? { runtime: options.runtime } : {}),
            ...(options.dependency.length > 0
              ? { dependencies: options.dependency.map(parseDependency) }
              : {}),
            ...(options.secret.length > 0 ? { secrets: options.secret.map(parseSecret) } : {}),
            ...(options.module.length > 0 ? { modules: options.module.map(parseModulePin) } : {}),
          });
          ctx.out.note(`Created ${created.name} (${created.id}).`);
          const action = await settle(ctx, client, created, options);
          ctx.out.data(action);
        },
      ),
    'hookchain actions create add-roles --trigger post-login --code ./add-roles.js --secret NAMESPACE=https://acme.test/ --deploy',
    'hookchain actions create block-disposable --trigger pre-user-registration --code block.js -d disposable-email-domains@1.0.62',
  );

  withExamples(
    actions
      .command('update <action>')
      .description(
        'change an action’s draft (code, dependencies, secrets, runtime), wait for its build, optionally deploy',
      )
      .option('-c, --code <file>', 'new code file')
      .option('-r, --runtime <runtime>', 'node22 or node18')
      .option(
        '-d, --dependency <name@version>',
        'npm dependency; when given, replaces the list (repeatable)',
        collect,
        [],
      )
      .option('-s, --secret <NAME=value>', 'add or change a secret (repeatable)', collect, [])
      .option('--remove-secret <NAME>', 'remove a secret (repeatable)', collect, [])
      .option(
        '-m, --module <name@version>',
        'pin an Actions Module version; when given, replaces the pins (repeatable)',
        collect,
        [],
      )
      .option('--no-modules', 'remove every module pin')
      .option('--deploy', 'deploy once built')
      .option('--no-wait', 'return without waiting for the build')
      .action(
        async (
          ref: string,
          options: {
            code?: string;
            runtime?: string;
            dependency: string[];
            secret: string[];
            removeSecret: string[];
            module: string[];
            modules: boolean;
            deploy?: boolean;
            wait: boolean;
          },
          command: Command,
        ) => {
          const ctx = context(command);
          const client = await ctx.client();
          const current = await resolveAction(client, ref);
          const body: Record<string, unknown> = {};
          if (options.code) body.code = await readCode(options.code, ctx.runtime.cwd);
          if (options.runtime) body.runtime = options.runtime;
          if (options.dependency.length > 0) body.dependencies = options.dependency.map(parseDependency);
          if (options.secret.length > 0 || options.removeSecret.length > 0) {
            const set = new Map(options.secret.map(parseSecret).map((s) => [s.name, s.value]));
            for (const name of options.removeSecret) {
              if (!current.secrets.some((s) => s.name === name) && !set.has(name))
                throw new UsageError(`${current.name} has no secret named ${name}.`);
            }
            // The list replaces the server's: keep every other secret by name (its value stays).
            const names = [...new Set([...current.secrets.map((s) => s.name), ...set.keys()])].filter(
              (n) => !options.removeSecret.includes(n),
            );
            body.secrets = names.map((n) => (set.has(n) ? { name: n, value: set.get(n) } : { name: n }));
          }
          if (options.module.length > 0 && !options.modules)
            throw new UsageError('--module and --no-modules contradict each other.');
          if (options.module.length > 0) body.modules = options.module.map(parseModulePin);
          if (!options.modules) body.modules = [];
          if (Object.keys(body).length === 0) {
            if (!options.deploy) {
              throw new UsageError(
                'Nothing to update.',
                'Pass --code, --runtime, --dependency, --secret, --remove-secret or --module (or use `hookchain actions deploy`).',
              );
            }
            const built = await settle(ctx, client, current, { wait: true });
            ctx.out.data(await deployWithProgress(ctx, client, built));
            return;
          }
          const updated = await client.updateAction(current.id, body);
          ctx.out.note(`Updated the draft of ${updated.name}.`);
          ctx.out.data(await settle(ctx, client, updated, options));
        },
      ),
    'hookchain actions update add-roles --code ./add-roles.js --deploy',
    'hookchain actions update add-roles --secret API_KEY="$API_KEY" --remove-secret OLD_KEY',
    'hookchain actions update block-email-domain --module email-domains@2 --deploy',
  );

  withExamples(
    actions
      .command('deploy <action>')
      .description('deploy the draft as a new version (waits for the build and for it to go live)')
      .action(async (ref: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const action = await resolveAction(client, ref);
        const built = action.status === 'built' ? action : await settle(ctx, client, action, { wait: true });
        ctx.out.data(await deployWithProgress(ctx, client, built));
      }),
    'hookchain actions deploy add-roles',
  );

  withExamples(
    actions
      .command('rollback <action>')
      .description(
        'make an earlier version live again (as a new version); default: the one before the live one',
      )
      .option('--to <number>', 'version number to restore')
      .option('--update-draft', 'also copy that version into the draft')
      .action(async (ref: string, options: { to?: string; updateDraft?: boolean }, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const action = await resolveAction(client, ref);
        const versions = await client.listVersions(action.id);
        const live = action.deployed_version?.number;
        const wanted = options.to === undefined ? undefined : Number(options.to.replace(/^v/, ''));
        if (wanted !== undefined && !Number.isInteger(wanted))
          throw new UsageError('--to takes a version number, e.g. --to 3');
        const target =
          wanted !== undefined
            ? versions.find((v) => v.number === wanted)
            : versions
                .filter((v) => v.status === 'built' && live !== undefined && v.number < live)
                .sort((a, b) => b.number - a.number)[0];
        if (!target) {
          throw new UsageError(
            wanted !== undefined
              ? `${action.name} has no version ${wanted}.`
              : `${action.name} has no version before the live one to roll back to.`,
            `See its versions with \`hookchain versions list ${JSON.stringify(action.name)}\`.`,
          );
        }
        const progress = ctx.out.progress(`Rolling ${action.name} back to v${target.number}…`);
        try {
          const version = await client.rollback(action.id, target.id, Boolean(options.updateDraft));
          await waitForLive(client, action, version);
          progress.succeed(`${action.name} runs v${target.number}'s code again, live as v${version.number}.`);
          ctx.out.data(version);
        } catch (error) {
          progress.fail(`Rollback of ${action.name} failed.`);
          throw error;
        }
      }),
    'hookchain actions rollback add-roles',
    'hookchain actions rollback add-roles --to 2 --update-draft',
  );

  withExamples(
    actions
      .command('delete <action>')
      .alias('rm')
      .description('delete an action and all its versions')
      .option('-f, --force', 'unbind it from its trigger first')
      .action(async (ref: string, options: { force?: boolean }, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const action = await resolveAction(client, ref);
        try {
          await client.deleteAction(action.id, Boolean(options.force));
        } catch (error) {
          if (error instanceof ApiError && error.status === 409) {
            throw new CliError(
              `${action.name} is bound to a trigger.`,
              `Pass --force to unbind and delete it, or unbind it first with \`hookchain bindings set ${action.supported_triggers[0]?.id ?? '<trigger>'} ...\`.`,
            );
          }
          throw error;
        }
        ctx.out.data({ deleted: action.id, name: action.name });
        ctx.out.line(`Deleted ${action.name}.`);
      }),
    'hookchain actions delete old-action',
    'hookchain actions delete old-action --force',
  );
}
