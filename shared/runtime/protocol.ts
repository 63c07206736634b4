/**
 * The contract between the dispatcher and an action-version Lambda (DESIGN §4.4). The wrapper
 * never throws across it: every failure of the tenant's code comes back as `error`. The dispatcher
 * validates responses with `invocationResultSchema`, since tenant code shares the wrapper's process.
 */
import { z } from 'zod';
import type { CacheOp, CacheSnapshot } from '../triggers/cache.ts';
import type { Command, JsonObject } from '../triggers/framework.ts';
import type { TriggerId } from '../triggers/ids.ts';

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';

export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Epoch milliseconds. */
  at: number;
}

/** Why an action failed, in Auth0's `error_class` vocabulary. */
export type ErrorClass = 'action_error' | 'action_timeout' | 'platform_error' | 'rate_limited';

export interface ActionError {
  class: ErrorClass;
  name: string;
  message: string;
  stack?: string;
}

export interface ActionInvocation {
  trigger: TriggerId;
  /** The handler export to call, e.g. `onExecutePostLogin` or `onContinuePostLogin`. */
  entrypoint: string;
  event: JsonObject;
  secrets: Record<string, string>;
  configuration: Record<string, string>;
  /** Secrets of the Actions Modules the version pins, by module name (`actions.secrets` inside each). */
  module_secrets?: Record<string, Record<string, string>>;
  cache: CacheSnapshot;
  /** Milliseconds this action may run: min(its own limit, what is left of the chain's budget). */
  deadline_ms: number;
  execution_id: string;
  /** The state of the suspended chain when resuming, checked by `api.redirect.validateToken`. */
  continue_state?: string;
}

export interface ActionInvocationResult {
  commands: Command[];
  cache_ops: CacheOp[];
  logs: LogEntry[];
  error?: ActionError;
  stats: { boot_ms: number; duration_ms: number };
}

const logLevel = z.enum(['log', 'info', 'warn', 'error', 'debug', 'trace']);

export const invocationResultSchema: z.ZodType<ActionInvocationResult> = z.object({
  commands: z.array(z.looseObject({ type: z.string() })),
  cache_ops: z.array(
    z.discriminatedUnion('op', [
      z.object({ op: z.literal('set'), key: z.string(), value: z.string(), expires_at: z.number() }),
      z.object({ op: z.literal('delete'), key: z.string() }),
    ]),
  ),
  logs: z.array(z.object({ level: logLevel, message: z.string(), at: z.number() })),
  error: z
    .object({
      class: z.enum(['action_error', 'action_timeout', 'platform_error', 'rate_limited']),
      name: z.string(),
      message: z.string(),
      stack: z.string().optional(),
    })
    .optional(),
  stats: z.object({ boot_ms: z.number(), duration_ms: z.number() }),
});
