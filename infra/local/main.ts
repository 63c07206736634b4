/**
 * `npm start`: the whole platform on this machine. Reads its few settings from the environment
 * once (PORT, HOOKCHAIN_STATE_DIR, HOOKCHAIN_LOG_LEVEL), starts the stack, prints a banner and
 * stops everything cleanly on Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { type Fidelity, fidelityFromEnv } from './fidelity.ts';
import { type HookchainLocal, startHookchain } from './hookchain.ts';
import { manifestPath } from './local-manifest.ts';
import type { LogLevel } from './logger.ts';

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

interface MainConfig {
  fidelity: Fidelity;
  port: number;
  stateDir: string;
  logLevel: LogLevel;
}

function readConfig(env: NodeJS.ProcessEnv): MainConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  const logLevel = (env.HOOKCHAIN_LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new Error(`HOOKCHAIN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port,
    stateDir: env.HOOKCHAIN_STATE_DIR ?? '.hookchain',
    logLevel,
    fidelity: fidelityFromEnv(env),
  };
}

/** A path as the user would type it: relative inside the working directory, absolute outside. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function banner(stack: HookchainLocal, startedMs: number): string {
  const token = stack.bootstrap.created ? `${stack.bootstrap.token}   (new)` : stack.bootstrap.token;
  const dashboard = existsSync(join(stack.dashboardRoot, 'index.html'))
    ? '(sign in with the token below)'
    : '(not built yet: run npm run build:dashboard; sign in with the token below)';
  const row = (label: string, value: string) => `  ${label.padEnd(11)}${value}`;
  return [
    '',
    `  Hookchain local stack is up (${Math.round(startedMs)} ms)`,
    '',
    row('API', stack.url),
    row('Health', `${stack.origin}/health`),
    row('Metrics', `${stack.origin}/metrics   (per trigger and action, as CloudWatch would record them)`),
    row('Dashboard', `${stack.url}/dashboard/   ${dashboard}`),
    row('Tenant', stack.bootstrap.tenant),
    ...(stack.fidelity.mode === 'aws'
      ? [
          row(
            'Fidelity',
            `aws (the local stack imitates AWS where AWS is less kind; the API is under /${stack.fidelity.gateway.stage})`,
          ),
        ]
      : []),
    row('Token', token),
    row('Operator', `${shown(join(stack.stateDir, 'operator.token'))}   (manages tenants and tokens)`),
    row(
      'State',
      `${shown(stack.stateDir)}/   (URL, token and AWS endpoints in ${shown(manifestPath(stack.stateDir))})`,
    ),
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  // Local runs use Node 20, where the AWS SDK warns about its future end of support on every start.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = performance.now();
  let stack: HookchainLocal;
  try {
    stack = await startHookchain({
      port: config.port,
      stateDir: config.stateDir,
      logLevel: config.logLevel,
      fidelity: config.fidelity,
    });
  } catch (error) {
    process.stderr.write(`\n  Hookchain could not start: ${explain(error, config)}\n\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(banner(stack, performance.now() - started));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n  ${signal}: stopping…\n`);
    stack
      .stop()
      .then(
        () => process.stdout.write('  Stopped.\n'),
        (error: unknown) => {
          process.stderr.write(`  Stop failed: ${String(error)}\n`);
          process.exitCode = 1;
        },
      )
      // Everything we started is down; a timer left behind by a handler must not keep us running.
      .finally(() => setTimeout(() => process.exit(), 500).unref());
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function explain(error: unknown, config: MainConfig): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE')
    return `port ${config.port} is in use. Stop the other process or set PORT=<free port>.`;
  const message = error instanceof Error ? error.message : String(error);
  if (/LOCK|lock/.test(message)) {
    return `the state in ${config.stateDir}/ is in use by another Hookchain stack. Stop it first, or set HOOKCHAIN_STATE_DIR.`;
  }
  return error instanceof Error ? (error.stack ?? message) : message;
}

await main();
