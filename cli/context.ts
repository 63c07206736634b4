/**
 * What every command needs: its output, and a client for the server the flags, environment,
 * profile or local stack point at (resolved lazily, so `--help` and `login` need no server).
 */
import type { Command } from 'commander';
import { HookchainClient } from '../shared/client/index.ts';
import { CliError } from './errors.ts';
import { Output } from './output.ts';
import { type Connection, configPath, findLocalStack, loadConfig, resolveConnection } from './profile.ts';

export interface GlobalOptions {
  url?: string;
  token?: string;
  operatorToken?: string;
  profile?: string;
  json?: boolean;
  color?: boolean;
}

/** The process's surroundings, read once in main.ts (no other module reads process.env). */
export interface Runtime {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class AppContext {
  readonly out: Output;
  readonly opts: GlobalOptions;

  constructor(
    readonly runtime: Runtime,
    command: Command,
  ) {
    this.opts = command.optsWithGlobals<GlobalOptions>();
    this.out = new Output({
      json: Boolean(this.opts.json),
      color: this.opts.color !== false,
      env: runtime.env,
    });
  }

  get configFile(): string {
    return configPath(this.runtime.env);
  }

  async connection(): Promise<Connection> {
    const { env, cwd } = this.runtime;
    const connection = resolveConnection({
      flags: {
        ...(this.opts.url ? { url: this.opts.url } : {}),
        ...(this.opts.token ? { token: this.opts.token } : {}),
        ...(this.opts.operatorToken ? { operatorToken: this.opts.operatorToken } : {}),
        ...(this.opts.profile ? { profile: this.opts.profile } : {}),
      },
      env,
      config: await loadConfig(this.configFile),
      local: findLocalStack(cwd, env),
    });
    if (!connection) {
      throw new CliError(
        'No Hookchain server is configured.',
        'Start the local stack with `npm start` in the Hookchain repository (the CLI finds its .hookchain/local.json), or run `hookchain login --url <url> --token <token>`.',
      );
    }
    return connection;
  }

  /** A client with the tenant token. */
  async client(): Promise<HookchainClient> {
    const connection = await this.connection();
    if (!connection.token) {
      throw new CliError(
        `No token for ${connection.url} (from ${connection.source}).`,
        'Run `hookchain login --url <url> --token <token>`, or set HOOKCHAIN_TOKEN.',
      );
    }
    return new HookchainClient({ url: connection.url, token: connection.token });
  }

  /** A client with the operator token (tenants, tokens, queues). */
  async operatorClient(): Promise<HookchainClient> {
    const connection = await this.connection();
    if (!connection.operatorToken) {
      throw new CliError(
        `No operator token for ${connection.url}.`,
        'Pass --operator-token, set HOOKCHAIN_OPERATOR_TOKEN, or `hookchain login --operator-token <token>`. The local stack keeps its operator token in .hookchain/operator.token.',
      );
    }
    return new HookchainClient({ url: connection.url, token: connection.operatorToken });
  }
}

/** Builds a command's context from the commander object its action received. */
export type ContextFactory = (command: Command) => AppContext;
