/** Every command's --help ends with examples: the fastest way to learn a command. */
import type { Command } from 'commander';

export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}
