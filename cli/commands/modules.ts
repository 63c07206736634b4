/**
 * `hookchain modules list|show|create|update|publish|versions|rollback|actions|delete`: Actions
 * Modules, the tenant's shared code that actions `require('actions:<name>')` at a pinned version.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  ApiError,
  type Dependency,
  type HookchainClient,
  type Module,
  type ModuleVersion,
} from '../../shared/client/index.ts';
import { EXACT_VERSION } from '../../shared/model/actions.ts';
import type { AppContext, ContextFactory } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { when } from '../format.ts';
import { withExamples } from '../help.ts';
import { parseSecret } from './actions.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `lodash=4.17.21` or `lodash@4.17.21`; a module's dependencies must be exact versions. */
export function parseModuleDependency(spec: string): Dependency {
  const eq = spec.indexOf('=');
  const at = spec.lastIndexOf('@');
  const cut = eq > 0 ? eq : at > 0 ? at : -1;
  const name = cut > 0 ? spec.slice(0, cut) : spec;
  const version = cut > 0 ? spec.slice(cut + 1) : '';
  if (!name || !EXACT_VERSION.test(version)) {
    throw new UsageError(
      `--dependency '${spec}' must name an exact version, e.g. lodash=4.17.21.`,
      'A module version is immutable and every action pinning it bundles the same packages, so ranges and tags (^1.2.0, latest) are refused.',
    );
  }
  return { name, version };
}

/** `3` or `v3`. */
export function parseVersionNumber(text: string): number {
  const n = Number(text.replace(/^v/i, ''));
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`'${text}' is not a version number.`, 'Version numbers are 1, 2, 3…');
  return n;
}

/**
 * The secrets list to send on update: the list replaces the server's, so every other secret is
 * kept by name (a name without a value keeps its value).
 */
export function mergeSecrets(
  current: Array<{ name: string }>,
  set: Array<{ name: string; value: string }>,
  remove: string[] = [],
): Array<{ name: string; value?: string }> {
  const values = new Map(set.map((s) => [s.name, s.value]));
  const names = [...new Set([...current.map((s) => s.name), ...values.keys()])].filter(
    (n) => !remove.includes(n),
  );
  return names.map((n) => (values.has(n) ? { name: n, value: values.get(n) as string } : { name: n }));
}

export async function resolveModule(client: HookchainClient, ref: string): Promise<Module> {
  const list = await client.listModules();
  const found = list.find((m) => m.name === ref) ?? list.find((m) => m.id === ref);
  if (found) return client.getModule(found.id);
  throw new UsageError(
    `No module named '${ref}'.`,
    'See the names with `hookchain modules list`, or create it with `hookchain modules create`.',
  );
}

async function findVersion(client: HookchainClient, module: Module, number: number): Promise<ModuleVersion> {
  const summary = (await client.listModuleVersions(module.id)).find((v) => v.version_number === number);
  if (!summary) {
    throw new UsageError(
      `${module.name} has no version ${number}.`,
      `See its versions with \`hookchain modules versions ${module.name}\`.`,
    );
  }
  return client.getModuleVersion(module.id, summary.id);
}

async function readCode(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`Could not read the code file ${file}: ${(error as Error).message}`);
  }
}

function published(ctx: AppContext, module: Module): string {
  const { c } = ctx.out;
  if (module.latest_version_number === 0) return c.dim('never published');
  return module.all_changes_published
    ? `v${module.latest_version_number}`
    : `v${module.latest_version_number} ${c.yellow('(draft changed)')}`;
}

const listOf = (ctx: AppContext, items: string[]) =>
  items.length > 0 ? items.join(', ') : ctx.out.c.dim('none');

function showModule(ctx: AppContext, module: Module): void {
  const { c } = ctx.out;
  const rows: Array<[string, string]> = [
    ['ID', module.id],
    ['Published', published(ctx, module)],
    [
      'Dependencies',
      listOf(
        ctx,
        module.dependencies.map((d) => `${d.name}@${d.version}`),
      ),
    ],
    [
      'Secrets',
      listOf(
        ctx,
        module.secrets.map((s) => s.name),
      ),
    ],
    [
      'Used by',
      `${module.actions_using_module_total} action${module.actions_using_module_total === 1 ? '' : 's'}`,
    ],
    ['Created', when(module.created_at)],
    ['Updated', when(module.updated_at)],
    [
      'Code',
      `${module.code.split('\n').length} lines ${c.dim(`(hookchain modules show ${module.name} --code)`)}`,
    ],
  ];
  ctx.out.line(c.bold(module.name));
  for (const [label, value] of rows) ctx.out.line(`  ${label.padEnd(13)}${value}`);
}

async function publishWithNote(
  ctx: AppContext,
  client: HookchainClient,
  module: Module,
): Promise<ModuleVersion> {
  const version = await client.publishModule(module.id);
  ctx.out.note(
    `Published ${module.name} v${version.version_number}. Actions keep the version they pin: pin it with \`hookchain actions update <action> --module ${module.name}@${version.version_number} --deploy\`.`,
  );
  return version;
}

export function registerModules(program: Command, context: ContextFactory): void {
  const modules = withExamples(
    program
      .command('modules')
      .description('Actions Modules: shared code, secrets and dependencies that actions pin by version'),
    'hookchain modules create email-domains --code ./email-domains.js --publish',
    'hookchain actions update block-email-domain --module email-domains@1 --deploy',
  );

  withExamples(
    modules
      .command('list')
      .alias('ls')
      .description('list the tenant’s modules')
      .action(async (_options: unknown, command: Command) => {
        const ctx = context(command);
        const list = await (await ctx.client()).listModules();
        ctx.out.data(list);
        if (list.length === 0) {
          ctx.out.line('No modules yet. Create one with `hookchain modules create <name> --code <file>`.');
          return;
        }
        const { c } = ctx.out;
        ctx.out.table(
          ['NAME', 'PUBLISHED', 'USED BY', 'UPDATED', 'ID'],
          list.map((m) => [
            m.name,
            published(ctx, m),
            String(m.actions_using_module_total),
            when(m.updated_at),
            c.dim(m.id),
          ]),
        );
      }),
    'hookchain modules list',
    'hookchain modules list --json',
  );

  withExamples(
    modules
      .command('show <module>')
      .description('show a module’s draft (by name or id)')
      .option('--code', 'print only the draft’s code')
      .action(async (ref: string, options: { code?: boolean }, command: Command) => {
        const ctx = context(command);
        const module = await resolveModule(await ctx.client(), ref);
        if (options.code) {
          ctx.out.raw(module.code.endsWith('\n') ? module.code : `${module.code}\n`);
          return;
        }
        ctx.out.data(module);
        if (!ctx.out.json) showModule(ctx, module);
      }),
    'hookchain modules show email-domains',
    'hookchain modules show email-domains --code > code.js',
  );

  withExamples(
    modules
      .command('create <name>')
      .description('create a module, and optionally publish it as version 1')
      .requiredOption('-c, --code <file>', 'code file (CommonJS: what it exports is what actions require)')
      .option('-s, --secret <NAME=value>', 'secret (repeatable)', collect, [])
      .option(
        '-d, --dependency <name=version>',
        'npm dependency at an exact version (repeatable)',
        collect,
        [],
      )
      .option('--publish', 'publish the draft as version 1')
      .action(
        async (
          name: string,
          options: { code: string; secret: string[]; dependency: string[]; publish?: boolean },
          command: Command,
        ) => {
          const ctx = context(command);
          const body = {
            name,
            code: await readCode(options.code, ctx.runtime.cwd),
            ...(options.secret.length > 0 ? { secrets: options.secret.map(parseSecret) } : {}),
            ...(options.dependency.length > 0
              ? { dependencies: options.dependency.map(parseModuleDependency) }
              : {}),
          };
          const client = await ctx.client();
          const created = await client.createModule(body);
          ctx.out.note(`Created ${created.name} (${created.id}).`);
          if (options.publish) await publishWithNote(ctx, client, created);
          ctx.out.data(options.publish ? await client.getModule(created.id) : created);
        },
      ),
    'hookchain modules create email-domains --code ./email-domains.js --publish',
    'hookchain modules create crm --code crm.js -s CRM_KEY="$CRM_KEY" -d axios=1.7.9',
  );

  withExamples(
    modules
      .command('update <module>')
      .description('change a module’s draft (publish it to give actions a new version to pin)')
      .option('-c, --code <file>', 'new code file')
      .option('-s, --secret <NAME=value>', 'add or change a secret (repeatable)', collect, [])
      .option('--remove-secret <NAME>', 'remove a secret (repeatable)', collect, [])
      .option(
        '-d, --dependency <name=version>',
        'npm dependency at an exact version; when given, replaces the list (repeatable)',
        collect,
        [],
      )
      .option('--publish', 'publish the draft once changed')
      .action(
        async (
          ref: string,
          options: {
            code?: string;
            secret: string[];
            removeSecret: string[];
            dependency: string[];
            publish?: boolean;
          },
          command: Command,
        ) => {
          const ctx = context(command);
          const client = await ctx.client();
          const current = await resolveModule(client, ref);
          const body: Record<string, unknown> = {};
          if (options.code) body.code = await readCode(options.code, ctx.runtime.cwd);
          if (options.dependency.length > 0)
            body.dependencies = options.dependency.map(parseModuleDependency);
          if (options.secret.length > 0 || options.removeSecret.length > 0) {
            for (const name of options.removeSecret) {
              if (!current.secrets.some((s) => s.name === name))
                throw new UsageError(`${current.name} has no secret named ${name}.`);
            }
            body.secrets = mergeSecrets(
              current.secrets,
              options.secret.map(parseSecret),
              options.removeSecret,
            );
          }
          if (Object.keys(body).length === 0) {
            throw new UsageError(
              'Nothing to update.',
              'Pass --code, --secret, --remove-secret or --dependency (or use `hookchain modules publish`).',
            );
          }
          const updated = await client.updateModule(current.id, body);
          ctx.out.note(`Updated the draft of ${updated.name}.`);
          if (options.publish) await publishWithNote(ctx, client, updated);
          ctx.out.data(options.publish ? await client.getModule(updated.id) : updated);
        },
      ),
    'hookchain modules update email-domains --code ./email-domains.js --publish',
    'hookchain modules update crm --secret CRM_KEY="$NEW_KEY" --remove-secret OLD_KEY',
  );

  withExamples(
    modules
      .command('publish <module>')
      .description('publish the draft as the next version')
      .action(async (ref: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const module = await resolveModule(client, ref);
        const version = await publishWithNote(ctx, client, module);
        ctx.out.data(version);
        ctx.out.line(`${module.name} v${version.version_number}`);
      }),
    'hookchain modules publish email-domains',
  );

  const versions = withExamples(
    modules
      .command('versions')
      .description('list a module’s versions, newest first (or `versions show <module> <n>`)')
      .argument('<module>', 'module name or id')
      .action(async (ref: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const module = await resolveModule(client, ref);
        const list = (await client.listModuleVersions(module.id)).sort(
          (a, b) => b.version_number - a.version_number,
        );
        ctx.out.data(list);
        if (list.length === 0) {
          ctx.out.line(`${module.name} has no versions yet: \`hookchain modules publish ${module.name}\`.`);
          return;
        }
        const { c } = ctx.out;
        ctx.out.table(
          ['VERSION', 'DEPENDENCIES', 'SECRETS', 'CREATED', 'ID'],
          list.map((v) => [
            `v${v.version_number}`,
            v.dependencies.map((d) => `${d.name}@${d.version}`).join(', '),
            v.secrets.map((s) => s.name).join(', '),
            when(v.created_at),
            c.dim(v.id),
          ]),
        );
      }),
    'hookchain modules versions email-domains',
    'hookchain modules versions show email-domains 2 --code',
  );

  withExamples(
    versions
      .command('show <module> <number>')
      .description('show one version of a module')
      .option('--code', 'print only its code')
      .action(async (ref: string, number: string, options: { code?: boolean }, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const module = await resolveModule(client, ref);
        const version = await findVersion(client, module, parseVersionNumber(number));
        if (options.code) {
          ctx.out.raw(version.code.endsWith('\n') ? version.code : `${version.code}\n`);
          return;
        }
        ctx.out.data(version);
        const { c } = ctx.out;
        ctx.out.line(c.bold(`${module.name} v${version.version_number}`));
        ctx.out.line(`  ${'ID'.padEnd(13)}${version.id}`);
        ctx.out.line(
          `  ${'Dependencies'.padEnd(13)}${listOf(
            ctx,
            version.dependencies.map((d) => `${d.name}@${d.version}`),
          )}`,
        );
        ctx.out.line(
          `  ${'Secrets'.padEnd(13)}${listOf(
            ctx,
            version.secrets.map((s) => s.name),
          )}`,
        );
        ctx.out.line(`  ${'Created'.padEnd(13)}${when(version.created_at)}`);
        ctx.out.line(`  ${'Code'.padEnd(13)}${version.code.split('\n').length} lines`);
      }),
    'hookchain modules versions show email-domains 1',
  );

  withExamples(
    modules
      .command('rollback <module> <number>')
      .description('copy an earlier version into the draft (publish it afterwards)')
      .option('--publish', 'publish the restored draft as a new version')
      .action(async (ref: string, number: string, options: { publish?: boolean }, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const module = await resolveModule(client, ref);
        const version = await findVersion(client, module, parseVersionNumber(number));
        const restored = await client.rollbackModule(module.id, version.id);
        ctx.out.note(`Copied ${module.name} v${version.version_number} into the draft.`);
        if (options.publish) await publishWithNote(ctx, client, restored);
        else ctx.out.note(`Publish it with \`hookchain modules publish ${module.name}\`.`);
        ctx.out.data(options.publish ? await client.getModule(module.id) : restored);
      }),
    'hookchain modules rollback email-domains 1 --publish',
  );

  withExamples(
    modules
      .command('actions <module>')
      .description('the actions pinning a module, and which version each pins')
      .action(async (ref: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const module = await resolveModule(client, ref);
        const uses = await client.listModuleActions(module.id);
        ctx.out.data(uses);
        if (uses.length === 0) {
          ctx.out.line(`No action uses ${module.name}.`);
          return;
        }
        const { c } = ctx.out;
        ctx.out.table(
          ['ACTION', 'TRIGGER', 'PINS', 'ID'],
          uses.map((u) => [
            u.action_name,
            u.supported_triggers[0]?.id ?? '',
            `v${u.module_version_number}`,
            c.dim(u.action_id),
          ]),
        );
      }),
    'hookchain modules actions email-domains',
  );

  withExamples(
    modules
      .command('delete <module>')
      .alias('rm')
      .description('delete a module and its versions (refused while an action pins it)')
      .action(async (ref: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const module = await resolveModule(client, ref);
        try {
          await client.deleteModule(module.id);
        } catch (error) {
          if (error instanceof ApiError && error.status === 409) {
            throw new CliError(
              error.message,
              `See which with \`hookchain modules actions ${module.name}\`; remove the pin from each (\`hookchain actions update <action> --no-modules --deploy\`) or delete those actions first.`,
            );
          }
          throw error;
        }
        ctx.out.data({ deleted: module.id, name: module.name });
        ctx.out.line(`Deleted ${module.name}.`);
      }),
    'hookchain modules delete email-domains',
  );
}
