/**
 * `hookchain`: the command-line interface to a Hookchain server (the local stack by default).
 * Exit codes: 0 ok, 1 the trigger denied or failed (invoke, test), 2 usage or API errors.
 */
import { CommanderError } from 'commander';
import type { Runtime } from './context.ts';
import { EXIT, explain } from './errors.ts';
import { Output } from './output.ts';
import { buildProgram } from './program.ts';

export async function main(argv: string[], runtime: Runtime): Promise<number> {
  const program = buildProgram(runtime);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with exit code 0; commander has already printed everything.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    const json = argv.includes('--json');
    const out = new Output({ json, color: !argv.includes('--no-color'), env: runtime.env });
    const explained = explain(error);
    if (explained) {
      out.error(explained.message, explained.hint);
      return explained.exitCode;
    }
    out.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return EXIT.error;
  }
}

process.exitCode = await main(process.argv, { env: process.env, cwd: process.cwd() });
