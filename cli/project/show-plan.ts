/** A push plan for people: one line per action or trigger that changes, then notes. */
import type { Output } from '../output.ts';
import { type ActionPlan, hasChanges, type ModulePlan, type Plan } from './diff.ts';

const names = (list: Array<{ action_name: string }>) =>
  list.length === 0 ? '(none)' : list.map((b) => b.action_name).join(', ');

function actionLine(out: Output, plan: ActionPlan, width: number): string {
  const { c } = out;
  const name = plan.name.padEnd(width);
  const deploy = plan.deploy ? c.cyan(' → deploy') : '';
  switch (plan.op) {
    case 'create':
      return `  ${c.green('+')} ${c.green(name)}  ${c.dim(plan.trigger)}${deploy}`;
    case 'update':
      return `  ${c.yellow('~')} ${c.yellow(name)}  ${plan.changes.join('; ')}${deploy}`;
    case 'deploy':
      return `  ${c.cyan('↑')} ${c.cyan(name)}  undeployed changes${deploy}`;
    case 'delete':
      return `  ${c.red('-')} ${c.red(name)}  ${c.dim('not in the project: delete')}`;
    default:
      return `    ${c.dim(name)}  ${c.dim('unchanged')}`;
  }
}

function moduleLine(out: Output, plan: ModulePlan, width: number): string {
  const { c } = out;
  const name = plan.name.padEnd(width);
  const publish = plan.publish ? c.cyan(` → publish v${plan.latest}`) : '';
  switch (plan.op) {
    case 'create':
      return `  ${c.green('+')} ${c.green(name)}  ${c.dim('new')}${publish}`;
    case 'update':
      return `  ${c.yellow('~')} ${c.yellow(name)}  ${plan.changes.join('; ')}${publish}`;
    case 'publish':
      return `  ${c.cyan('↑')} ${c.cyan(name)}  unpublished changes${publish}`;
    case 'delete':
      return `  ${c.red('-')} ${c.red(name)}  ${c.dim('not in the project: delete')}`;
    default:
      return `    ${c.dim(name)}  ${c.dim(`unchanged (v${plan.latest})`)}`;
  }
}

export function showPlan(out: Output, plan: Plan, options: { verbose?: boolean } = {}): void {
  const { c } = out;
  const modules = plan.modules.filter((m) => options.verbose || m.op !== 'unchanged');
  if (modules.length > 0) {
    const width = Math.max(0, ...modules.map((m) => m.name.length));
    out.line(c.bold('Modules'));
    for (const module of modules) out.line(moduleLine(out, module, width));
  }
  const shown = plan.actions.filter((a) => options.verbose || a.op !== 'unchanged');
  const width = Math.max(0, ...shown.map((a) => a.name.length));
  if (shown.length > 0) {
    out.line(c.bold('Actions'));
    for (const action of shown) out.line(actionLine(out, action, width));
  }
  const bindings = plan.bindings.filter((b) => options.verbose || b.changed);
  if (bindings.length > 0) {
    out.line(c.bold('Bindings'));
    for (const b of bindings) {
      out.line(
        b.changed
          ? `  ${c.yellow('~')} ${b.trigger}: ${c.dim(names(b.current))} → ${names(b.desired)}`
          : `    ${c.dim(`${b.trigger}: ${names(b.current)}`)}`,
      );
    }
  }
  const unchanged = plan.actions.filter((a) => a.op === 'unchanged').length;
  if (!hasChanges(plan)) out.line(c.green('No changes.'));
  else if (!options.verbose && unchanged > 0)
    out.line(c.dim(`${unchanged} action${unchanged === 1 ? '' : 's'} unchanged.`));
  if (plan.untracked.length > 0) {
    out.note(
      c.dim(
        `On the server but not in the project (kept; --delete removes them): ${plan.untracked.join(', ')}`,
      ),
    );
  }
  for (const note of plan.notes) out.note(c.dim(note));
}
