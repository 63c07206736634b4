/**
 * `api.transaction`, which differs per trigger: post-login carries transaction metadata between
 * actions, credentials-exchange shapes target scopes, password-reset sets where the user lands.
 * Metadata and target scopes change `event.transaction` at once, for this and later actions.
 */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import {
  type ApiContext,
  type ChainState,
  defineCommand,
  type JsonObject,
  type Namespace,
} from '../framework.ts';
import {
  httpUrl,
  isPlainObject,
  jsonBytes,
  lazy,
  nonEmptyString,
  objectAt,
  scope,
  stringRecord,
} from '../values.ts';

export interface TransactionMetadataSection {
  [key: string]: unknown;
  transaction_metadata: Record<string, string | number | boolean>;
}

export const TRANSACTION_METADATA_LIMITS = {
  maxKeyLength: 64,
  maxValueBytes: 8 * 1024,
  maxTotalBytes: 16 * 1024,
};

const metadataValue = lazy(() =>
  z.union(
    [
      z.string().refine((v) => Buffer.byteLength(v, 'utf8') <= TRANSACTION_METADATA_LIMITS.maxValueBytes, {
        error: 'string values must be at most 8 KB',
      }),
      z.number().refine((v) => Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v)), {
        error: 'numbers must be finite and integers must be safe',
      }),
      z.boolean(),
      z.null(),
    ],
    { error: 'value must be a string, number, boolean or null (serialise objects yourself)' },
  ),
);

function setMetadataOn(target: JsonObject, key: string, value: string | number | boolean | null) {
  if (value === null) delete target[key];
  else target[key] = value;
}

const setMetadata = defineCommand({
  type: 'transaction.setMetadata',
  fields: () =>
    z.object({
      key: nonEmptyString('key').max(TRANSACTION_METADATA_LIMITS.maxKeyLength, {
        error: 'key must be at most 64 characters',
      }),
      value: metadataValue(),
    }),
  apply: (state: ChainState<TransactionMetadataSection>, { key, value }) => {
    setMetadataOn(state.result.transaction_metadata, key, value);
    setMetadataOn(objectAt(objectAt(state.event, 'transaction'), 'metadata'), key, value);
  },
});

export function transactionMetadata(): Namespace<TransactionMetadataSection> {
  return {
    initial: () => ({ transaction_metadata: {} }),
    commands: [setMetadata],
    build: (ctx) => ({
      setMetadata(key: string, value: unknown) {
        const live = objectAt(objectAt(ctx.event, 'transaction'), 'metadata');
        const next = { ...live, [key]: value };
        if (value === null) delete next[key];
        if ((jsonBytes(next) ?? 0) > TRANSACTION_METADATA_LIMITS.maxTotalBytes) {
          throw new InvalidApiCallError(
            'api.transaction.setMetadata: transaction metadata must stay under 16 KB.',
          );
        }
        ctx.record(setMetadata, { key, value });
        setMetadataOn(live, key, value as string | number | boolean | null);
        return ctx.api;
      },
    }),
  };
}

export interface TargetScopesSection {
  [key: string]: unknown;
  /** The final target scopes, or null when no action changed them. Intersect with the client grant. */
  target_scopes: string[] | null;
}

/** The target scopes so far: `event.transaction.target_scopes`, else the token's scopes (as Auth0 starts). */
function liveTargetScopes(event: JsonObject): string[] {
  const transaction = isPlainObject(event.transaction) ? event.transaction : {};
  const accessToken = isPlainObject(event.accessToken) ? event.accessToken : {};
  const current = Array.isArray(transaction.target_scopes) ? transaction.target_scopes : accessToken.scope;
  return Array.isArray(current) ? current.filter((s): s is string => typeof s === 'string') : [];
}

function changeTargetScopes(event: JsonObject, change: (scopes: string[]) => string[]): string[] {
  const next = [...new Set(change(liveTargetScopes(event)))];
  objectAt(event, 'transaction').target_scopes = next;
  return next;
}

type ScopeChange = (scopes: string[], fields: JsonObject) => string[];

function targetScopeMethod(type: string, fields: () => z.ZodType<JsonObject>, change: ScopeChange) {
  const spec = defineCommand({
    type,
    fields,
    apply: (state: ChainState<TargetScopesSection>, value: JsonObject) => {
      state.result.target_scopes = changeTargetScopes(state.event, (scopes) => change(scopes, value));
    },
  });
  /** Records the call and updates the action's own event at once, as Auth0 does. */
  const call = (ctx: ApiContext, value: JsonObject) => {
    ctx.record(spec, value);
    changeTargetScopes(ctx.event, (scopes) => change(scopes, value));
    return ctx.api;
  };
  return { spec, call };
}

export function targetScopes(): Namespace<TargetScopesSection> {
  const add = targetScopeMethod(
    'transaction.addTargetScope',
    () => z.object({ scope: scope() }),
    (s, f) => [...s, f.scope as string],
  );
  const remove = targetScopeMethod(
    'transaction.removeTargetScope',
    () => z.object({ scope: scope() }),
    (s, f) => s.filter((x) => x !== f.scope),
  );
  const set = targetScopeMethod(
    'transaction.setTargetScopes',
    () => z.object({ scopes: z.array(scope()) }),
    (_s, f) => [...(f.scopes as string[])],
  );
  const clear = targetScopeMethod(
    'transaction.clearTargetScopes',
    () => z.object({}),
    () => [],
  );
  return {
    initial: () => ({ target_scopes: null }),
    commands: [add.spec, remove.spec, set.spec, clear.spec],
    build: (ctx) => ({
      addTargetScope: (name: string) => add.call(ctx, { scope: name }),
      removeTargetScope: (name: string) => remove.call(ctx, { scope: name }),
      setTargetScopes: (scopes: string[]) => set.call(ctx, { scopes }),
      clearTargetScopes: () => clear.call(ctx, {}),
    }),
  };
}

export interface ResultUrlSection {
  [key: string]: unknown;
  result_url: { url: string; query: Record<string, string> } | null;
}

const setResultUrl = defineCommand({
  type: 'transaction.setResultUrl',
  fields: () => z.object({ url: httpUrl(), query: stringRecord().optional() }),
  apply: (state: ChainState<ResultUrlSection>, { url, query }) => {
    state.result.result_url = { url, query: query ?? {} };
  },
});

export function resultUrl(): Namespace<ResultUrlSection> {
  return {
    initial: () => ({ result_url: null }),
    commands: [setResultUrl],
    build: (ctx) => ({
      setResultUrl(url: string, options?: { query?: Record<string, string> }) {
        ctx.record(setResultUrl, { url, query: options?.query });
        return ctx.api;
      },
    }),
  };
}
