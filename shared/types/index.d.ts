/**
 * Hookchain action types, one namespace per trigger:
 * `import type { PostLogin } from 'hookchain/types'` then `PostLogin.Event`, `PostLogin.API`.
 * Each trigger is also importable on its own: `hookchain/types/post-login`.
 */
import type * as CredentialsExchange from './credentials-exchange.js';
import type * as PasswordResetPostChallenge from './password-reset-post-challenge.js';
import type * as PostChangePassword from './post-change-password.js';
import type * as PostLogin from './post-login.js';
import type * as PostUserRegistration from './post-user-registration.js';
import type * as PreUserRegistration from './pre-user-registration.js';
import type * as SendPhoneMessage from './send-phone-message.js';

export type * from './common.js';
export type * from './namespaces.js';
export type {
  CredentialsExchange,
  PasswordResetPostChallenge,
  PostChangePassword,
  PostLogin,
  PostUserRegistration,
  PreUserRegistration,
  SendPhoneMessage,
};

/** The `event` and `api` types of each trigger, by trigger id. */
export interface Triggers {
  /** After authentication, before tokens are issued (sync). */
  'post-login': { event: PostLogin.Event; api: PostLogin.API };
  /** Client Credentials grant, before the access token is returned (sync). */
  'credentials-exchange': { event: CredentialsExchange.Event; api: CredentialsExchange.API };
  /** Before a user is created (sync). */
  'pre-user-registration': { event: PreUserRegistration.Event; api: PreUserRegistration.API };
  /** After a user was created (async). */
  'post-user-registration': { event: PostUserRegistration.Event; api: PostUserRegistration.API };
  /** After a password change or reset (async). */
  'post-change-password': { event: PostChangePassword.Event; api: PostChangePassword.API };
  /** Deliver an MFA SMS or voice message (sync). */
  'send-phone-message': { event: SendPhoneMessage.Event; api: SendPhoneMessage.API };
  /** After the password-reset challenge, before the new password is set (sync). */
  'password-reset-post-challenge': {
    event: PasswordResetPostChallenge.Event;
    api: PasswordResetPostChallenge.API;
  };
}

/** A trigger id. */
export type TriggerId = keyof Triggers;
