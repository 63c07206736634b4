/**
 * post-login (sync): runs after the user authenticated, before the caller issues tokens.
 * Handlers: `exports.onExecutePostLogin` and, after a redirect or prompt, `exports.onContinuePostLogin`.
 * In JavaScript, annotate them with
 * `@param {import('hookchain/types/post-login').Event} event` and
 * `@param {import('hookchain/types/post-login').PostLoginAPI} api`.
 */
import type {
  AuthenticationInfo,
  Authorization,
  BaseEvent,
  CacheAPI,
  Client,
  Connection,
  Dict,
  Organization,
  PromptData,
  Stats,
  Transaction,
  User,
} from './common.js';
import type {
  AccessAPI,
  AccessTokenAPI,
  AuthenticationAPI,
  GroupsAPI,
  IdTokenAPI,
  MultifactorAPI,
  PromptAPI,
  RedirectAPI,
  RefreshTokenAPI,
  RolesAPI,
  RulesAPI,
  SamlResponseAPI,
  SessionAPI,
  TransactionMetadataAPI,
  UserAPI,
  ValidationAPI,
} from './namespaces.js';

export type * from './common.js';
export type * from './namespaces.js';

/** The post-login transaction. */
export interface PostLoginTransaction extends Transaction {
  /**
   * Transaction metadata set with `api.transaction.setMetadata` by this and earlier actions of
   * this transaction (kept across a redirect).
   */
  metadata?: { [key: string]: string | number | boolean };
}

/** The application the user is logging in to. */
export interface PostLoginClient extends Client {
  /** Refresh-token settings of the client. */
  refresh_token?: {
    /** Multi-resource refresh token policies. */
    policies?: Array<{
      /** The API the policy applies to. */
      audience?: string;
      /** Scopes allowed for that API. */
      scope?: string[];
    }>;
  };
}

/** The API (resource server) the access token is for. */
export interface ResourceServer {
  /** The API identifier (audience). */
  identifier: string;
}

/** Where a session or refresh token was used from. */
export interface Device {
  /** First IP address seen. */
  initial_ip?: string;
  /** First ASN seen. */
  initial_asn?: string;
  /** First user agent seen. */
  initial_user_agent?: string;
  /** Last IP address seen. */
  last_ip?: string;
  /** Last ASN seen. */
  last_asn?: string;
  /** Last user agent seen. */
  last_user_agent?: string;
}

/** An application using the session. */
export interface SessionClient {
  /** The application's client id. */
  client_id: string;
}

/** Session cookie settings. */
export interface SessionCookie {
  /**
   * `persistent` survives a browser restart; `non-persistent` does not. Reflects
   * `api.session.setCookieMode` calls of this and earlier actions.
   */
  mode?: 'persistent' | 'non-persistent';
}

/** An API a refresh token is valid for. */
export interface RefreshTokenResourceServer {
  /** The API identifier (audience). */
  audience: string;
  /** Space-separated scopes granted for that API. */
  scopes?: string;
}

/** The caller's login session, when it has one. */
export interface Session {
  /** The session's id. */
  id?: string;
  /** The user the session belongs to. */
  user_id?: string;
  /** ISO-8601 creation time. */
  created_at?: string;
  /** ISO-8601 last update time. */
  updated_at?: string;
  /** ISO-8601 time the user last authenticated in this session. */
  authenticated_at?: string;
  /** ISO-8601 time the session last saw the user. */
  last_interacted_at?: string;
  /** ISO-8601 absolute expiry. */
  expires_at?: string;
  /** ISO-8601 idle expiry. */
  idle_expires_at?: string;
  /** Where the session is used from. */
  device?: Device;
  /** Applications using the session. */
  clients?: SessionClient[];
  /** Session cookie settings. */
  cookie?: SessionCookie;
  /**
   * Session metadata (string values), including changes made with `api.session.setMetadata` by
   * this and earlier actions.
   */
  metadata?: { [key: string]: string };
}

/** The refresh token being exchanged (protocol `oauth2-refresh-token`). */
export interface RefreshToken {
  /** The refresh token's id. */
  id?: string;
  /** The client it was issued to. */
  client_id?: string;
  /** The user it was issued to. */
  user_id?: string;
  /** The session it belongs to. */
  session_id?: string;
  /** ISO-8601 creation time. */
  created_at?: string;
  /** ISO-8601 absolute expiry. */
  expires_at?: string;
  /** ISO-8601 idle expiry. */
  idle_expires_at?: string;
  /** ISO-8601 time of the last exchange. */
  last_exchanged_at?: string;
  /** Whether the token rotates on use. */
  rotating?: boolean;
  /**
   * `offline` for a regular refresh token; `online` ones cannot be changed by
   * `api.refreshToken` (lifetime and metadata calls throw).
   */
  access?: 'online' | 'offline';
  /** APIs the token is valid for. */
  resource_servers?: RefreshTokenResourceServer[];
  /** Where the token is used from. */
  device?: Device;
  /**
   * Refresh-token metadata (string values), including changes made with
   * `api.refreshToken.setMetadata` by this and earlier actions.
   */
  metadata?: { [key: string]: string };
}

/** What a post-login action receives. Writes to it are not passed to later actions. */
export interface Event extends BaseEvent {
  /**
   * The user who logged in, with `app_metadata`/`user_metadata` changes made by earlier actions
   * already merged in.
   */
  user: User;
  /** The application the user is logging in to. */
  client: PostLoginClient;
  /** The connection the user authenticated with. */
  connection?: Connection;
  /** The transaction; `protocol` tells interactive logins from refresh-token exchanges. */
  transaction?: PostLoginTransaction;
  /** The user's roles (`roles` names; Hookchain also reads `effective_roles`). */
  authorization?: Authorization;
  /** Methods completed in this session and risk signals. */
  authentication?: AuthenticationInfo;
  /** The organization the user logs in to, when any. */
  organization?: Organization;
  /** The API the access token is for. */
  resource_server?: ResourceServer;
  /** Login statistics. */
  stats?: Stats;
  /** The login session, when the caller has one. */
  session?: Session;
  /** The refresh token being exchanged, when the protocol is `oauth2-refresh-token`. */
  refresh_token?: RefreshToken;
  /** On resume after `api.prompt.render`: what the user submitted. */
  prompt?: PromptData;
  /** Hookchain: ids of legacy rules that already ran, read by `api.rules.wasExecuted`. */
  executed_rules?: string[];
  /** Details of an agent acting for the user, when the caller sends them. */
  agent?: Dict;
}

/**
 * What a post-login action can ask for. Every call becomes a command in the chain's `result`;
 * `api.redirect` and `api.prompt.render` suspend the chain until the caller continues it.
 */
export interface PostLoginAPI {
  /** Deny the login. */
  readonly access: AccessAPI<PostLoginAPI>;
  /** Claims and scopes of the access token. */
  readonly accessToken: AccessTokenAPI<PostLoginAPI>;
  /** Claims of the ID token. */
  readonly idToken: IdTokenAPI<PostLoginAPI>;
  /** App and user metadata changes, written once by the caller. */
  readonly user: UserAPI<PostLoginAPI>;
  /** Require MFA with a provider. */
  readonly multifactor: MultifactorAPI<PostLoginAPI>;
  /** MFA challenges and enrolments, custom methods, primary user. */
  readonly authentication: AuthenticationAPI<PostLoginAPI>;
  /** Redirect the user away and resume in `onContinuePostLogin`; signed tokens. */
  readonly redirect: RedirectAPI<PostLoginAPI>;
  /** Render a custom prompt and resume in `onContinuePostLogin`. */
  readonly prompt: PromptAPI<PostLoginAPI>;
  /** Reject with your own error code. */
  readonly validation: ValidationAPI<PostLoginAPI>;
  /** Transaction metadata shared by the actions of this login. */
  readonly transaction: TransactionMetadataAPI<PostLoginAPI>;
  /** SAML response attributes and settings. */
  readonly samlResponse: SamlResponseAPI<PostLoginAPI>;
  /** The login session: revoke, lifetimes, cookie mode, metadata. */
  readonly session: SessionAPI<PostLoginAPI>;
  /** The refresh token being exchanged: revoke, lifetimes, metadata. */
  readonly refreshToken: RefreshTokenAPI<PostLoginAPI>;
  /** The user's groups, answered from `event.user.groups`. */
  readonly groups: GroupsAPI;
  /** The user's roles, answered from `event.authorization`. */
  readonly roles: RolesAPI;
  /** Whether a legacy rule ran, answered from `event.executed_rules`. */
  readonly rules: RulesAPI;
  /** The trigger's short-lived cache. */
  readonly cache: CacheAPI;
}

/** Alias of {@link PostLoginAPI}. */
export type API = PostLoginAPI;

/** The shape of `onExecutePostLogin` and `onContinuePostLogin`. Return values are ignored. */
export type Handler = (event: Event, api: PostLoginAPI) => Promise<void> | void;
