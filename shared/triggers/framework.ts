/**
 * The vocabulary every trigger is written in. An action's `api` object records *commands*; each
 * command kind declares its fields (validated exactly once, whether it comes from an `api` call or
 * back over the wire from an action's Lambda) and how it changes the chain's combined result and
 * the event later actions see. A trigger is a set of api namespaces (its api side, what runs in an
 * action's Lambda) plus an event schema and a sample event (its dispatcher side).
 */
import type { z } from 'zod';
import { InvalidApiCallError, InvalidEventError } from '../errors.ts';
import type { CacheApi } from './cache.ts';
import type { TriggerId } from './ids.ts';

export type JsonObject = Record<string, unknown>;

/** One recorded `api` call, as it crosses the wire between an action and the dispatcher. */
export interface Command {
  type: string;
  [field: string]: unknown;
}

/** What the chain carries from one action to the next. */
export interface ChainState<R> {
  /** The event the next action receives (without its secrets and configuration). */
  event: JsonObject;
  /** The combined outcome the caller gets back. */
  result: R;
}

/** What the chain does after the action that recorded a command finishes. */
export type CommandEffect = 'stop' | 'suspend';

export interface CommandSpec<R> {
  /** Wire name, e.g. `accessToken.setCustomClaim`. */
  readonly type: string;
  /** How authors call it, for error messages, e.g. `api.accessToken.setCustomClaim`. */
  readonly method: string;
  readonly fields: z.ZodType<JsonObject>;
  readonly effect?: CommandEffect;
  apply(state: ChainState<R>, fields: JsonObject): void;
}

/**
 * Declares a command kind with its fields typed from the schema. The schema is built on the
 * command's first use: a cold start builds only those of the commands its action records.
 */
export function defineCommand<R, S extends z.ZodType<JsonObject>>(spec: {
  type: string;
  method?: string;
  fields: () => S;
  effect?: CommandEffect;
  apply(state: ChainState<R>, fields: z.output<S>): void;
}): CommandSpec<R> {
  let fields: S | undefined;
  return {
    type: spec.type,
    method: spec.method ?? `api.${spec.type}`,
    get fields() {
      fields ??= spec.fields();
      return fields;
    },
    ...(spec.effect ? { effect: spec.effect } : {}),
    apply: (state, fields) => spec.apply(state, fields as z.output<S>),
  };
}

export type Phase = 'execute' | 'continue';

/** What a namespace builder may use while an action runs. */
export interface ApiContext {
  readonly trigger: TriggerId;
  readonly phase: Phase;
  /** The action's own copy of the event; some api calls update it at once, as Auth0 does. */
  readonly event: JsonObject;
  readonly cache: CacheApi;
  /** The opaque state of the suspended chain, when resuming with `onContinue*`. */
  readonly continueState: string | undefined;
  readonly now: () => number;
  /** Commands recorded so far by this action. */
  readonly recorded: readonly Command[];
  /**
   * Validates the fields and records the command; throws a TypeError that names the method.
   * After the action completed, calls are ignored.
   */
  record(spec: CommandSpec<never>, fields: JsonObject): void;
  /** The root `api` object, returned by methods that allow chaining. */
  readonly api: object;
}

/** One `api` namespace; its property name on `api` is given by the trigger (defineTriggerApi). */
export interface Namespace<R> {
  /** The result sections this namespace owns, at their neutral value. */
  initial?(): Partial<R>;
  readonly commands: readonly CommandSpec<R>[];
  build(ctx: ApiContext): object;
}

export interface ApiSession {
  readonly api: Record<string, object>;
  readonly commands: readonly Command[];
  /** Stops recording: calls after the action finished are ignored, never leaked into a result. */
  close(): void;
}

export interface TriggerEntrypoints {
  readonly execute: string;
  readonly continue?: string;
}

/** The namespaces of a trigger's api and their command kinds by wire name, built once. */
export interface TriggerParts<R> {
  readonly namespaces: readonly Namespace<R>[];
  readonly specs: ReadonlyMap<string, CommandSpec<R>>;
}

/**
 * A trigger's api side: what runs inside an action's Lambda (its namespaces and their command
 * fields). The runtime wrapper bundles only this (triggers/api/), never an event schema or sample.
 */
export interface TriggerApi<R extends JsonObject = JsonObject> {
  readonly id: TriggerId;
  readonly version: string;
  readonly mode: 'sync' | 'async';
  readonly entrypoints: TriggerEntrypoints;
  /** Auth0's documented blocking behaviour: sync triggers fail closed, async never block. */
  readonly failurePolicy: 'fail-closed' | 'continue';
  createApi(options: {
    phase: Phase;
    event: JsonObject;
    cache: CacheApi;
    continueState?: string;
    now?: () => number;
  }): ApiSession;
  /** Built on first use, so a cold start builds only the schemas of the trigger it runs. */
  parts(): TriggerParts<R>;
}

/** A whole trigger, as the dispatcher runs it: its api side plus its event schema and sample. */
export interface TriggerDefinition<R extends JsonObject = JsonObject> extends TriggerApi<R> {
  readonly eventSchema: z.ZodType<JsonObject>;
  /** Every command kind its api can record. */
  readonly commands: readonly CommandSpec<R>[];
  sampleEvent(): JsonObject;
  /** Validates an event, keeping unknown fields; throws InvalidEventError listing every issue. */
  parseEvent(input: unknown): JsonObject;
  initialResult(): R;
  /** Validates a command from the wire and applies it; returns its effect on the chain. */
  applyCommand(state: ChainState<R>, command: unknown): CommandEffect | undefined;
}

/** Raised when a command coming back from an action is unknown or malformed. */
export class InvalidCommandError extends Error {
  override name = 'InvalidCommandError';
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
}

export function defineTriggerApi<R extends JsonObject>(definition: {
  id: TriggerId;
  version: string;
  mode: 'sync' | 'async';
  entrypoints: TriggerEntrypoints;
  /**
   * Each namespace by its property name on `api` (e.g. `accessToken`), in `api`'s order. Made on
   * first use: an action's cold start builds only the namespaces its code touches.
   */
  namespaces: Readonly<Record<string, () => Namespace<R>>>;
}): TriggerApi<R> {
  const names = Object.keys(definition.namespaces);
  const made = new Map<string, Namespace<R>>();
  const namespace = (name: string): Namespace<R> => {
    const existing = made.get(name);
    if (existing) return existing;
    const created = (definition.namespaces[name] as () => Namespace<R>)();
    made.set(name, created);
    return created;
  };
  let built: TriggerParts<R> | undefined;
  const parts = () => {
    if (!built) {
      const namespaces = names.map(namespace);
      const specs = new Map<string, CommandSpec<R>>();
      for (const namespace of namespaces) {
        for (const spec of namespace.commands) specs.set(spec.type, spec);
      }
      built = { namespaces, specs };
    }
    return built;
  };

  return {
    id: definition.id,
    version: definition.version,
    mode: definition.mode,
    entrypoints: definition.entrypoints,
    failurePolicy: definition.mode === 'sync' ? 'fail-closed' : 'continue',
    parts,

    createApi({ phase, event, cache, continueState, now = Date.now }) {
      const commands: Command[] = [];
      let closed = false;
      const api: Record<string, object> = {};
      const ctx: ApiContext = {
        trigger: definition.id,
        phase,
        event,
        cache,
        continueState,
        now,
        recorded: commands,
        api,
        record(spec, fields) {
          if (closed) {
            // Late calls come from code the action left running (a timer, an unawaited promise).
            // Throwing there would be an uncaught error in the host process, so ignore them loudly.
            console.warn(`[hookchain] ${spec.method}: called after the action completed; ignored.`);
            return;
          }
          const parsed = spec.fields.safeParse(fields);
          if (!parsed.success) {
            throw new InvalidApiCallError(`${spec.method}: ${formatIssues(parsed.error).join('; ')}`);
          }
          commands.push({ type: spec.type, ...parsed.data });
        },
      };
      for (const name of names) lazyProperty(api, name, () => namespace(name).build(ctx));
      return {
        api,
        commands,
        close: () => {
          closed = true;
        },
      };
    },
  };
}

/**
 * `target[name]`, computed on first read and from then on a plain data property, as if it had been
 * assigned up front (assigning it first replaces it the same way). A frozen `target` keeps the
 * accessor, which still answers with the one value.
 */
function lazyProperty(target: Record<string, object>, name: string, make: () => object): void {
  let value: object | undefined;
  const settle = (to: object) =>
    Reflect.defineProperty(target, name, { value: to, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, name, {
    get() {
      value ??= make();
      settle(value);
      return value;
    },
    set(to: object) {
      settle(to);
    },
    enumerable: true,
    configurable: true,
  });
}

/** The dispatcher's side of a trigger, around its api side: events, results, commands applied. */
export function defineTrigger<R extends JsonObject>(
  api: TriggerApi<R>,
  definition: {
    /** Built on first use: an action's bundle never parses events, and runs one trigger. */
    eventSchema: () => z.ZodType<JsonObject>;
    sampleEvent: JsonObject;
  },
): TriggerDefinition<R> {
  let eventSchema: z.ZodType<JsonObject> | undefined;
  const schema = () => {
    eventSchema ??= definition.eventSchema();
    return eventSchema;
  };
  const sample = JSON.stringify(definition.sampleEvent);

  return {
    ...api,
    get eventSchema() {
      return schema();
    },
    get commands() {
      return [...api.parts().specs.values()];
    },
    sampleEvent: () => JSON.parse(sample) as JsonObject,

    parseEvent(input) {
      const parsed = schema().safeParse(input);
      if (!parsed.success) throw new InvalidEventError(api.id, formatIssues(parsed.error));
      return parsed.data;
    },

    initialResult() {
      const result = {} as R;
      for (const namespace of api.parts().namespaces) Object.assign(result, namespace.initial?.());
      return result;
    },

    applyCommand(state, command) {
      if (typeof command !== 'object' || command === null || Array.isArray(command)) {
        throw new InvalidCommandError('A command must be an object.');
      }
      const { type, ...fields } = command as Command;
      const spec = typeof type === 'string' ? api.parts().specs.get(type) : undefined;
      if (!spec) throw new InvalidCommandError(`Unknown command '${String(type)}' for trigger ${api.id}.`);
      const parsed = spec.fields.safeParse(fields);
      if (!parsed.success) {
        throw new InvalidCommandError(
          `Invalid ${spec.type} command: ${formatIssues(parsed.error).join('; ')}`,
        );
      }
      spec.apply(state, parsed.data);
      return spec.effect;
    },
  };
}
