/**
 * `hookchain integrations publish|list|show|install|upgrade`: the integration catalog. Operators
 * publish a partner's directory; tenants install a release as an action with their own secrets
 * and configuration (prompted for on a terminal), and upgrade it when a new release comes out.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import {
  type Action,
  ApiError,
  BuildFailedError,
  HookchainClient,
  type Integration,
  type IntegrationParam,
  type IntegrationRelease,
  pollAction,
} from '../../shared/client/index.ts';
import { HookchainError } from '../../shared/errors.ts';
import { readIntegrationDir } from '../../shared/integrations/read-integration-dir.ts';
import type { AppContext, ContextFactory } from '../context.ts';
import { UsageError } from '../errors.ts';
import { when } from '../format.ts';
import { withExamples } from '../help.ts';
import { resolveAction } from '../resolve.ts';
import { parseVersionNumber } from './modules.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `-s NAME=value` / `-c NAME=value` into an object; the last one given wins. */
export function parseValues(specs: string[], flag: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} '${spec}' must look like NAME=value.`);
    values[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  return values;
}

export interface MissingField {
  kind: 'secret' | 'configuration';
  field: IntegrationParam;
}

/** Required fields (no default) that neither the flags nor the values already stored give. */
export function missingFields(
  release: Pick<IntegrationRelease, 'required_secrets' | 'required_configuration'>,
  given: { secrets: Record<string, string>; configuration: Record<string, string> },
  stored: { secrets?: string[]; configuration?: string[] } = {},
): MissingField[] {
  const missing: MissingField[] = [];
  for (const field of release.required_secrets) {
    if (
      field.default_value === undefined &&
      !(field.name in given.secrets) &&
      !stored.secrets?.includes(field.name)
    )
      missing.push({ kind: 'secret', field });
  }
  for (const field of release.required_configuration) {
    if (
      field.default_value === undefined &&
      !(field.name in given.configuration) &&
      !stored.configuration?.includes(field.name)
    )
      missing.push({ kind: 'configuration', field });
  }
  return missing;
}

function describeField({ kind, field }: MissingField): string {
  const flag = kind === 'secret' ? '-s' : '-c';
  const options = field.options ? ` (one of ${field.options.map((o) => o.value).join(', ')})` : '';
  return `${flag} ${field.name}=…  ${field.label ?? ''}${options}${field.description ? `: ${field.description}` : ''}`;
}

/** Asks for each missing field on the terminal. */
async function prompt(
  ctx: AppContext,
  missing: MissingField[],
  into: Record<'secret' | 'configuration', Record<string, string>>,
) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const { c } = ctx.out;
  try {
    for (const { kind, field } of missing) {
      process.stderr.write(`\n${c.bold(field.label ?? field.name)} ${c.dim(`(${kind} ${field.name})`)}\n`);
      if (field.description) process.stderr.write(`${c.dim(field.description)}\n`);
      if (field.options) {
        for (const option of field.options)
          process.stderr.write(`  ${option.value}  ${c.dim(option.label)}\n`);
      }
      for (;;) {
        const answer = (await rl.question(`${field.name}: `)).trim();
        if (!answer) continue;
        if (field.options && !field.options.some((o) => o.value === answer)) {
          process.stderr.write(
            `${c.yellow(`Choose one of ${field.options.map((o) => o.value).join(', ')}.`)}\n`,
          );
          continue;
        }
        into[kind][field.name] = answer;
        break;
      }
    }
  } finally {
    rl.close();
  }
}

/** Fills what is missing: prompts on a terminal, else fails naming every field and its flag. */
async function complete(
  ctx: AppContext,
  missing: MissingField[],
  secrets: Record<string, string>,
  configuration: Record<string, string>,
  what: string,
): Promise<void> {
  if (missing.length === 0) return;
  if (process.stdin.isTTY && !ctx.out.json) {
    await prompt(ctx, missing, { secret: secrets, configuration });
    return;
  }
  throw new UsageError(
    `${what} needs values for:\n${missing.map((m) => `  ${describeField(m)}`).join('\n')}`,
    'Pass them with -s NAME=value (secrets) and -c NAME=value (configuration), or run the command on a terminal to be asked.',
  );
}

/** Polls until the action's live version passes `after`; fails if its build fails. */
function waitForDeployed(client: HookchainClient, actionId: string, after: number): Promise<Action> {
  return pollAction(
    client,
    actionId,
    (action) => `'${action.name}' to go live`,
    (action) => {
      if ((action.deployed_version?.number ?? 0) > after && action.all_changes_deployed) return true;
      if (action.status === 'failed') throw new BuildFailedError(action.name, action.errors ?? []);
      return false;
    },
  );
}

/** The catalog is readable with a tenant token or the operator token. */
async function readerClient(ctx: AppContext): Promise<HookchainClient> {
  const connection = await ctx.connection();
  if (!connection.token && connection.operatorToken)
    return new HookchainClient({ url: connection.url, token: connection.operatorToken });
  return ctx.client();
}

async function release(
  client: HookchainClient,
  integration: Integration,
  version?: number,
): Promise<IntegrationRelease> {
  if (version === undefined && integration.current_release) return integration.current_release;
  const releases = await client.listIntegrationReleases(integration.id);
  const found = version === undefined ? releases[0] : releases.find((r) => r.version === version);
  if (!found) {
    throw new UsageError(
      `${integration.id} has no release ${version ?? ''}.`.replace(' .', '.'),
      `See its releases with \`hookchain integrations show ${integration.id}\`.`,
    );
  }
  return found;
}

function fieldRows(ctx: AppContext, title: string, fields: IntegrationParam[]): void {
  const { c } = ctx.out;
  if (fields.length === 0) return;
  ctx.out.line(`  ${c.bold(title)}`);
  for (const f of fields) {
    const extra = [
      f.default_value === undefined ? c.yellow('required') : c.dim(`default ${f.default_value}`),
      ...(f.options ? [c.dim(`one of ${f.options.map((o) => o.value).join(', ')}`)] : []),
    ].join(', ');
    ctx.out.line(`    ${f.name.padEnd(22)}${f.label ?? ''} ${c.dim('—')} ${extra}`);
  }
}

export function registerIntegrations(program: Command, context: ContextFactory): void {
  const integrations = withExamples(
    program
      .command('integrations')
      .description('the integration catalog: publish (operator), list, install and upgrade'),
    'hookchain integrations publish examples/integrations/acme-chat-identity',
    'hookchain integrations install acme-chat-identity -s CHAT_SIGNING_SECRET="$SECRET" -c CHAT_REGION=eu',
  );

  withExamples(
    integrations
      .command('publish <dir>')
      .description(
        'operator: publish an integration’s directory (the first publish creates it, later ones add a release)',
      )
      .action(async (dir: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        let body: unknown;
        try {
          body = (await readIntegrationDir(resolve(ctx.runtime.cwd, dir))).body;
        } catch (error) {
          if (error instanceof HookchainError)
            throw new UsageError(
              `${dir}: ${error.message}`,
              'Fix the integration’s files and publish again.',
            );
          throw error;
        }
        const published = await (await ctx.operatorClient()).publishIntegration(body);
        ctx.out.data(published);
        const version = published.current_release?.version ?? published.latest_version;
        ctx.out.line(`Published ${published.id} release ${version}.`);
        ctx.out.note(
          ctx.out.c.dim(
            version > 1
              ? 'Installed actions keep their release until a tenant runs `hookchain integrations upgrade <action>`.'
              : `Tenants install it with \`hookchain integrations install ${published.id}\`.`,
          ),
        );
      }),
    'hookchain integrations publish examples/integrations/acme-chat-identity',
  );

  withExamples(
    integrations
      .command('list')
      .alias('ls')
      .description('the catalog')
      .action(async (_options: unknown, command: Command) => {
        const ctx = context(command);
        const list = await (await readerClient(ctx)).listIntegrations();
        ctx.out.data(list);
        if (list.length === 0) {
          ctx.out.line(
            'The catalog is empty. An operator publishes with `hookchain integrations publish <dir>`.',
          );
          return;
        }
        const { c } = ctx.out;
        ctx.out.table(
          ['ID', 'NAME', 'TRIGGER', 'RELEASE', 'UPDATED'],
          list.map((i) => [
            i.id,
            i.name,
            i.supported_triggers[0]?.id ?? '',
            `v${i.latest_version}`,
            c.dim(when(i.updated_at)),
          ]),
        );
      }),
    'hookchain integrations list',
  );

  withExamples(
    integrations
      .command('show <id>')
      .description('an integration, its latest release’s secrets and configuration, and its releases')
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await readerClient(ctx);
        const [integration, releases] = await Promise.all([
          client.getIntegration(id),
          client.listIntegrationReleases(id),
        ]);
        ctx.out.data({ ...integration, releases });
        if (ctx.out.json) return;
        const { c } = ctx.out;
        ctx.out.line(`${c.bold(integration.name)} ${c.dim(`(${integration.id})`)}`);
        if (integration.short_description) ctx.out.line(`  ${integration.short_description}`);
        ctx.out.line(`  ${'Trigger'.padEnd(13)}${integration.supported_triggers[0]?.id ?? ''}`);
        if (integration.partner_id) ctx.out.line(`  ${'Partner'.padEnd(13)}${integration.partner_id}`);
        ctx.out.line(`  ${'Releases'.padEnd(13)}${releases.map((r) => `v${r.version}`).join(', ')}`);
        const latest = integration.current_release;
        if (latest) {
          fieldRows(ctx, 'Secrets', latest.required_secrets);
          fieldRows(ctx, 'Configuration', latest.required_configuration);
          if (latest.notes) ctx.out.line(`  ${c.bold('Notes')} ${latest.notes}`);
        }
      }),
    'hookchain integrations show acme-chat-identity',
  );

  withExamples(
    integrations
      .command('install <id>')
      .description('install a release as an action with your values; waits until it is live')
      .option('-n, --name <name>', 'the action’s name (default: the integration’s)')
      .option('-s, --secret <NAME=value>', 'secret (repeatable)', collect, [])
      .option('-c, --config <NAME=value>', 'configuration value (repeatable)', collect, [])
      .option('--version <n>', 'release to install (default: the latest)')
      .action(
        async (
          id: string,
          options: { name?: string; secret: string[]; config: string[]; version?: string },
          command: Command,
        ) => {
          const ctx = context(command);
          const client = await ctx.client();
          const secrets = parseValues(options.secret, '--secret');
          const configuration = parseValues(options.config, '--config');
          const version = options.version === undefined ? undefined : parseVersionNumber(options.version);
          const integration = await client.getIntegration(id);
          const target = await release(client, integration, version);
          await complete(
            ctx,
            missingFields(target, { secrets, configuration }),
            secrets,
            configuration,
            `${integration.id} v${target.version}`,
          );
          const installed = await client.installIntegration(integration.id, {
            ...(options.name ? { name: options.name } : {}),
            ...(version === undefined ? {} : { version }),
            secrets,
            configuration,
          });
          const progress = ctx.out.progress(
            `Installing ${installed.name} (${integration.id} v${target.version})…`,
          );
          let live: Action;
          try {
            live = await waitForDeployed(client, installed.id, 0);
          } catch (error) {
            progress.fail(`${installed.name} did not go live.`);
            throw error;
          }
          progress.succeed(
            `Installed ${live.name}: v${live.deployed_version?.number} is live. Bind it with \`hookchain bindings set ${target.trigger?.id ?? integration.supported_triggers[0]?.id ?? '<trigger>'} ... ${live.name}\`.`,
          );
          ctx.out.data(live);
        },
      ),
    'hookchain integrations install acme-chat-identity -s CHAT_SIGNING_SECRET="$SECRET" -c CHAT_REGION=eu',
    'hookchain integrations install acme-chat-identity --name chat-eu --version 1   # asks for the values on a terminal',
  );

  withExamples(
    integrations
      .command('upgrade <action>')
      .description(
        'move an installed action to a newer release (values carried over); waits until it is live',
      )
      .option('--version <n>', 'release to move to (default: the latest)')
      .option(
        '-s, --secret <NAME=value>',
        'secret: new ones the release asks for, or a change (repeatable)',
        collect,
        [],
      )
      .option('-c, --config <NAME=value>', 'configuration value (repeatable)', collect, [])
      .action(
        async (
          ref: string,
          options: { version?: string; secret: string[]; config: string[] },
          command: Command,
        ) => {
          const ctx = context(command);
          const client = await ctx.client();
          const action = await resolveAction(client, ref);
          if (!action.integration) {
            throw new UsageError(
              `${action.name} was not installed from an integration.`,
              'Change its code with `hookchain actions update`, then deploy.',
            );
          }
          const secrets = parseValues(options.secret, '--secret');
          const configuration = parseValues(options.config, '--config');
          const version = options.version === undefined ? undefined : parseVersionNumber(options.version);
          if (version === undefined || version !== action.integration.version) {
            const integration = await client.getIntegration(action.integration.id);
            const target = await release(client, integration, version);
            if (target.version !== action.integration.version) {
              const stored = {
                secrets: action.secrets.map((s) => s.name),
                configuration: Object.keys(action.configuration ?? {}),
              };
              await complete(
                ctx,
                missingFields(target, { secrets, configuration }, stored),
                secrets,
                configuration,
                `${integration.id} v${target.version}`,
              );
            }
          }
          const before = action.deployed_version?.number ?? 0;
          let upgraded: Action;
          try {
            upgraded = await client.upgradeAction(action.id, {
              ...(version === undefined ? {} : { version }),
              ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
              ...(Object.keys(configuration).length > 0 ? { configuration } : {}),
            });
          } catch (error) {
            if (error instanceof ApiError && error.errorCode === 'already_current') {
              ctx.out.data({
                upgraded: false,
                action: action.name,
                version: action.integration.version,
                message: error.message,
              });
              ctx.out.line(
                `Nothing to do: ${action.name} already runs ${action.integration.id} v${action.integration.version}.`,
              );
              return;
            }
            throw error;
          }
          const progress = ctx.out.progress(
            `Upgrading ${action.name} to ${action.integration.id} v${upgraded.integration?.version ?? '?'}…`,
          );
          let live: Action;
          try {
            live = await waitForDeployed(client, action.id, before);
          } catch (error) {
            progress.fail(`The upgrade of ${action.name} did not go live.`);
            throw error;
          }
          progress.succeed(
            `${live.name} runs ${action.integration.id} v${live.integration?.version ?? '?'}, live as v${live.deployed_version?.number}.`,
          );
          ctx.out.data(live);
        },
      ),
    'hookchain integrations upgrade acme-chat-identity',
    'hookchain integrations upgrade chat-eu --version 2 -c WIDGET_THEME=dark',
  );
}
