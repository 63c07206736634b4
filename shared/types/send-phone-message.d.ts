/**
 * send-phone-message (sync): delivers an MFA SMS or voice message through your own provider.
 * The action does the sending (e.g. with `fetch`); throw when delivery fails, so the chain ends
 * `failed` and the caller knows the code was not sent. Handler: `exports.onExecuteSendPhoneMessage`.
 * In JavaScript, annotate it with
 * `@param {import('hookchain/types/send-phone-message').Event} event` and
 * `@param {import('hookchain/types/send-phone-message').SendPhoneMessageAPI} api`.
 */
import type { BaseEvent, CacheAPI, Client, Transaction, UserProfile } from './common.js';

export type * from './common.js';
export type * from './namespaces.js';

/** The message to deliver. Hookchain validates all of it. */
export interface MessageOptions {
  /** Why the message is sent: an enrolment or a second-factor challenge. */
  action: 'enrollment' | 'second-factor-authentication';
  /** The one-time code contained in `text`. */
  code?: string;
  /** How to deliver it: `sms` or `voice`. */
  message_type: 'sms' | 'voice';
  /** The phone number to deliver to (not empty), usually E.164. */
  recipient: string;
  /** The rendered message text. */
  text: string;
}

/** What a send-phone-message action receives. */
export interface Event extends BaseEvent {
  /** The message to deliver. */
  message_options: MessageOptions;
  /** The user the message is for, when the caller sends it. */
  user?: UserProfile;
  /** The application the user is using. */
  client?: Client;
  /** The transaction (`correlation_id`). */
  transaction?: Transaction;
}

/** What a send-phone-message action can use: only the cache (e.g. for a provider token). */
export interface SendPhoneMessageAPI {
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link SendPhoneMessageAPI}. */
export type API = SendPhoneMessageAPI;

/** The shape of `onExecuteSendPhoneMessage`. Return values are ignored. */
export type Handler = (event: Event, api: SendPhoneMessageAPI) => Promise<void> | void;
