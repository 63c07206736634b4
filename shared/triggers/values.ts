/** Field schemas shared by the api namespaces, with the limits Auth0 documents. */
import { z } from 'zod';

export const nonEmptyString = (what = 'value') =>
  z.string({ error: `${what} must be a string` }).min(1, { error: `${what} must not be empty` });

/** Any value that survives JSON: what a claim or metadata value becomes once the caller receives it. */
export const jsonValue = lazy(() =>
  z.unknown().superRefine((value, ctx) => {
    try {
      if (value === undefined || JSON.stringify(value) === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'value must be JSON-serialisable (not undefined or a function)',
        });
      }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'value must be JSON-serialisable (no cycles or BigInt)' });
    }
  }),
);

/**
 * UTF-8 size of a value's JSON, or undefined when it has none (cycles, BigInt, a bare function):
 * size checks must not throw a bare JSON error at the action instead of naming the method.
 */
export function jsonBytes(value: unknown): number | undefined {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : Buffer.byteLength(json, 'utf8');
  } catch {
    return undefined;
  }
}

/** Claims Auth0 reserves and will not let an action overwrite. */
const RESERVED_CLAIMS = new Set([
  'acr',
  'amr',
  'aud',
  'auth_time',
  'azp',
  'cnf',
  'exp',
  'gty',
  'iat',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'org_id',
  'org_name',
  'permissions',
  'scope',
  'sid',
  'sub',
  'tfa',
]);

export const claimKey = lazy(() =>
  nonEmptyString('key').refine((key) => !RESERVED_CLAIMS.has(key), {
    error: (issue) => `'${String(issue.input)}' is a reserved claim and cannot be set`,
  }),
);

export const scope = lazy(() =>
  nonEmptyString('scope').regex(/^\S+$/, { error: 'scope must not contain whitespace' }),
);

export const httpUrl = lazy(() =>
  nonEmptyString('url').refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    },
    { error: 'must be an absolute http(s) URL' },
  ),
);

export const stringRecord = lazy(() =>
  z.record(z.string(), z.string({ error: 'query values must be strings' })),
);

/** Session and refresh-token metadata: ≤25 keys, keys and values ≤255 chars, key charset [a-zA-Z0-9_-]. */
export const SESSION_METADATA_LIMITS = { maxKeys: 25, maxLength: 255 } as const;
export const sessionMetadataKey = lazy(() =>
  nonEmptyString('key')
    .max(SESSION_METADATA_LIMITS.maxLength, { error: 'key must be at most 255 characters' })
    .regex(/^[a-zA-Z0-9_-]+$/, { error: 'key may contain only letters, digits, _ and -' }),
);
export const sessionMetadataValue = lazy(() =>
  z
    .string({ error: 'value must be a string' })
    .max(SESSION_METADATA_LIMITS.maxLength, { error: 'value must be at most 255 characters' }),
);

/** Epoch milliseconds in the future. */
export const epochMs = lazy(() =>
  z.number({ error: 'must be a number of epoch milliseconds' }).int().positive(),
);

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Returns `target[key]` as a plain object, creating it when missing or not an object. */
export function objectAt(target: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = target[key];
  if (isPlainObject(existing)) return existing;
  const created: Record<string, unknown> = {};
  target[key] = created;
  return created;
}

/** A value made on first use and kept: schemas a cold start may never need. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
