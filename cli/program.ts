/** The `hookchain` command tree: global options, every command group, usage errors exit 2. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerActions } from './commands/actions.ts';
import { registerBindings } from './commands/bindings.ts';
import { registerDev } from './commands/dev.ts';
import { registerExecutions } from './commands/executions.ts';
import { registerIntegrations } from './commands/integrations.ts';
import { registerInvoke } from './commands/invoke.ts';
import { registerLogin } from './commands/login.ts';
import { registerLogs } from './commands/logs.ts';
import { registerModules } from './commands/modules.ts';
import { registerOperator } from './commands/operator.ts';
import { registerPull } from './commands/pull.ts';
import { registerPush } from './commands/push.ts';
import { registerTest } from './commands/test.ts';
import { registerVersions } from './commands/versions.ts';
import { AppContext, type ContextFactory, type Runtime } from './context.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(runtime: Runtime): Command {
  const program = new Command('hookchain')
    .description(
      'Manage, run and watch Hookchain actions: Auth0-compatible Actions on your own infrastructure.',
    )
    .version(version, '-v, --version')
    .option(
      '--url <url>',
      'Hookchain API URL (env HOOKCHAIN_URL; default: the saved profile, else the local stack)',
    )
    .option('--token <token>', 'tenant API token (env HOOKCHAIN_TOKEN)')
    .option(
      '--operator-token <token>',
      'operator token for tenants, tokens and integrations publish (env HOOKCHAIN_OPERATOR_TOKEN)',
    )
    .option('--profile <name>', 'saved profile to use (env HOOKCHAIN_PROFILE)')
    .option('--json', 'print machine-readable JSON instead of tables')
    .option('--no-color', 'disable colours (NO_COLOR works too)')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Where the CLI connects: --url/--token, else HOOKCHAIN_URL/HOOKCHAIN_TOKEN, else the profile saved
by \`hookchain login\`, else the local stack started with \`npm start\` (.hookchain/local.json).

Examples:
  $ npm start                                   # in one terminal: the local stack
  $ hookchain push examples/project             # deploy an actions-as-code project
  $ hookchain invoke post-login --event examples/project/events/post-login.json
  $ hookchain logs tail --follow`,
    );
  const context: ContextFactory = (command) => new AppContext(runtime, command);
  registerLogin(program, context);
  registerDev(program, context);
  registerActions(program, context);
  registerVersions(program, context);
  registerModules(program, context);
  registerIntegrations(program, context);
  registerBindings(program, context);
  registerTest(program, context);
  registerInvoke(program, context);
  registerExecutions(program, context);
  registerLogs(program, context);
  registerPush(program, context);
  registerPull(program, context);
  registerOperator(program, context);
  // Usage errors exit 2 (commander's default is 1, which the CLI keeps for denied/failed outcomes).
  const exitTwo = (command: Command) => {
    command.exitOverride((error) => {
      throw error;
    });
    for (const sub of command.commands) exitTwo(sub);
  };
  exitTwo(program);
  return program;
}
