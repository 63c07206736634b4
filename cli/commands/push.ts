/**
 * `hookchain push <dir>`: deploys an actions-as-code project (Auth0 Deploy CLI directory format).
 * It reads the project, compares it with the server, shows the plan (`--dry-run` stops there),
 * then publishes modules, saves, builds, deploys and binds — waiting for each step, so one run
 * is enough.
 */
import type { Command } from 'commander';
import type { ContextFactory } from '../context.ts';
import { UsageError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { applyPlan } from '../project/apply.ts';
import { loadDeployConfig } from '../project/config.ts';
import { computePlan, hasChanges, type Plan } from '../project/diff.ts';
import { KeywordResolver } from '../project/keywords.ts';
import { readProject } from '../project/read.ts';
import { fetchRemote } from '../project/remote.ts';
import { showPlan } from '../project/show-plan.ts';

interface PushFlags {
  dryRun?: boolean;
  delete?: boolean;
  updateSecrets?: boolean;
  config?: string;
  verbose?: boolean;
}

/** The plan as --json shows it: no request bodies (they hold code and secret values). */
export function planSummary(plan: Plan) {
  return {
    changes: hasChanges(plan),
    modules: plan.modules.map(({ body: _body, ...rest }) => rest),
    actions: plan.actions.map(({ body: _body, ...rest }) => rest),
    bindings: plan.bindings,
    untracked: plan.untracked,
    notes: plan.notes,
    errors: plan.errors,
  };
}

export function registerPush(program: Command, context: ContextFactory): void {
  withExamples(
    program
      .command('push <dir>')
      .description(
        'deploy an actions-as-code project (Auth0 Deploy CLI directory format): diff, build, deploy, bind',
      )
      .option('--dry-run', 'show what would change, change nothing')
      .option(
        '--delete',
        'delete server actions and modules the project does not list (AUTH0_ALLOW_DELETE=true works too)',
      )
      .option('--update-secrets', 're-send secret values the server already has (values cannot be compared)')
      .option(
        '-c, --config <file>',
        'Auth0 Deploy CLI config file for keyword mappings (default: <dir>/config.json if present)',
      )
      .option('--verbose', 'list unchanged actions and bindings too')
      .action(async (dir: string, options: PushFlags, command: Command) => {
        const ctx = context(command);
        const { env, cwd } = ctx.runtime;
        const { c } = ctx.out;
        const config = await loadDeployConfig(dir, options.config, env, cwd);
        if (config.file) ctx.out.note(c.dim(`Using keyword mappings and settings from ${config.file}.`));
        const project = await readProject(dir, cwd, {
          keywords: new KeywordResolver({
            env,
            ...(config.mappings ? { fileMappings: config.mappings } : {}),
          }),
          excluded: config.excluded,
        });
        for (const warning of project.warnings) ctx.out.warn(warning);
        const client = await ctx.client();
        const remote = await fetchRemote(client);
        const plan = computePlan(project, remote, {
          allowDelete: Boolean(options.delete) || config.allowDelete,
          updateSecrets: Boolean(options.updateSecrets),
        });
        if (plan.errors.length > 0) {
          if (ctx.out.json) ctx.out.data({ dry_run: Boolean(options.dryRun), ...planSummary(plan) });
          throw new UsageError(
            `${dir} cannot be pushed:\n${plan.errors.map((e) => `  - ${e}`).join('\n')}`,
            'Nothing was changed. Fix the project and push again.',
          );
        }
        if (!ctx.out.json) showPlan(ctx.out, plan, { verbose: Boolean(options.verbose) });
        if (options.dryRun || !hasChanges(plan)) {
          ctx.out.data({ dry_run: Boolean(options.dryRun), ...planSummary(plan) });
          if (options.dryRun && hasChanges(plan)) ctx.out.note(c.dim('Dry run: nothing was changed.'));
          return;
        }
        ctx.out.line();
        const result = await applyPlan(client, plan, ctx.out);
        ctx.out.data({ dry_run: false, ...planSummary(plan), applied: result });
        ctx.out.line(c.green(`Pushed ${dir}.`));
      }),
    'hookchain push examples/project',
    'hookchain push ./tenant --dry-run',
    'NAMESPACE=https://acme.test/ hookchain push ./tenant --delete',
    'AUTH0_KEYWORD_REPLACE_MAPPINGS=\'{"NAMESPACE":"https://acme.test/"}\' hookchain push ./tenant --json',
  );
}
