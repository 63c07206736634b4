/**
 * post-change-password (async): runs after a database user changed or reset their password.
 * The caller gets 202 at once and the chain runs later, at least once (make side effects
 * idempotent); a failing action is recorded and the next one still runs.
 * Handler: `exports.onExecutePostChangePassword`.
 * In JavaScript, annotate it with
 * `@param {import('hookchain/types/post-change-password').Event} event` and
 * `@param {import('hookchain/types/post-change-password').PostChangePasswordAPI} api`.
 */
import type { AuthenticationInfo, BaseEvent, CacheAPI, Connection, Transaction, User } from './common.js';

export type * from './common.js';
export type * from './namespaces.js';

/** What a post-change-password action receives. */
export interface Event extends BaseEvent {
  /** The user whose password changed (`last_password_reset` is the time of the change). */
  user: User;
  /** The database connection of the user. */
  connection?: Connection;
  /** Risk signals of the change. */
  authentication?: AuthenticationInfo;
  /** The transaction (`correlation_id`). */
  transaction?: Transaction;
}

/** What a post-change-password action can use: only the cache. */
export interface PostChangePasswordAPI {
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link PostChangePasswordAPI}. */
export type API = PostChangePasswordAPI;

/** The shape of `onExecutePostChangePassword`. Return values are ignored. */
export type Handler = (event: Event, api: PostChangePasswordAPI) => Promise<void> | void;
