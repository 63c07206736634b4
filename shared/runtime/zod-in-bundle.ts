/**
 * The `zod` an action's bundle sees (the builder aliases Hookchain's own `zod` to this file): a small
 * hand-written validator with the part of zod's API the trigger namespaces and events are written
 * in, answering as zod does — the same accepted data, the same issues, paths and English messages.
 * Each command's fields are still defined once, in its namespace: the dispatcher builds them with
 * zod itself and validates every command again; here they only give tenant code an early, clear
 * error, without zod's core (~30 KiB minified) in every action bundle and cold start.
 * test/unit/runtime/zod-in-bundle.test.ts holds the two to the same answers for every command and
 * event schema; a namespace that needs more of zod's API than this has fails there first.
 *
 * The semantics copied from zod 4 (core/schemas.js, core/checks.js, locales/en.js): checks run in
 * order after a schema's own parse and are skipped once an issue aborts it, except length checks,
 * which still run on any input with a length; an issue's message is its check's error, else its
 * schema's, else zod's English one.
 */

/** An issue as zod reports it once finalised. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
}

/** An issue while parsing: `continue: true` lets later checks run, `false` stops even length checks. */
interface RawIssue {
  code: string;
  path: PropertyKey[];
  input?: unknown;
  message?: string;
  continue?: boolean;
  [detail: string]: unknown;
}

interface Payload {
  value: unknown;
  issues: RawIssue[];
}

type ErrorMap = (issue: RawIssue) => unknown;
type Params = string | { error?: string | ErrorMap; message?: string };

function errorMap(params: Params | undefined): ErrorMap | undefined {
  const error = typeof params === 'string' ? params : (params?.error ?? params?.message);
  return typeof error === 'string' ? () => error : error;
}

const text = (message: unknown) =>
  typeof message === 'string' ? message : (message as { message?: string } | undefined)?.message;

/** zod's names for what was received, as its English messages print them. */
function typeName(type: string, input?: unknown): string {
  if (type === 'number' && typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return type === 'nan' ? 'NaN' : type;
}

function parsedType(data: unknown): string {
  if (typeof data === 'number') return Number.isNaN(data) ? 'nan' : 'number';
  if (typeof data === 'object') {
    if (data === null) return 'null';
    if (Array.isArray(data)) return 'array';
    const ctor = (data as { constructor?: { name: string } }).constructor;
    if (Object.getPrototypeOf(data) !== Object.prototype && 'constructor' in data && ctor) return ctor.name;
  }
  return typeof data;
}

const primitive = (value: unknown) =>
  typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? `"${value}"` : `${value}`;

const SIZED: Record<string, string> = { string: 'characters', array: 'items' };

/** zod's English message for an issue (locales/en.js, for the issue kinds raised here). */
function english(issue: RawIssue): string {
  const { origin } = issue as { origin?: string };
  const bound = (name: string, adj: string, limit: unknown) =>
    SIZED[origin as string]
      ? `${name}: expected ${origin} to have ${adj}${limit} ${SIZED[origin as string]}`
      : `${name}: expected ${origin ?? 'value'} to be ${adj}${limit}`;
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${typeName(issue.expected as string)}, received ${typeName(parsedType(issue.input), issue.input)}`;
    case 'invalid_value': {
      const values = issue.values as unknown[];
      return values.length === 1
        ? `Invalid input: expected ${primitive(values[0])}`
        : `Invalid option: expected one of ${values.map(primitive).join('|')}`;
    }
    case 'too_big':
      return bound('Too big', issue.inclusive ? '<=' : '<', issue.maximum);
    case 'too_small':
      return bound('Too small', issue.inclusive ? '>=' : '>', issue.minimum);
    case 'invalid_format':
      return `Invalid string: must match pattern ${issue.pattern}`;
    case 'invalid_key':
      return `Invalid key in ${origin}`;
    default:
      return 'Invalid input';
  }
}

/** Pushes an issue with its message: the raiser's error, else its schema's, else zod's English. */
function raise(
  payload: Payload,
  issue: { code: string; path?: PropertyKey[]; [detail: string]: unknown },
  own?: ErrorMap,
  owner?: ErrorMap,
) {
  const raw: RawIssue = { ...issue, path: issue.path ?? [] };
  raw.message ??= text(own?.(raw)) ?? text(owner?.(raw)) ?? english(raw);
  payload.issues.push(raw);
}

const aborted = (payload: Payload, from = 0) => payload.issues.slice(from).some((i) => i.continue !== true);
const hasLength = (value: unknown) =>
  value !== null && value !== undefined && (value as { length?: unknown }).length !== undefined;

function prefixed(key: PropertyKey, issues: RawIssue[]): RawIssue[] {
  for (const issue of issues) issue.path.unshift(key);
  return issues;
}

const isObject = (data: unknown): data is Record<PropertyKey, unknown> =>
  typeof data === 'object' && data !== null && !Array.isArray(data);

/** zod's test for a record's input: an object whose prototype looks like Object's. */
function isPlainObject(data: unknown): data is Record<PropertyKey, unknown> {
  if (!isObject(data)) return false;
  const ctor = data.constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const prototype: unknown = ctor.prototype;
  return isObject(prototype) && Object.hasOwn(prototype, 'isPrototypeOf');
}

/** Code points, as zod measures strings (a surrogate pair counts once). */
const measure = (value: string | unknown[]) =>
  typeof value === 'string'
    ? value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
    : value.length;
const lengthOrigin = (value: unknown) =>
  Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'unknown';

interface Check {
  run(payload: Payload, owner: Schema): void;
  /** Length checks also run on an input of the wrong type that has a length, as zod's do. */
  sized?: 'min' | 'max';
  limit?: number;
}

type Parse = (payload: Payload, self: Schema) => Payload;

interface Def {
  type: string;
  parse: Parse;
  error?: ErrorMap;
  checks: readonly Check[];
  /** May be absent from an object (optional, or a union or nullable around one). */
  optional?: boolean;
  shape?: Record<string, Schema>;
  loose?: boolean;
}

function lengthCheck(kind: 'min' | 'max', limit: number, params?: Params): Check {
  const error = errorMap(params);
  return {
    sized: kind,
    limit,
    run(payload, owner) {
      const input = payload.value as string | unknown[];
      const length = measure(input);
      if (kind === 'min' ? length >= limit : length <= limit) return;
      raise(
        payload,
        {
          code: kind === 'min' ? 'too_small' : 'too_big',
          origin: lengthOrigin(input),
          [kind === 'min' ? 'minimum' : 'maximum']: limit,
          inclusive: true,
          input,
          continue: true,
        },
        error,
        owner.def.error,
      );
    },
  };
}

function compareCheck(kind: 'min' | 'max', limit: number, inclusive: boolean, params?: Params): Check {
  const error = errorMap(params);
  return {
    run(payload, owner) {
      const value = payload.value as number;
      if (kind === 'min' ? (inclusive ? value >= limit : value > limit) : value <= limit) return;
      raise(
        payload,
        {
          code: kind === 'min' ? 'too_small' : 'too_big',
          origin: 'number',
          [kind === 'min' ? 'minimum' : 'maximum']: limit,
          inclusive,
          input: value,
          continue: true,
        },
        error,
        owner.def.error,
      );
    },
  };
}

function intCheck(params?: Params): Check {
  const error = errorMap(params);
  return {
    run(payload, owner) {
      const input = payload.value as number;
      const issue = !Number.isInteger(input)
        ? { code: 'invalid_type', expected: 'int', continue: false }
        : Number.isSafeInteger(input)
          ? undefined
          : input > 0
            ? {
                code: 'too_big',
                maximum: Number.MAX_SAFE_INTEGER,
                origin: 'int',
                inclusive: true,
                continue: true,
              }
            : {
                code: 'too_small',
                minimum: Number.MIN_SAFE_INTEGER,
                origin: 'int',
                inclusive: true,
                continue: true,
              };
      if (issue) raise(payload, { ...issue, input }, error, owner.def.error);
    },
  };
}

function regexCheck(pattern: RegExp, params?: Params): Check {
  const error = errorMap(params);
  return {
    run(payload, owner) {
      pattern.lastIndex = 0;
      if (pattern.test(payload.value as string)) return;
      const input = payload.value;
      raise(
        payload,
        { code: 'invalid_format', origin: 'string', pattern: pattern.toString(), input, continue: true },
        error,
        owner.def.error,
      );
    },
  };
}

type Refinement = (value: never, ctx: { addIssue(issue: string | Partial<RawIssue>): void }) => void;

function refineCheck(check: (value: never) => unknown, params?: Params): Check {
  const error = errorMap(params);
  return {
    run(payload, owner) {
      const input = payload.value;
      if (!check(input as never))
        raise(payload, { code: 'custom', input, continue: true }, error, owner.def.error);
    },
  };
}

function superRefineCheck(refinement: Refinement): Check {
  return {
    run(payload, owner) {
      const input = payload.value;
      refinement(input as never, {
        addIssue(issue) {
          if (typeof issue === 'string') raise(payload, { code: 'custom', message: issue, input });
          else {
            const { fatal, path, ...rest } = issue;
            raise(
              payload,
              {
                input,
                ...rest,
                code: rest.code ?? 'custom',
                path: [...(path ?? [])],
                continue: rest.continue ?? !fatal,
              },
              undefined,
              owner.def.error,
            );
          }
        },
      });
    },
  };
}

/** A schema: its own parse, then its checks in order (zod's `$ZodType` run). */
export class Schema {
  constructor(readonly def: Def) {}

  get shape(): Record<string, Schema> | undefined {
    return this.def.shape;
  }

  run(input: Payload): Payload {
    const payload = this.def.parse(input, this);
    let stopped = aborted(payload);
    for (const check of this.def.checks) {
      if (check.sized) {
        if (payload.issues.some((i) => i.continue === false) || !hasLength(payload.value)) continue;
      } else if (stopped) continue;
      const before = payload.issues.length;
      check.run(payload, this);
      stopped ||= aborted(payload, before);
    }
    return payload;
  }

  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: Issue[] } } {
    const { value: data, issues } = this.run({ value, issues: [] });
    if (issues.length === 0) return { success: true, data };
    return {
      success: false,
      error: {
        issues: issues.map(({ code, path, message }) => ({ code, path, message: message as string })),
      },
    };
  }

  private with(change: Partial<Def>): Schema {
    return new Schema({ ...this.def, ...change });
  }

  check(check: Check): Schema {
    return this.with({ checks: [...this.def.checks, check] });
  }

  optional(): Schema {
    return make('optional', (p) => (p.value === undefined ? p : this.run(p)), undefined, { optional: true });
  }

  nullable(): Schema {
    return make('nullable', (p) => (p.value === null ? p : this.run(p)), undefined, {
      optional: this.def.optional === true,
    });
  }

  refine(check: (value: never) => unknown, params?: Params): Schema {
    return this.check(refineCheck(check, params));
  }

  superRefine(refinement: Refinement): Schema {
    return this.check(superRefineCheck(refinement));
  }

  /** Strings and arrays measure length; numbers compare values (as classic's `min`/`max` do). */
  min(value: number, params?: Params): Schema {
    return this.check(
      this.def.type === 'number'
        ? compareCheck('min', value, true, params)
        : lengthCheck('min', value, params),
    );
  }

  max(value: number, params?: Params): Schema {
    return this.check(
      this.def.type === 'number'
        ? compareCheck('max', value, true, params)
        : lengthCheck('max', value, params),
    );
  }

  positive(params?: Params): Schema {
    return this.check(compareCheck('min', 0, false, params));
  }

  int(params?: Params): Schema {
    return this.check(intCheck(params));
  }

  regex(pattern: RegExp, params?: Params): Schema {
    return this.check(regexCheck(pattern, params));
  }

  /** zod refuses to extend an object with checks; none of ours has any, so they are not carried. */
  extend(shape: Record<string, Schema>): Schema {
    return objectOf({ ...this.def.shape, ...shape }, this.def.loose === true, this.def.error);
  }

  loose(): Schema {
    return objectOf(this.def.shape ?? {}, true, this.def.error, this.def.checks);
  }
}

function make(type: string, parse: Parse, params?: Params, extra?: Partial<Def>): Schema {
  return new Schema({ type, parse, error: errorMap(params), checks: [], ...extra });
}

/** A schema that accepts a value when `ok` says so, else raises zod's invalid_type. */
const typed = (expected: string, ok: (value: unknown) => boolean) => (params?: Params) =>
  make(
    expected,
    (payload, self) => {
      if (!ok(payload.value)) {
        raise(payload, { code: 'invalid_type', expected, input: payload.value }, self.def.error);
      }
      return payload;
    },
    params,
  );

function oneOf(type: string, values: readonly unknown[], params?: Params): Schema {
  const allowed = new Set(values);
  return make(
    type,
    (payload, self) => {
      if (!allowed.has(payload.value)) {
        raise(payload, { code: 'invalid_value', values, input: payload.value }, self.def.error);
      }
      return payload;
    },
    params,
  );
}

/** Where a property's result goes in the object's (zod's handlePropertyResult). */
function property(result: Payload, out: Payload, key: string, input: object, optional: boolean) {
  const present = key in input;
  if (!present && optional) return;
  out.issues.push(...prefixed(key, result.issues));
  if (!present) {
    if (result.issues.length === 0) {
      raise(out, { code: 'invalid_type', expected: 'nonoptional', input: undefined, path: [key] });
    }
    return;
  }
  (out.value as Record<string, unknown>)[key] = result.value;
}

function objectOf(
  shape: Record<string, Schema>,
  loose: boolean,
  error?: ErrorMap,
  checks: readonly Check[] = [],
): Schema {
  const parse: Parse = (payload, self) => {
    const input = payload.value;
    if (!isObject(input)) {
      raise(payload, { code: 'invalid_type', expected: 'object', input }, self.def.error);
      return payload;
    }
    payload.value = {};
    for (const key of Object.keys(shape)) {
      if (key === '__proto__') continue;
      const schema = shape[key] as Schema;
      property(
        schema.run({ value: input[key], issues: [] }),
        payload,
        key,
        input,
        schema.def.optional === true,
      );
    }
    if (loose) {
      // Unknown keys are kept as they are (for...in, as zod's catchall does).
      for (const key in input) {
        if (Object.hasOwn(shape, key) || key === '__proto__') continue;
        (payload.value as Record<string, unknown>)[key] = input[key];
      }
    }
    return payload;
  };
  return new Schema({ type: 'object', parse, error, checks, shape, loose });
}

function arrayOf(element: Schema, params?: Params): Schema {
  return make(
    'array',
    (payload, self) => {
      const input = payload.value;
      if (!Array.isArray(input)) {
        raise(payload, { code: 'invalid_type', expected: 'array', input }, self.def.error);
        return payload;
      }
      // zod rejects an array over its leading maximum before looking at any element.
      for (const check of self.def.checks) {
        if (!check.sized) break;
        if (check.sized === 'max' && input.length > (check.limit as number)) {
          const before = payload.issues.length;
          check.run(payload, self);
          (payload.issues[before] as RawIssue).continue = false;
          return payload;
        }
      }
      const out: unknown[] = new Array(input.length);
      input.forEach((item, index) => {
        const result = element.run({ value: item, issues: [] });
        payload.issues.push(...prefixed(index, result.issues));
        out[index] = result.value;
      });
      payload.value = out;
      return payload;
    },
    params,
  );
}

function recordOf(keys: Schema, values: Schema, params?: Params): Schema {
  return make(
    'record',
    (payload, self) => {
      const input = payload.value;
      if (!isPlainObject(input)) {
        raise(payload, { code: 'invalid_type', expected: 'record', input }, self.def.error);
        return payload;
      }
      const out: Record<PropertyKey, unknown> = {};
      for (const key of Reflect.ownKeys(input)) {
        if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(input, key)) continue;
        const checked = keys.run({ value: key, issues: [] });
        if (checked.issues.length > 0) {
          raise(payload, { code: 'invalid_key', origin: 'record', input: key, path: [key] }, self.def.error);
          continue;
        }
        const result = values.run({ value: input[key], issues: [] });
        payload.issues.push(...prefixed(key, result.issues));
        out[checked.value as PropertyKey] = result.value;
      }
      payload.value = out;
      return payload;
    },
    params,
  );
}

function unionOf(options: readonly Schema[], params?: Params): Schema {
  const parse: Parse = (payload, self) => {
    if (options.length === 1) return (options[0] as Schema).run(payload);
    const results: Payload[] = [];
    for (const option of options) {
      const result = option.run({ value: payload.value, issues: [] });
      if (result.issues.length === 0) return result;
      results.push(result);
    }
    // One option failed only its checks (nothing aborted): its issues are the union's.
    const partial = results.filter((result) => !aborted(result));
    if (partial.length === 1) return partial[0] as Payload;
    raise(payload, { code: 'invalid_union', input: payload.value }, self.def.error);
    return payload;
  };
  return make('union', parse, params, { optional: options.some((option) => option.def.optional) });
}

export const z = {
  string: typed('string', (v) => typeof v === 'string'),
  number: typed('number', (v) => typeof v === 'number' && Number.isFinite(v)),
  boolean: typed('boolean', (v) => typeof v === 'boolean'),
  null: typed('null', (v) => v === null),
  unknown: () => make('unknown', (payload) => payload),
  literal: (value: unknown, params?: Params) => oneOf('literal', [value], params),
  enum: (values: readonly unknown[], params?: Params) => oneOf('enum', values, params),
  array: arrayOf,
  object: (shape: Record<string, Schema>, params?: Params) => objectOf(shape, false, errorMap(params)),
  looseObject: (shape: Record<string, Schema>, params?: Params) => objectOf(shape, true, errorMap(params)),
  record: recordOf,
  union: unionOf,
};

export default z;
