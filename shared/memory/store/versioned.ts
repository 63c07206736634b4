/**
 * The versioned-draft core, in memory (the DynamoDB one is shared/aws/dynamo/versioned.ts): the
 * revision-checked draft update, the forward-only pointer, and immutable numbered versions.
 */
import { ConcurrentModificationError } from '../../errors.ts';
import { definedFields, keyOf, RecordTable } from './records.ts';

interface Draft {
  draft_revision: number;
  updated_at: string;
}

/**
 * The draft with `changes` (and `reset`, what every change also sets) applied and its revision
 * bumped; ConcurrentModificationError if it is missing or no longer at `expectedRevision`.
 */
export function changedDraft<R extends Draft>(
  current: R | undefined,
  expectedRevision: number,
  changes: object,
  reset: object = {},
): R {
  if (!current || current.draft_revision !== expectedRevision) throw new ConcurrentModificationError();
  return {
    ...current,
    ...definedFields({ ...reset, ...changes }),
    draft_revision: expectedRevision + 1,
    updated_at: new Date().toISOString(),
  };
}

/**
 * The item pointing at `value` through `attribute`, or undefined if the item is missing or already
 * points at a version numbered as high or higher (a slower, older deploy never wins).
 */
export function advancedPointer<R extends object, P extends object>(
  current: R | undefined,
  attribute: keyof R & string,
  numberOf: (pointer: P) => number,
  value: P,
  alongside: object = {},
): R | undefined {
  if (!current) return undefined;
  const existing = current[attribute] as P | undefined;
  if (existing !== undefined && numberOf(existing) >= numberOf(value)) return undefined;
  return {
    ...current,
    ...definedFields(alongside),
    [attribute]: value,
    updated_at: new Date().toISOString(),
  };
}

/** The item with its counter bumped by one; the caller stores it and hands out the new value. */
export function bumpedCounter<R extends object>(current: R, counter: keyof R & string): [R, number] {
  const next = ((current[counter] as number | undefined) ?? 0) + 1;
  return [{ ...current, [counter]: next }, next];
}

/** Immutable numbered versions of items, each under (scope, parent), read newest first. */
export function numberedVersions<V extends { id: string }>(
  locate: (version: V) => [scope: string, parentId: string, number: number],
) {
  const table = new RecordTable<V>();
  const numberOf = (version: V) => locate(version)[2];
  const list = (scope: string, parentId: string): V[] =>
    table.select(
      (version) => {
        const [s, p] = locate(version);
        return s === scope && p === parentId;
      },
      (a, b) => numberOf(b) - numberOf(a),
    );
  return {
    /** Writes a new version; ConcurrentModificationError if its number is taken. */
    put(version: V): void {
      const key = keyOf(...locate(version));
      if (table.get(key)) throw new ConcurrentModificationError();
      table.put(key, version);
    },
    list,
    get: (scope: string, parentId: string, versionId: string): V | undefined =>
      list(scope, parentId).find((version) => version.id === versionId),
    getByNumber: (scope: string, parentId: string, number: number): V | undefined =>
      table.get(keyOf(scope, parentId, number)),
    /** Sets fields of an existing version; ConcurrentModificationError if there is none. */
    update(scope: string, parentId: string, number: number, changes: object): void {
      const key = keyOf(scope, parentId, number);
      const current = table.get(key);
      if (!current) throw new ConcurrentModificationError();
      table.put(key, { ...current, ...definedFields(changes), updated_at: new Date().toISOString() });
    },
    delete(scope: string, parentId: string, number: number): void {
      table.delete(keyOf(scope, parentId, number));
    },
  };
}

/** Numbered versions as a store port reads them (VersionStore, ModuleVersionStore): every call a promise. */
export function numberedVersionStore<V extends { id: string }>(
  locate: (version: V) => [scope: string, parentId: string, number: number],
) {
  const versions = numberedVersions(locate);
  return {
    put: async (version: V) => versions.put(version),
    get: async (scope: string, parentId: string, versionId: string) =>
      versions.get(scope, parentId, versionId),
    list: async (scope: string, parentId: string) => versions.list(scope, parentId),
    update: async (scope: string, parentId: string, number: number, changes: object) =>
      versions.update(scope, parentId, number, changes),
    delete: async (scope: string, parentId: string, number: number) =>
      versions.delete(scope, parentId, number),
  };
}
