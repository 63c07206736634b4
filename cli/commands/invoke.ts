/**
 * `hookchain invoke <trigger>`: runs the trigger's bound chain exactly as the identity service
 * would, and prints the combined outcome. Exit code 1 when the outcome is a deny or a failure, so
 * scripts can assert on it.
 */
import type { Command } from 'commander';
import type { Execution, HookchainClient } from '../../shared/client/index.ts';
import { isTriggerId, TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import type { AppContext, ContextFactory } from '../context.ts';
import { CliError, EXIT, UsageError } from '../errors.ts';
import { loadEvent } from '../event-file.ts';
import { outcomeStatus } from '../format.ts';
import { withExamples } from '../help.ts';
import { describeOutcome, failedOutcome } from './outcome.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerInvoke(program: Command, context: ContextFactory): void {
  withExamples(
    program
      .command('invoke <trigger>')
      .description('run a trigger’s chain with an event and print the outcome (exit 1 on deny or failure)')
      .option('-e, --event <file>', 'event JSON file, or - for stdin (default: the trigger’s sample event)')
      .option('--wait', 'async triggers: wait until the execution has run')
      .action(async (trigger: string, options: { event?: string; wait?: boolean }, command: Command) => {
        const ctx = context(command);
        if (!isTriggerId(trigger)) {
          throw new UsageError(`Unknown trigger '${trigger}'.`, `Triggers: ${TRIGGER_IDS.join(', ')}.`);
        }
        const { event, source } = await loadEvent(options.event, trigger, ctx.runtime.cwd);
        if (!options.event)
          ctx.out.note(ctx.out.c.dim(`Using ${source} (pass --event <file> for your own).`));
        const client = await ctx.client();
        const { status, body } = await client.execute(trigger, event);
        const { c } = ctx.out;
        if (status === 202) {
          if (!options.wait) {
            ctx.out.data(body);
            ctx.out.line(
              `${c.bold(trigger)} → ${c.yellow('queued')}  ${c.dim(`execution ${body.execution_id}`)}`,
            );
            ctx.out.note(
              c.dim(`Follow it with \`hookchain executions show ${body.execution_id}\` (or pass --wait).`),
            );
            return;
          }
          const execution = await waitForExecution(ctx, client, body.execution_id);
          ctx.out.data(execution);
          ctx.out.line(
            `${c.bold(trigger)} → ${outcomeStatus(c, execution.status)}  ${c.dim(`execution ${execution.id}`)}`,
          );
          for (const r of execution.results) {
            ctx.out.line(
              `  ${r.error ? c.red('✖') : c.green('✔')} ${r.action_name}${r.error ? `: ${r.error.msg}` : ''}`,
            );
          }
          if (execution.results.some((r) => r.error)) process.exitCode = EXIT.outcome;
          return;
        }
        ctx.out.data(body);
        for (const line of describeOutcome(c, trigger, body)) ctx.out.line(line);
        ctx.out.note(c.dim(`Logs: hookchain logs tail --execution ${body.execution_id}`));
        if (failedOutcome(body.status)) process.exitCode = EXIT.outcome;
      }),
    'hookchain invoke post-login --event examples/project/events/post-login.json',
    'hookchain invoke post-login --event blocked-login.json || echo "denied"',
    'cat event.json | hookchain invoke pre-user-registration --event - --json',
    'hookchain invoke post-user-registration --wait',
  );
}

async function waitForExecution(ctx: AppContext, client: HookchainClient, id: string): Promise<Execution> {
  const progress = ctx.out.progress('Waiting for the async worker…');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const execution = await client.getExecution(id);
    if (execution.status !== 'pending') {
      progress.stop();
      return execution;
    }
    if (Date.now() > deadline) {
      progress.fail('Still pending after 60 s.');
      throw new CliError(
        `Execution ${id} is still pending.`,
        `Check later with \`hookchain executions show ${id}\`.`,
      );
    }
    await sleep(250);
  }
}
