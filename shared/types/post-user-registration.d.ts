/**
 * post-user-registration (async): runs after a user was created; it cannot change the signup.
 * The caller gets 202 at once and the chain runs later, at least once (retries are possible, so
 * make side effects idempotent, e.g. keyed by `event.user.user_id`); a failing action is recorded
 * and the next one still runs. Handler: `exports.onExecutePostUserRegistration`.
 * In JavaScript, annotate it with
 * `@param {import('hookchain/types/post-user-registration').Event} event` and
 * `@param {import('hookchain/types/post-user-registration').PostUserRegistrationAPI} api`.
 */
import type { AuthenticationInfo, BaseEvent, CacheAPI, Connection, Transaction, User } from './common.js';

export type * from './common.js';
export type * from './namespaces.js';

/** What a post-user-registration action receives. */
export interface Event extends BaseEvent {
  /** The user just created (`user_id` and `created_at` set). */
  user: User;
  /** The connection the user was created in. */
  connection?: Connection;
  /** Risk signals of the signup. */
  authentication?: AuthenticationInfo;
  /** The transaction. */
  transaction?: Transaction;
}

/** What a post-user-registration action can use: only the cache. */
export interface PostUserRegistrationAPI {
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link PostUserRegistrationAPI}. */
export type API = PostUserRegistrationAPI;

/** The shape of `onExecutePostUserRegistration`. Return values are ignored. */
export type Handler = (event: Event, api: PostUserRegistrationAPI) => Promise<void> | void;
