/** `hookchain executions show <id>`: one execution's status and per-action results. */
import type { Command } from 'commander';
import type { ContextFactory } from '../context.ts';
import { outcomeStatus, when } from '../format.ts';
import { withExamples } from '../help.ts';

export function registerExecutions(program: Command, context: ContextFactory): void {
  const executions = withExamples(
    program.command('executions').description('recorded trigger executions (kept 10 days)'),
    'hookchain executions show 01J8Z3K5W7Q2N4M6P8R0T2V4X6',
  );
  withExamples(
    executions
      .command('show <id>')
      .description('show an execution: status, and each action’s result and timing')
      .action(async (id: string, _options: unknown, command: Command) => {
        const ctx = context(command);
        const client = await ctx.client();
        const execution = await client.getExecution(id);
        ctx.out.data(execution);
        const { c } = ctx.out;
        ctx.out.line(
          `${c.bold(execution.trigger_id)} → ${outcomeStatus(c, execution.status)}  ${c.dim(`execution ${execution.id}, ${when(execution.created_at)}`)}`,
        );
        ctx.out.table(
          ['ACTION', 'RESULT', 'MS', 'STARTED'],
          execution.results.map((r) => [
            r.action_name,
            r.error ? c.red(`${r.error.id}: ${r.error.msg}`) : c.green('ok'),
            String(r.response?.stats?.total_request_duration_ms ?? ''),
            when(r.started_at),
          ]),
        );
        if (execution.results.length === 0) ctx.out.line(c.dim('  (no action ran)'));
      }),
    'hookchain executions show 01J8Z3K5W7Q2N4M6P8R0T2V4X6',
    'hookchain executions show 01J8Z3K5W7Q2N4M6P8R0T2V4X6 --json',
  );
}
