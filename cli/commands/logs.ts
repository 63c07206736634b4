/**
 * `hookchain logs tail`: the tenant's action logs, one line per console line or error, with
 * `--follow` to keep watching (new lines appear within about half a second of being written).
 */
import type { Command } from 'commander';
import { isTriggerId, TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import type { ContextFactory } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { formatRun } from '../logs/format.ts';
import { parseSince } from '../logs/since.ts';
import { tailLogs } from '../logs/tail.ts';

interface TailFlags {
  follow?: boolean;
  action?: string;
  trigger?: string;
  execution?: string;
  since: string;
}

export function registerLogs(program: Command, context: ContextFactory): void {
  const logs = withExamples(
    program.command('logs').description('action logs: console output and errors of every run'),
    'hookchain logs tail --follow',
  );
  withExamples(
    logs
      .command('tail')
      .description('print recent action logs, one line per event; --follow keeps watching')
      .option('-f, --follow', 'keep printing new lines until Ctrl-C')
      .option('-a, --action <name>', 'only this action')
      .option('-t, --trigger <trigger>', 'only this trigger')
      .option('-x, --execution <id>', 'only this execution')
      .option('-s, --since <when>', 'start from a duration ago (30s, 10m, 1h, 2d) or a date', '10m')
      .action(async (options: TailFlags, command: Command) => {
        const ctx = context(command);
        if (options.trigger && !isTriggerId(options.trigger)) {
          throw new UsageError(
            `Unknown trigger '${options.trigger}'.`,
            `Triggers: ${TRIGGER_IDS.join(', ')}.`,
          );
        }
        const since = parseSince(options.since);
        const client = await ctx.client();
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const { c } = ctx.out;
        if (options.follow) ctx.out.note(c.dim(`Following logs on ${client.url} (Ctrl-C to stop)…`));
        let printed = 0;
        try {
          for await (const event of tailLogs(client, {
            since,
            follow: Boolean(options.follow),
            signal: stop.signal,
            ...(options.action ? { action: options.action } : {}),
            ...(options.trigger ? { trigger: options.trigger } : {}),
            ...(options.execution ? { execution: options.execution } : {}),
          })) {
            printed++;
            if (ctx.out.json) ctx.out.ndjson(event);
            else for (const line of formatRun(c, event)) ctx.out.raw(`${line}\n`);
          }
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        if (printed === 0 && !options.follow) {
          ctx.out.note(
            c.dim(`No action ran since ${new Date(since).toISOString()}. Try --since 1h, or --follow.`),
          );
        }
      }),
    'hookchain logs tail --follow',
    'hookchain logs tail --action add-roles-claim --since 1h',
    'hookchain logs tail --follow --trigger post-login --json | jq .message',
  );
}
