/** `hookchain bindings show [trigger] | set <trigger> [action...]`: the ordered chain of a trigger. */
import type { Command } from 'commander';
import { isTriggerId, TRIGGER_IDS } from '../../shared/triggers/ids.ts';
import type { ContextFactory } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';

function checkTrigger(trigger: string): void {
  if (!isTriggerId(trigger))
    throw new UsageError(`Unknown trigger '${trigger}'.`, `Triggers: ${TRIGGER_IDS.join(', ')}.`);
}

export function registerBindings(program: Command, context: ContextFactory): void {
  const bindings = withExamples(
    program.command('bindings').description('which actions run at each trigger, in order'),
    'hookchain bindings show',
    'hookchain bindings set post-login block-email-domain add-roles-claim',
  );

  withExamples(
    bindings
      .command('show [trigger]')
      .description('show the chain of one trigger, or of all of them')
      .action(async (trigger: string | undefined, _options: unknown, command: Command) => {
        const ctx = context(command);
        if (trigger) checkTrigger(trigger);
        const client = await ctx.client();
        const triggers = trigger ? [trigger] : [...TRIGGER_IDS];
        const chains = await Promise.all(
          triggers.map(async (t) => ({ trigger: t, bindings: await client.getBindings(t) })),
        );
        ctx.out.data(
          Object.fromEntries(
            chains.map((chain) => [
              chain.trigger,
              chain.bindings.map((b) => ({
                action_name: b.action.name,
                action_id: b.action.id,
                display_name: b.display_name,
                version: b.action.deployed_version?.number,
              })),
            ]),
          ),
        );
        const { c } = ctx.out;
        for (const chain of chains) {
          if (!trigger && chain.bindings.length === 0) continue;
          ctx.out.line(c.bold(chain.trigger));
          if (chain.bindings.length === 0) ctx.out.line(c.dim('  (nothing bound)'));
          chain.bindings.forEach((b, i) => {
            const version = b.action.deployed_version?.number;
            const label =
              b.display_name && b.display_name !== b.action.name ? c.dim(` (${b.display_name})`) : '';
            ctx.out.line(`  ${i + 1}. ${b.action.name}${label} ${c.dim(version ? `v${version}` : '')}`);
          });
        }
        if (!trigger && chains.every((chain) => chain.bindings.length === 0)) {
          ctx.out.line(
            'No trigger has actions bound yet. Bind some with `hookchain bindings set <trigger> <action...>`.',
          );
        }
      }),
    'hookchain bindings show',
    'hookchain bindings show post-login --json',
  );

  withExamples(
    bindings
      .command('set <trigger> [actions...]')
      .description('replace a trigger’s chain with these deployed actions, in this order (none: unbind all)')
      .action(async (trigger: string, actions: string[], _options: unknown, command: Command) => {
        const ctx = context(command);
        checkTrigger(trigger);
        const client = await ctx.client();
        const result = await client.setBindings(
          trigger,
          actions.map((value) => ({ ref: { type: 'action_name', value } })),
        );
        ctx.out.data(result.map((b) => ({ action_name: b.action.name, display_name: b.display_name })));
        ctx.out.line(
          result.length > 0
            ? `${trigger}: ${result.map((b) => b.action.name).join(' → ')}`
            : `${trigger}: nothing bound.`,
        );
      }),
    'hookchain bindings set post-login block-email-domain add-roles-claim log-login',
    'hookchain bindings set post-login            # unbind everything',
  );
}
