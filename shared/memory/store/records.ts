/**
 * The in-memory store's table: records held as copies, so no caller can change stored state by
 * mutating what it passed in or got back (as with a real database). Every write of the in-memory
 * adapter is synchronous between awaits, so each is atomic, like DynamoDB's single-item writes.
 */

/** A deep copy without `undefined` fields: the DynamoDB client drops them too (removeUndefinedValues). */
export function copyOf<T>(value: T): T {
  return withoutUndefined(structuredClone(value));
}

function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const element of value) withoutUndefined(element);
  } else if (value !== null && typeof value === 'object') {
    const fields = value as Record<string, unknown>;
    for (const [field, inner] of Object.entries(fields)) {
      if (inner === undefined) delete fields[field];
      else withoutUndefined(inner);
    }
  }
  return value;
}

/** The defined fields of `changes`: an update never erases a field by passing `undefined`. */
export function definedFields<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** One key from several parts, unambiguous whatever the parts contain. */
export const keyOf = (...parts: ReadonlyArray<string | number>): string => JSON.stringify(parts);

/** Records by key. What goes in and what comes out are copies. */
export class RecordTable<R> {
  readonly #records = new Map<string, R>();

  get(key: string): R | undefined {
    const record = this.#records.get(key);
    return record === undefined ? undefined : copyOf(record);
  }

  put(key: string, record: R): void {
    this.#records.set(key, copyOf(record));
  }

  /** Removes the record and hands it back (no longer stored, so no copy is needed), or undefined. */
  delete(key: string): R | undefined {
    const record = this.#records.get(key);
    this.#records.delete(key);
    return record;
  }

  /** Copies of the records `include` accepts, ordered by `order`. */
  select(include: (record: R) => boolean, order: (a: R, b: R) => number): R[] {
    return [...this.#records.values()].filter(include).sort(order).map(copyOf);
  }
}

/** Orders records by a string field, as DynamoDB orders sort keys (by code unit). */
export const byString =
  <R>(field: (record: R) => string) =>
  (a: R, b: R): number => {
    const [x, y] = [field(a), field(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
