/** The chain executor's vocabulary: what runs, what each run produced, and the combined outcome. */
import type {
  ActionError,
  ActionInvocation,
  ActionInvocationResult,
  ErrorClass,
  LogEntry,
} from '../runtime/protocol.ts';
import type { CacheSnapshot } from '../triggers/cache.ts';
import type { Command, JsonObject } from '../triggers/framework.ts';
import type { TriggerId } from '../triggers/ids.ts';

/** One bound action, resolved to the version that serves it. */
export interface ChainAction {
  id: string;
  name: string;
  version_id?: string;
  version_number?: number;
  /** The action's own limit; it gets min(this, what is left of the chain's budget). */
  timeout_ms?: number;
  secrets?: Record<string, string>;
  configuration?: Record<string, string>;
  /** Secrets of the modules the version pins, by module name. */
  module_secrets?: Record<string, Record<string, string>>;
}

/** Runs one action: in-process for the testing kit, a Lambda invoke on the platform. */
export type ActionRunner = (
  action: ChainAction,
  invocation: ActionInvocation,
) => Promise<ActionInvocationResult>;

export type ChainStatus = 'final' | 'denied' | 'suspended' | 'failed' | 'partial';

export interface ActionExecution {
  action_id: string;
  action_name: string;
  version_id?: string;
  entrypoint: string;
  /** Epoch milliseconds. */
  started_at: number;
  ended_at: number;
  duration_ms: number;
  commands: Command[];
  logs: LogEntry[];
  error: ActionError | null;
  stats: { boot_ms: number; duration_ms: number };
}

export interface ChainError {
  class: ErrorClass;
  action_id: string;
  action_name: string;
  name: string;
  message: string;
}

/** Everything needed to resume a suspended chain; the caller stores it behind an opaque state. */
export interface Suspension {
  trigger: TriggerId;
  execution_id: string;
  /** Index of the action that suspended; it resumes in its `onContinue*`. */
  action_index: number;
  /** The chain as it was resolved, so a resume runs the same versions. */
  chain: Array<Pick<ChainAction, 'id' | 'name' | 'version_id'>>;
  result: JsonObject;
  cache: CacheSnapshot;
}

export interface ChainOutcome<R extends JsonObject = JsonObject> {
  execution_id: string;
  status: ChainStatus;
  result: R;
  /** Set when status is `failed`: the action error that failed the chain (sync triggers). */
  error?: ChainError;
  executions: ActionExecution[];
  suspension?: Suspension;
  /** The trigger cache after the chain, for the next execution (best effort, as in Auth0). */
  cache: CacheSnapshot;
}
