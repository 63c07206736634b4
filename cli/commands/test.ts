/**
 * `hookchain test <action>`: runs an action's draft (never a live version) on an event, and shows
 * what it would do: commands, console output, error. Exit code 1 when it denies or throws.
 */
import type { Command } from 'commander';
import { waitForBuild } from '../../shared/client/index.ts';
import type { ContextFactory } from '../context.ts';
import { EXIT } from '../errors.ts';
import { loadEvent } from '../event-file.ts';
import { outcomeStatus } from '../format.ts';
import { withExamples } from '../help.ts';
import { resolveAction } from '../resolve.ts';
import { describeFields, failedOutcome, pruneEmpty } from './outcome.ts';

export function registerTest(program: Command, context: ContextFactory): void {
  withExamples(
    program
      .command('test <action>')
      .description(
        'run an action’s draft on an event and show its commands, logs and errors (exit 1 on deny or error)',
      )
      .option('-e, --event <file>', 'event JSON file, or - for stdin (default: the trigger’s sample event)')
      .action(async (ref: string, options: { event?: string }, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        let action = await resolveAction(client, ref);
        const trigger = action.supported_triggers[0]?.id ?? 'post-login';
        const { event, source } = await loadEvent(options.event, trigger, ctx.runtime.cwd);
        if (!options.event)
          ctx.out.note(ctx.out.c.dim(`Using ${source} (pass --event <file> for your own).`));
        if (action.status !== 'built') {
          const progress = ctx.out.progress(`Waiting for ${action.name} to build…`);
          try {
            action = await waitForBuild(client, action.id);
          } finally {
            progress.stop();
          }
        }
        const { payload } = await client.testAction(action.id, event);
        ctx.out.data(payload);
        const { c } = ctx.out;
        const ms = payload.stats?.total_request_duration_ms;
        ctx.out.line(
          `${c.bold(action.name)} (draft) → ${outcomeStatus(c, payload.error ? 'failed' : payload.status)}${ms === undefined ? '' : c.dim(`  ${ms} ms`)}`,
        );
        if (payload.logs.length > 0) {
          ctx.out.line(c.bold('Logs'));
          for (const log of payload.logs) {
            ctx.out.line(`  ${log.level === 'error' ? c.red(log.level) : c.dim(log.level)} ${log.message}`);
          }
        }
        if (payload.commands.length > 0) {
          ctx.out.line(c.bold('Commands'));
          for (const command of payload.commands as Array<{ type?: string }>) {
            const { type, ...args } = command;
            ctx.out.line(`  ${c.cyan(type ?? '?')} ${JSON.stringify(args)}`);
          }
        }
        const result = describeFields(c, pruneEmpty(payload.result));
        if (result.length > 0) {
          ctx.out.line(c.bold('Result'));
          for (const line of result) ctx.out.line(line);
        }
        if (payload.error) {
          ctx.out.line(c.red(`${payload.error.name ?? 'Error'}: ${payload.error.message}`));
          if (payload.error.stack) ctx.out.line(c.dim(payload.error.stack));
        }
        if (payload.error || failedOutcome(payload.status)) process.exitCode = EXIT.outcome;
      }),
    'hookchain test add-roles-claim --event examples/project/events/post-login.json',
    'hookchain test add-roles-claim            # with the trigger’s sample event',
  );
}
