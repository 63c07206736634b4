/**
 * credentials-exchange (sync): runs on a Client Credentials grant, before the caller returns the
 * access token. Handler: `exports.onExecuteCredentialsExchange`.
 * In JavaScript, annotate it with
 * `@param {import('hookchain/types/credentials-exchange').Event} event` and
 * `@param {import('hookchain/types/credentials-exchange').CredentialsExchangeAPI} api`.
 */
import type { BaseEvent, CacheAPI, Client, Dict, Organization, Transaction } from './common.js';
import type { AccessTokenClaimsAPI, CredentialsExchangeAccessAPI, TargetScopesAPI } from './namespaces.js';

export type * from './common.js';
export type * from './namespaces.js';

/** The client credentials transaction. */
export interface CredentialsExchangeTransaction extends Transaction {
  /** Scopes the client asked for. */
  requested_scopes?: string[];
  /**
   * The scopes the token will carry, including changes made with `api.transaction.*TargetScope*`
   * by this and earlier actions. The caller intersects them with the client's grant.
   */
  target_scopes?: string[];
}

/** The access token about to be issued. */
export interface AccessTokenInfo {
  /** Scopes granted so far. */
  scope?: string[];
  /** Custom claims already on the token. */
  customClaims?: Dict;
}

/** What a credentials-exchange action receives. Writes to it are not passed to later actions. */
export interface Event extends BaseEvent {
  /** The machine-to-machine client asking for a token; `client.metadata` holds its settings. */
  client: Client;
  /** The access token about to be issued. */
  accessToken?: AccessTokenInfo;
  /** The API the token is for. */
  resource_server?: {
    /** The API identifier (audience). */
    identifier: string;
  };
  /** The transaction: requested and target scopes. */
  transaction?: CredentialsExchangeTransaction;
  /** The organization the token is for, when any. */
  organization?: Organization;
}

/** What a credentials-exchange action can ask for; every call becomes a command in `result`. */
export interface CredentialsExchangeAPI {
  /** Deny the request with an OAuth error code. */
  readonly access: CredentialsExchangeAccessAPI<CredentialsExchangeAPI>;
  /** Custom claims of the access token. */
  readonly accessToken: AccessTokenClaimsAPI<CredentialsExchangeAPI>;
  /** The token's target scopes. */
  readonly transaction: TargetScopesAPI<CredentialsExchangeAPI>;
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link CredentialsExchangeAPI}. */
export type API = CredentialsExchangeAPI;

/** The shape of `onExecuteCredentialsExchange`. Return values are ignored. */
export type Handler = (event: Event, api: CredentialsExchangeAPI) => Promise<void> | void;
