/**
 * The `zod` an action's bundle sees (the builder aliases the package to this file): the part of
 * zod's classic API the trigger namespaces are written in, built on zod/mini. Both are thin layers
 * over the same core — classic's `s.min(1)` is `s.check(minLength(1))`, its `s.optional()` is
 * `optional(s)` — so validation and messages are zod's own, while the bundle carries a few dozen KiB
 * of tree-shaken core instead of classic's half megabyte (all its locales and JSON Schema
 * conversion), which every cold start would parse. Only the action's bundle uses this; the
 * dispatcher validates every command again with zod itself (test/unit/runtime/zod-in-bundle.test.ts
 * holds the two to the same answers).
 *
 * zod/mini is imported by relative path on purpose: the alias that maps `zod` here would also map
 * `zod/mini` back to this file.
 */
import en from '../../node_modules/zod/v4/locales/en.js';
import * as mini from '../../node_modules/zod/v4/mini/index.js';

mini.config(en());

/** Classic's params (`{ error }` or a message); each check takes its own variant of them. */
type Params = string | { error?: unknown; message?: string; abort?: boolean };
type RefineParams = Parameters<typeof mini.refine>[1];
type Refinement = Parameters<typeof mini.superRefine>[0];
type MiniSchema = mini.ZodMiniType;

/** A mini schema with the classic methods the namespaces call; each returns a new chainable schema. */
export interface Chainable extends MiniSchema {
  optional(): Chainable;
  nullable(): Chainable;
  refine(check: (value: never) => unknown, params?: RefineParams): Chainable;
  superRefine(refinement: Refinement): Chainable;
  min(value: number, params?: Params): Chainable;
  max(value: number, params?: Params): Chainable;
  regex(pattern: RegExp, params?: Params): Chainable;
  int(params?: Params): Chainable;
  positive(params?: Params): Chainable;
  extend(shape: Record<string, MiniSchema>): Chainable;
  loose(): Chainable;
}

/** Strings and arrays measure length; numbers compare values (as classic's `min`/`max` do). */
const sized = (schema: MiniSchema) => schema._zod.def.type === 'string' || schema._zod.def.type === 'array';

/**
 * The classic methods, shared by every schema (closures per schema would be made, and named, for
 * each of the thousand schemas the namespaces build at load: a cold start's time).
 */
const methods = {
  optional(this: MiniSchema) {
    return chain(mini.optional(this));
  },
  nullable(this: MiniSchema) {
    return chain(mini.nullable(this));
  },
  refine(this: MiniSchema, check: (value: never) => unknown, params?: RefineParams) {
    return chain(this.check(mini.refine(check as (value: unknown) => unknown, params)));
  },
  superRefine(this: MiniSchema, refinement: Refinement) {
    return chain(this.check(mini.superRefine(refinement)));
  },
  min(this: MiniSchema, value: number, params?: Params) {
    return chain(
      this.check(sized(this) ? mini.minLength(value, params as never) : mini.gte(value, params as never)),
    );
  },
  max(this: MiniSchema, value: number, params?: Params) {
    return chain(
      this.check(sized(this) ? mini.maxLength(value, params as never) : mini.lte(value, params as never)),
    );
  },
  regex(this: MiniSchema, pattern: RegExp, params?: Params) {
    return chain(this.check(mini.regex(pattern, params as never)));
  },
  int(this: MiniSchema, params?: Params) {
    return chain(this.check(mini.int(params as never)));
  },
  positive(this: MiniSchema, params?: Params) {
    return chain(this.check(mini.gt(0, params as never)));
  },
  extend(this: MiniSchema, shape: Record<string, MiniSchema>) {
    return chain(mini.extend(this as mini.ZodMiniObject, shape));
  },
  loose(this: MiniSchema) {
    return chain(mini.looseObject((this as mini.ZodMiniObject).shape));
  },
};

function chain(schema: MiniSchema): Chainable {
  return Object.assign(schema, methods) as Chainable;
}

/** Wraps a mini constructor so what it makes is chainable. */
const chained =
  <A extends unknown[]>(make: (...args: A) => MiniSchema) =>
  (...args: A): Chainable =>
    chain(make(...args));

export const z = {
  string: chained(mini.string),
  number: chained(mini.number),
  boolean: chained(mini.boolean),
  null: chained(mini.null),
  unknown: chained(mini.unknown),
  literal: chained(mini.literal),
  enum: chained(mini.enum),
  array: chained(mini.array),
  object: chained(mini.object),
  looseObject: chained(mini.looseObject),
  record: chained(mini.record),
  union: chained(mini.union),
};

export default z;
