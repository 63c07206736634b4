/**
 * `hookchain pull <dir>`: writes the server's actions and bindings as an actions-as-code project
 * (Auth0 Deploy CLI directory format). Pushing the result back changes nothing.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ContextFactory } from '../context.ts';
import { withExamples } from '../help.ts';
import { fetchRemote } from '../project/remote.ts';
import { writeProject } from '../project/write.ts';

export function registerPull(program: Command, context: ContextFactory): void {
  withExamples(
    program
      .command('pull <dir>')
      .description(
        'write the server’s actions, modules and bindings into <dir> as an actions-as-code project',
      )
      .action(async (dir: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const remote = await fetchRemote(client);
        const result = await writeProject(resolve(ctx.runtime.cwd, dir), remote);
        ctx.out.data({ dir, ...result });
        const { c } = ctx.out;
        ctx.out.line(
          `Pulled ${result.actions.length} action${result.actions.length === 1 ? '' : 's'}, ${result.modules.length} module${result.modules.length === 1 ? '' : 's'} and the bindings of every trigger into ${dir}.`,
        );
        ctx.out.note(
          c.dim(
            'Secret values are never pulled: each secret is written as "##NAME##", which keeps the server’s value on push; set NAME in the environment to push to a server that lacks it.',
          ),
        );
        for (const file of result.stale)
          ctx.out.warn(`${dir}/${file} is not on the server (left in place; delete it or push it).`);
      }),
    'hookchain pull ./tenant',
    'hookchain pull ./tenant && git -C ./tenant diff',
  );
}
