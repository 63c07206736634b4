/**
 * password-reset-post-challenge (sync): runs after the user passed the reset challenge (usually
 * the email link), before the new password is set. Handlers: `exports.onExecutePostChallenge` and,
 * after a redirect or prompt, `exports.onContinuePostChallenge`.
 * In JavaScript, annotate them with
 * `@param {import('hookchain/types/password-reset-post-challenge').Event} event` and
 * `@param {import('hookchain/types/password-reset-post-challenge').PasswordResetPostChallengeAPI} api`.
 */
import type {
  AuthenticationInfo,
  Authorization,
  BaseEvent,
  CacheAPI,
  Client,
  Connection,
  Organization,
  PromptData,
  Stats,
  Transaction,
  User,
} from './common.js';
import type { AccessAPI, ChallengeAPI, PromptAPI, RedirectAPI, ResultUrlAPI } from './namespaces.js';

export type * from './common.js';
export type * from './namespaces.js';

/** What a password-reset-post-challenge action receives. */
export interface Event extends BaseEvent {
  /** The user resetting their password (`enrolledFactors` tells which factors can be challenged). */
  user: User;
  /** The application the reset started from. */
  client?: Client;
  /** The database connection of the user. */
  connection?: Connection;
  /** Methods completed so far (e.g. `email` for the reset link) and risk signals. */
  authentication?: AuthenticationInfo;
  /** The user's roles. */
  authorization?: Authorization;
  /** The organization, when any. */
  organization?: Organization;
  /** On resume after `api.prompt.render`: what the user submitted. */
  prompt?: PromptData;
  /** Login statistics. */
  stats?: Stats;
  /** The transaction. */
  transaction?: Transaction;
}

/**
 * What a password-reset-post-challenge action can ask for. Every call becomes a command in
 * `result`; `api.redirect` and `api.prompt.render` suspend the chain until the caller continues it.
 */
export interface PasswordResetPostChallengeAPI {
  /** Stop the reset. */
  readonly access: AccessAPI<PasswordResetPostChallengeAPI>;
  /** Require an MFA challenge before the password is set. */
  readonly authentication: ChallengeAPI<PasswordResetPostChallengeAPI>;
  /** Redirect the user away and resume in `onContinuePostChallenge`; signed tokens. */
  readonly redirect: RedirectAPI<PasswordResetPostChallengeAPI>;
  /** Render a custom prompt and resume in `onContinuePostChallenge`. */
  readonly prompt: PromptAPI<PasswordResetPostChallengeAPI>;
  /** Where the user lands after the reset. */
  readonly transaction: ResultUrlAPI<PasswordResetPostChallengeAPI>;
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link PasswordResetPostChallengeAPI}. */
export type API = PasswordResetPostChallengeAPI;

/** The shape of `onExecutePostChallenge` and `onContinuePostChallenge`. Return values are ignored. */
export type Handler = (event: Event, api: PasswordResetPostChallengeAPI) => Promise<void> | void;
