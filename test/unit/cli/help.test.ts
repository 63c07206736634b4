/** Every command documents itself with an example, as the issue asks. */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/program.ts';

function leaves(command: Command, path: string[] = []): Array<[string, Command]> {
  const here = [...path, command.name()];
  if (command.commands.length === 0) return [[here.join(' '), command]];
  return [
    [here.join(' '), command] as [string, Command],
    ...command.commands.flatMap((c) => leaves(c, here)),
  ];
}

describe('--help', () => {
  const program = buildProgram({ env: {}, cwd: process.cwd() });
  const commands = leaves(program);

  it('covers the commands the issue lists', () => {
    const names = commands.map(([name]) => name);
    for (const expected of [
      'hookchain login',
      'hookchain dev',
      'hookchain actions list',
      'hookchain actions rollback',
      'hookchain versions list',
      'hookchain bindings set',
      'hookchain test',
      'hookchain invoke',
      'hookchain executions show',
      'hookchain logs tail',
      'hookchain push',
      'hookchain pull',
      'hookchain tenants create',
      'hookchain tokens create',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(commands.filter(([name]) => !name.endsWith(' help')))('%s has examples', (_name, command) => {
    let help = '';
    command.configureOutput({ writeOut: (text) => (help += text), writeErr: (text) => (help += text) });
    command.outputHelp();
    expect(help).toMatch(/Examples:\n {2}\$ (npm start|hookchain|[A-Z_]+=|cat )/);
  });
});
