/** `hookchain versions list <action>`: the immutable versions an action has deployed. */
import type { Command } from 'commander';
import type { ContextFactory } from '../context.ts';
import { buildStatus, when } from '../format.ts';
import { withExamples } from '../help.ts';
import { resolveAction } from '../resolve.ts';

export function registerVersions(program: Command, context: ContextFactory): void {
  const versions = withExamples(
    program.command('versions').description('the deployed versions of an action'),
    'hookchain versions list add-roles-claim',
  );
  withExamples(
    versions
      .command('list <action>')
      .alias('ls')
      .description('list an action’s versions, newest first')
      .action(async (ref: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const action = await resolveAction(client, ref);
        const list = (await client.listVersions(action.id)).sort((a, b) => b.number - a.number);
        ctx.out.data(list);
        if (list.length === 0) {
          ctx.out.line(
            `${action.name} has no versions yet: deploy it with \`hookchain actions deploy ${JSON.stringify(action.name)}\`.`,
          );
          return;
        }
        const { c } = ctx.out;
        ctx.out.table(
          ['VERSION', 'BUILD', 'LIVE', 'CREATED', 'ID'],
          list.map((v) => [
            `v${v.number}`,
            buildStatus(c, v.status),
            v.deployed ? c.green('live') : '',
            when(v.created_at),
            c.dim(v.id),
          ]),
        );
      }),
    'hookchain versions list add-roles-claim',
    'hookchain versions list add-roles-claim --json',
  );
}
