/**
 * Operator commands: tenants, their tokens, and the async-trigger dead-letter queue. They use the
 * operator token (the local stack keeps it in .hookchain/operator.token, found automatically).
 */
import type { Command } from 'commander';
import type { ContextFactory } from '../context.ts';
import { UsageError } from '../errors.ts';
import { when } from '../format.ts';
import { withExamples } from '../help.ts';
import { durationMs } from '../logs/since.ts';

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

export function registerOperator(program: Command, context: ContextFactory): void {
  const tenants = withExamples(
    program.command('tenants').description('operator: list and create tenants'),
    'hookchain tenants create acme --name "Acme Inc."',
  );
  withExamples(
    tenants
      .command('list')
      .alias('ls')
      .description('list tenants')
      .action(async (_options: unknown, command: Command) => {
        const ctx = context(command);
        const list = await (await ctx.operatorClient()).listTenants();
        ctx.out.data(list);
        ctx.out.table(
          ['ID', 'NAME', 'CREATED'],
          list.map((t) => [t.id, t.name, when(t.created_at)]),
        );
      }),
    'hookchain tenants list',
  );
  withExamples(
    tenants
      .command('create <id>')
      .description('create a tenant (then issue it a token with `hookchain tokens create`)')
      .option('-n, --name <name>', 'display name')
      .action(async (id: string, options: { name?: string }, command: Command) => {
        const ctx = context(command);
        const tenant = await (await ctx.operatorClient()).createTenant(id, options.name);
        ctx.out.data(tenant);
        ctx.out.line(
          `Created tenant ${tenant.id}. Issue it a token: hookchain tokens create ${tenant.id} --name ci`,
        );
      }),
    'hookchain tenants create acme --name "Acme Inc."',
  );

  const tokens = withExamples(
    program.command('tokens').description('operator: issue, list and revoke tenant API tokens'),
    'hookchain tokens create acme --name ci --scope read:actions,update:actions',
  );
  withExamples(
    tokens
      .command('list <tenant>')
      .alias('ls')
      .description('list a tenant’s tokens (their values are never shown again)')
      .action(async (tenant: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const list = await (await ctx.operatorClient()).listTokens(tenant);
        ctx.out.data(list);
        const { c } = ctx.out;
        ctx.out.table(
          ['NAME', 'SCOPES', 'CREATED', 'ID'],
          list.map((t) => [t.name, t.scopes.join(' '), when(t.created_at), c.dim(t.id)]),
        );
      }),
    'hookchain tokens list acme',
  );
  withExamples(
    tokens
      .command('create <tenant>')
      .description('issue a token (shown once: store it now)')
      .requiredOption('-n, --name <name>', 'what the token is for, e.g. ci')
      .option(
        '--scope <scopes>',
        'scope, repeatable or comma-separated (default: all tenant scopes)',
        collect,
        [],
      )
      .option('--expires-in <duration>', 'lifetime, e.g. 12h, 30d or 52w (default: no expiry)')
      .action(
        async (
          tenant: string,
          options: { name: string; scope: string[]; expiresIn?: string },
          command: Command,
        ) => {
          const ctx = context(command);
          const expiresIn = options.expiresIn === undefined ? undefined : expiresInSeconds(options.expiresIn);
          const issued = await (await ctx.operatorClient()).createToken(
            tenant,
            options.name,
            options.scope,
            expiresIn,
          );
          ctx.out.data(issued);
          const { c } = ctx.out;
          ctx.out.line(`${issued.token}`);
          ctx.out.note(
            c.dim(
              `Token '${issued.name}' for ${issued.tenant_id} (${issued.scopes.join(' ')})${issued.expires_at ? `, expires ${issued.expires_at}` : ''}. It is shown only this once.`,
            ),
          );
        },
      ),
    'hookchain tokens create acme --name ci',
    'hookchain tokens create acme --name deploy-bot --expires-in 30d',
    'hookchain tokens create acme --name reader --scope read:actions --scope read:logs',
  );
  withExamples(
    tokens
      .command('revoke <tenant> <tokenId>')
      .description('revoke a token at once')
      .action(async (tenant: string, tokenId: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        await (await ctx.operatorClient()).revokeToken(tenant, tokenId);
        ctx.out.data({ revoked: tokenId });
        ctx.out.line(`Revoked ${tokenId}.`);
      }),
    'hookchain tokens revoke acme 3f9a...',
  );

  const queues = withExamples(
    program.command('queues').description('operator: the async-trigger queue'),
    'hookchain queues redrive',
  );
  withExamples(
    queues
      .command('redrive')
      .description('move failed async executions from the dead-letter queue back to the trigger queue')
      .action(async (_options: unknown, command: Command) => {
        const ctx = context(command);
        const { moved } = await (await ctx.operatorClient()).redriveTriggers();
        ctx.out.data({ moved });
        ctx.out.line(`Moved ${moved} message${moved === 1 ? '' : 's'} back to the trigger queue.`);
      }),
    'hookchain queues redrive',
  );
}

/** `--expires-in`: a duration, whole seconds for the API. */
function expiresInSeconds(value: string): number {
  const ms = durationMs(value);
  if (ms === undefined || ms < 1000) {
    throw new UsageError(
      `--expires-in '${value}' is not a duration.`,
      'Use a duration such as 12h, 30d or 52w.',
    );
  }
  return Math.round(ms / 1000);
}
