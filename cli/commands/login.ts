/** `hookchain login | logout | status`: saved profiles, and where the CLI is pointed now. */
import type { Command } from 'commander';
import { HookchainClient } from '../../shared/client/index.ts';
import type { ContextFactory } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { removeProfile, saveProfile } from '../profile.ts';

export function registerLogin(program: Command, context: ContextFactory): void {
  withExamples(
    program
      .command('login')
      .description('save a server URL and token as a profile (checked against the server first)')
      .option('--no-verify', 'save without checking the token')
      .action(async (options: { verify: boolean }, command: Command) => {
        const ctx = context(command);
        const { env } = ctx.runtime;
        const url = ctx.opts.url ?? env.HOOKCHAIN_URL;
        const token = ctx.opts.token ?? env.HOOKCHAIN_TOKEN;
        const operatorToken = ctx.opts.operatorToken ?? env.HOOKCHAIN_OPERATOR_TOKEN;
        if (!url || (!token && !operatorToken)) {
          throw new UsageError(
            'login needs --url and --token (or HOOKCHAIN_URL and HOOKCHAIN_TOKEN).',
            'Example: hookchain login --url https://hookchain.example.com --token hc_...',
          );
        }
        if (options.verify && token) {
          // Any authenticated read proves the URL and the token; a 401 or no answer stops here.
          await new HookchainClient({ url, token }).listTriggers();
        }
        const name = ctx.opts.profile ?? env.HOOKCHAIN_PROFILE ?? 'default';
        await saveProfile(ctx.configFile, name, {
          url: url.replace(/\/+$/, ''),
          ...(token ? { token } : {}),
          ...(operatorToken ? { operator_token: operatorToken } : {}),
        });
        ctx.out.data({ profile: name, url, config: ctx.configFile });
        ctx.out.line(`Logged in to ${url} (profile '${name}', saved in ${ctx.configFile}).`);
      }),
    'hookchain login --url https://hookchain.example.com --token hc_xxx',
    'hookchain login --profile staging --url https://staging.example.com --token hc_yyy',
    'HOOKCHAIN_URL=http://127.0.0.1:3000 HOOKCHAIN_TOKEN=hc_xxx hookchain login',
  );

  withExamples(
    program
      .command('logout')
      .description('forget a saved profile')
      .action(async (_options: unknown, command: Command) => {
        const ctx = context(command);
        const name = ctx.opts.profile ?? ctx.runtime.env.HOOKCHAIN_PROFILE ?? 'default';
        const removed = await removeProfile(ctx.configFile, name);
        ctx.out.data({ profile: name, removed });
        ctx.out.line(removed ? `Removed profile '${name}'.` : `There was no profile '${name}'.`);
      }),
    'hookchain logout',
    'hookchain logout --profile staging',
  );

  withExamples(
    program
      .command('status')
      .description('show which server and token the CLI uses, and whether it answers')
      .action(async (_options: unknown, command: Command) => {
        const ctx = context(command);
        const connection = await ctx.connection();
        const client = await ctx.client();
        const triggers = await client.listTriggers();
        ctx.out.data({
          url: connection.url,
          source: connection.source,
          reachable: true,
          triggers: triggers.length,
        });
        ctx.out.line(`${ctx.out.c.green('✔')} ${connection.url} answers (from ${connection.source}).`);
      }),
    'hookchain status',
    'hookchain status --profile staging',
  );
}
