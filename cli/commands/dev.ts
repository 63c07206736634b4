/**
 * `hookchain dev`: the local stack in the foreground, exactly what `npm start` runs. Ctrl-C
 * reaches the stack directly (same process group); the CLI waits for it to stop cleanly.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { ContextFactory } from '../context.ts';
import { withExamples } from '../help.ts';

const ENTRY = fileURLToPath(new URL('../../infra/local/main.ts', import.meta.url));

export function registerDev(program: Command, context: ContextFactory): void {
  withExamples(
    program
      .command('dev')
      .description('run the whole platform on this machine (same as `npm start`)')
      .option('-p, --port <port>', 'API port (env PORT, default 3000)')
      .option('--state-dir <dir>', 'where state is kept (env HOOKCHAIN_STATE_DIR, default .hookchain)')
      .option('--log-level <level>', 'debug, info, warn, error or silent (env HOOKCHAIN_LOG_LEVEL)')
      .action(async (options: { port?: string; stateDir?: string; logLevel?: string }, command: Command) => {
        const ctx = context(command);
        const env = {
          ...ctx.runtime.env,
          ...(options.port ? { PORT: options.port } : {}),
          ...(options.stateDir ? { HOOKCHAIN_STATE_DIR: options.stateDir } : {}),
          ...(options.logLevel ? { HOOKCHAIN_LOG_LEVEL: options.logLevel } : {}),
        };
        const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), ENTRY], {
          cwd: ctx.runtime.cwd,
          env,
          stdio: 'inherit',
        });
        // The terminal sends Ctrl-C to the stack as well: stay alive until it has stopped.
        const ignore = () => {};
        process.on('SIGINT', ignore);
        const forward = () => child.kill('SIGTERM');
        process.once('SIGTERM', forward);
        const code = await new Promise<number>((resolve) => {
          child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
        });
        process.off('SIGINT', ignore);
        process.off('SIGTERM', forward);
        process.exitCode = code;
      }),
    'hookchain dev',
    'hookchain dev --port 4000 --state-dir /tmp/hookchain',
  );
}
