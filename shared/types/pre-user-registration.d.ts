/**
 * pre-user-registration (sync): runs before a database or passwordless user is created; it can
 * refuse the signup or set the new user's metadata. Handler: `exports.onExecutePreUserRegistration`.
 * In JavaScript, annotate it with
 * `@param {import('hookchain/types/pre-user-registration').Event} event` and
 * `@param {import('hookchain/types/pre-user-registration').PreUserRegistrationAPI} api`.
 */
import type {
  AuthenticationInfo,
  BaseEvent,
  CacheAPI,
  Client,
  Connection,
  Transaction,
  UserProfile,
} from './common.js';
import type { PreUserRegistrationAccessAPI, UserAPI, ValidationAPI } from './namespaces.js';

export type * from './common.js';
export type * from './namespaces.js';

/** What a pre-user-registration action receives. Writes to it are not passed to later actions. */
export interface Event extends BaseEvent {
  /**
   * The user about to be created, as submitted: no `user_id` yet; metadata changes from earlier
   * actions are merged in.
   */
  user: UserProfile;
  /** The application the user signs up from. */
  client?: Client;
  /** The connection the user will be created in. */
  connection?: Connection;
  /** Risk signals of the signup. */
  authentication?: AuthenticationInfo;
  /** The transaction. */
  transaction?: Transaction;
}

/** What a pre-user-registration action can ask for; every call becomes a command in `result`. */
export interface PreUserRegistrationAPI {
  /** Refuse the signup. */
  readonly access: PreUserRegistrationAccessAPI<PreUserRegistrationAPI>;
  /** Metadata of the user being created. */
  readonly user: UserAPI<PreUserRegistrationAPI>;
  /** Reject with your own error code. */
  readonly validation: ValidationAPI<PreUserRegistrationAPI>;
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link PreUserRegistrationAPI}. */
export type API = PreUserRegistrationAPI;

/** The shape of `onExecutePreUserRegistration`. Return values are ignored. */
export type Handler = (event: Event, api: PreUserRegistrationAPI) => Promise<void> | void;
