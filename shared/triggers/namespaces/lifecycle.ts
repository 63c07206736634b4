/**
 * `api.session` and `api.refreshToken` (post-login): revoke, lifetimes, cookie mode and metadata.
 * Both share one shape: the caller owns sessions and refresh tokens, so the result lists the
 * changes to make. Metadata changes show in `event.session` / `event.refresh_token` at once.
 * As in Auth0, neither object is ever invented: without `event.session` there is no session
 * metadata to set; refresh-token metadata may be set before the token exists (it is recorded for
 * the token about to be issued) but `event.refresh_token` stays absent; an online refresh token
 * cannot be changed.
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
  epochMs,
  isPlainObject,
  nonEmptyString,
  objectAt,
  SESSION_METADATA_LIMITS,
  sessionMetadataKey,
  sessionMetadataValue,
} from '../values.ts';

export interface LifecycleChanges {
  revoked: { reason: string; preserve_refresh_tokens?: boolean } | null;
  /** Earliest requested expiry wins (epoch ms). */
  expires_at: number | null;
  idle_expires_at: number | null;
  /** Set when all metadata was evicted before `metadata` changes were applied. */
  metadata_evicted: boolean;
  /** key -> new value, or null for a deleted key. */
  metadata: Record<string, string | null>;
  cookie_mode?: 'persistent' | 'non-persistent' | null;
}

export type SessionSection = { [key: string]: unknown; session: LifecycleChanges };
export type RefreshTokenSection = { [key: string]: unknown; refresh_token: LifecycleChanges };

type Target = 'session' | 'refresh_token';

const earliest = (current: number | null, next: number) =>
  current === null ? next : Math.min(current, next);

/** The metadata `event.session` / `event.refresh_token` carries, or undefined without that object. */
function liveMetadata(event: JsonObject, target: Target): JsonObject | undefined {
  const holder = event[target];
  return isPlainObject(holder) ? objectAt(holder, 'metadata') : undefined;
}

/** Applies a metadata change to the event (`key` null: evict all); nothing when the object is absent. */
export function changeMetadata(event: JsonObject, target: Target, key: string | null, value: string | null) {
  const metadata = liveMetadata(event, target);
  if (!metadata) return;
  if (key === null) for (const k of Object.keys(metadata)) delete metadata[k];
  else if (value === null) delete metadata[key];
  else metadata[key] = value;
}

/** The new cookie mode shows in `event.session.cookie.mode` when there is a session. */
function applyCookieMode(event: JsonObject, mode: 'persistent' | 'non-persistent') {
  const session = event.session;
  if (!isPlainObject(session) || Object.keys(session).length === 0) return;
  session.cookie = { ...(isPlainObject(session.cookie) ? session.cookie : {}), mode };
}

function lifecycleNamespace(
  apiName: 'session' | 'refreshToken',
  target: Target,
  methods: 'session' | 'refreshToken',
) {
  type Section = { [key: string]: unknown } & Record<Target, LifecycleChanges>;
  const section = (state: ChainState<Section>) => state.result[target];
  const command = <S extends z.ZodType<JsonObject>>(
    name: string,
    fields: () => S,
    apply: (changes: LifecycleChanges, value: z.output<S>, state: ChainState<Section>) => void,
    effect?: 'stop',
  ) =>
    defineCommand({
      type: `${apiName}.${name}`,
      fields,
      ...(effect ? { effect } : {}),
      apply: (state: ChainState<Section>, value) => apply(section(state), value, state),
    });

  const revoke = command(
    'revoke',
    () => z.object({ reason: nonEmptyString('reason'), preserveRefreshTokens: z.boolean().optional() }),
    (changes, { reason, preserveRefreshTokens }, state) => {
      changes.revoked = {
        reason,
        ...(preserveRefreshTokens === undefined ? {} : { preserve_refresh_tokens: preserveRefreshTokens }),
      };
      // Revoking also denies the login (Auth0: "revoke ... and deny").
      const access = (state.result as JsonObject).access;
      if (isPlainObject(access)) Object.assign(access, { denied: true, reason });
    },
    'stop',
  );
  const setExpiresAt = command(
    'setExpiresAt',
    () => z.object({ expires_at: epochMs() }),
    (changes, { expires_at }) => {
      changes.expires_at = earliest(changes.expires_at, expires_at);
    },
  );
  const setIdleExpiresAt = command(
    'setIdleExpiresAt',
    () => z.object({ idle_expires_at: epochMs() }),
    (changes, v) => {
      changes.idle_expires_at = earliest(changes.idle_expires_at, v.idle_expires_at);
    },
  );
  const setMetadata = command(
    'setMetadata',
    () => z.object({ key: sessionMetadataKey(), value: sessionMetadataValue().nullable() }),
    (changes, { key, value }, state) => {
      changes.metadata[key] = value;
      changeMetadata(state.event, target, key, value);
    },
  );
  const deleteMetadata = command(
    'deleteMetadata',
    () => z.object({ key: sessionMetadataKey() }),
    (changes, { key }, state) => {
      changes.metadata[key] = null;
      changeMetadata(state.event, target, key, null);
    },
  );
  const evictMetadata = command(
    'evictMetadata',
    () => z.object({}),
    (changes, _v, state) => {
      changes.metadata_evicted = true;
      changes.metadata = {};
      changeMetadata(state.event, target, null, null);
    },
  );
  const setCookieMode = command(
    'setCookieMode',
    () =>
      z.object({
        mode: z.enum(['persistent', 'non-persistent'], {
          error: "mode must be 'persistent' or 'non-persistent'",
        }),
      }),
    (changes, { mode }, state) => {
      changes.cookie_mode = mode;
      applyCookieMode(state.event, mode);
    },
  );

  const initialChanges = (): LifecycleChanges => ({
    revoked: null,
    expires_at: null,
    idle_expires_at: null,
    metadata_evicted: false,
    metadata: {},
    ...(methods === 'session' ? { cookie_mode: null } : {}),
  });

  const namespace: Namespace<Section> = {
    initial: () => ({ [target]: initialChanges() }) as Partial<Section>,
    commands:
      methods === 'session'
        ? [revoke, setExpiresAt, setIdleExpiresAt, setMetadata, deleteMetadata, evictMetadata, setCookieMode]
        : [revoke, setExpiresAt, setIdleExpiresAt, setMetadata, deleteMetadata, evictMetadata],
    build: (ctx: ApiContext) => {
      const method = `api.${apiName}`;
      const checkKeyLimit = (key: string) => {
        const metadata = liveMetadata(ctx.event, target);
        if (!metadata) return;
        if (!(key in metadata) && Object.keys(metadata).length >= SESSION_METADATA_LIMITS.maxKeys) {
          throw new InvalidApiCallError(
            `${method}.setMetadata: at most ${SESSION_METADATA_LIMITS.maxKeys} metadata keys.`,
          );
        }
      };
      const hasSession = () => isPlainObject(ctx.event.session);
      const refuseOnlineToken = (name: string) => {
        const token = ctx.event.refresh_token;
        if (apiName === 'refreshToken' && isPlainObject(token) && token.access === 'online') {
          throw new InvalidApiCallError(`api.refreshToken.${name}: cannot change an online refresh token.`);
        }
      };
      const api: Record<string, unknown> = {
        revoke(reason: string, options?: { preserveRefreshTokens?: boolean }) {
          if (apiName === 'refreshToken') {
            const transaction = isPlainObject(ctx.event.transaction) ? ctx.event.transaction : {};
            if (transaction.protocol !== 'oauth2-refresh-token') {
              throw new InvalidApiCallError(
                'api.refreshToken.revoke: only available when event.transaction.protocol is oauth2-refresh-token.',
              );
            }
          }
          ctx.record(revoke, { reason, preserveRefreshTokens: options?.preserveRefreshTokens });
          return ctx.api;
        },
        setExpiresAt(at: number) {
          refuseOnlineToken('setExpiresAt');
          ctx.record(setExpiresAt, { expires_at: at });
          return ctx.api;
        },
        setIdleExpiresAt(at: number) {
          refuseOnlineToken('setIdleExpiresAt');
          ctx.record(setIdleExpiresAt, { idle_expires_at: at });
          return ctx.api;
        },
        setMetadata(key: string, value: string | null) {
          refuseOnlineToken('setMetadata');
          if (apiName === 'session' && !hasSession()) {
            throw new InvalidApiCallError(
              'api.session.setMetadata: there is no session in this transaction (event.session is absent).',
            );
          }
          checkKeyLimit(key);
          ctx.record(setMetadata, { key, value });
          changeMetadata(ctx.event, target, key, value);
          return ctx.api;
        },
        deleteMetadata(key: string) {
          refuseOnlineToken('deleteMetadata');
          if (apiName === 'session' && !hasSession()) return ctx.api; // nothing to delete, as in Auth0
          ctx.record(deleteMetadata, { key });
          changeMetadata(ctx.event, target, key, null);
          return ctx.api;
        },
        evictMetadata() {
          refuseOnlineToken('evictMetadata');
          if (apiName === 'session' && !hasSession()) return ctx.api;
          ctx.record(evictMetadata, {});
          changeMetadata(ctx.event, target, null, null);
          return ctx.api;
        },
      };
      if (methods === 'session') {
        api.setCookieMode = (mode: string) => {
          ctx.record(setCookieMode, { mode });
          applyCookieMode(ctx.event, mode as 'persistent' | 'non-persistent');
          return ctx.api;
        };
      }
      return api;
    },
  };
  return namespace;
}

export const session = () => lifecycleNamespace('session', 'session', 'session') as Namespace<SessionSection>;
export const refreshToken = () =>
  lifecycleNamespace('refreshToken', 'refresh_token', 'refreshToken') as Namespace<RefreshTokenSection>;
