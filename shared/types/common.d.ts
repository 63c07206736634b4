/**
 * Hookchain action types: the pieces every trigger's `event` and `api` share.
 *
 * Hookchain does not own users, sessions or login pages. An `event` is what the identity service
 * (the "caller") sent to the trigger API, validated and passed on; an `api` call records a command
 * that becomes part of the combined `result` the caller applies after the chain. These files are
 * standalone (no imports outside this folder) so an editor can load them as they are.
 */

/**
 * A free-form JSON object: metadata, query strings, form bodies. Values are whatever the caller
 * or an earlier action stored, so read them defensively.
 */
// biome-ignore lint/suspicious/noExplicitAny: free-form JSON the caller owns; `any` keeps Auth0 code compiling.
export type Dict = { [key: string]: any };

/** Secret values of this action, by name. Decrypted by Hookchain for each run, never logged. */
export interface Secrets {
  /** A secret's value; `undefined` at runtime when no secret of that name is set. */
  readonly [name: string]: string;
}

/** Marketplace-style configuration values of this action, by name (strings). */
export interface Configuration {
  /** A configuration value; `undefined` at runtime when none of that name is set. */
  readonly [name: string]: string;
}

/** Where the request came from, resolved by the caller from the client IP. */
export interface GeoIp {
  /** City name, e.g. `Leeds`. */
  cityName?: string;
  /** Two-letter continent code, e.g. `EU`. */
  continentCode?: string;
  /** ISO 3166-1 alpha-2 country code, e.g. `GB`. */
  countryCode?: string;
  /** ISO 3166-1 alpha-3 country code, e.g. `GBR`. */
  countryCode3?: string;
  /** Country name in English. */
  countryName?: string;
  /** Latitude in degrees. */
  latitude?: number;
  /** Longitude in degrees. */
  longitude?: number;
  /** Subdivision (region) code. */
  subdivisionCode?: string;
  /** Subdivision (region) name. */
  subdivisionName?: string;
  /** IANA time zone, e.g. `Europe/London`. */
  timeZone?: string;
}

/**
 * The HTTP request that started the transaction, as the caller describes it. Hookchain checks
 * the types of these fields but requires none of them; after a redirect the caller sends a fresh
 * request with the `/continue` call.
 */
export interface Request {
  /** Client IP address (IPv4 or IPv6) as the caller saw it. */
  ip?: string;
  /** Autonomous system number of the client IP, e.g. `AS64500`. */
  asn?: string;
  /** Host name the user agent called, e.g. `login.acme.test`. Used as `iss` of redirect tokens. */
  hostname?: string;
  /** HTTP method, e.g. `GET` or `POST`. */
  method?: string;
  /** `Accept-Language` header value. */
  language?: string;
  /** `User-Agent` header value. */
  user_agent?: string;
  /**
   * Query string parameters. On `/continue`, `api.redirect.validateToken` looks for the token here
   * when the body has none; `prompt: 'none'` makes `api.redirect.canRedirect()` false.
   */
  query?: Dict;
  /**
   * Form or JSON body parameters, when the caller forwards them (e.g. custom signup fields such as
   * `ulp-fullName`). On `/continue`, `api.redirect.validateToken` reads the token from here first.
   */
  body?: Dict;
  /** Geolocation of `ip`, when the caller resolves it. */
  geoip?: GeoIp;
}

/** The tenant the transaction belongs to. */
export interface Tenant {
  /** The tenant's id (its name). */
  id: string;
}

/** The application (OAuth client) that started the transaction. */
export interface Client {
  /** The client's id. The only field Hookchain requires when a trigger has a client. */
  client_id: string;
  /** The client's display name. */
  name?: string;
  /** Client metadata set by the tenant (Auth0 stores string values here). */
  metadata?: Dict;
}

/** The connection (identity store) the user authenticates or registers with. */
export interface Connection {
  /** The connection's id, e.g. `con_6Wq2Lx9Tz4Rb1Kp8`. */
  id?: string;
  /** The connection's name, e.g. `Username-Password-Authentication`. */
  name?: string;
  /** The connection's strategy: `auth0` for databases, the provider name for social connections. */
  strategy?: string;
  /** Connection metadata set by the tenant. */
  metadata?: Dict;
}

/** The organization the transaction is for, when the caller supports organizations. */
export interface Organization {
  /** The organization's id. */
  id: string;
  /** The organization's name (machine-friendly). */
  name?: string;
  /** The organization's display name. */
  display_name?: string;
  /** Organization metadata. */
  metadata?: Dict;
}

/** The custom domain the request arrived on, when one is used. */
export interface CustomDomain {
  /** The custom domain name. */
  domain?: string;
  /** Custom domain metadata. */
  domain_metadata?: Dict;
}

/** TLS fingerprints of the client connection, when the caller can provide them. */
export interface SecurityContext {
  /** JA3 fingerprint. */
  ja3?: string;
  /** JA4 fingerprint. */
  ja4?: string;
}

/** An identity (connection account) linked to a user. */
export interface Identity {
  /** Name of the connection of this identity. */
  connection?: string;
  /** Provider of the identity, e.g. `auth0`, `google-oauth2`. */
  provider?: string;
  /** The user's id at that provider (without the provider prefix). */
  user_id?: string;
  /** Whether the connection is a social one. */
  isSocial?: boolean;
  /** Profile data of a linked secondary identity. */
  profileData?: Dict;
}

/** An authentication factor the user has enrolled. */
export interface EnrolledFactor {
  /**
   * The factor type, e.g. `otp`, `phone`, `email`, `push-notification`, `webauthn-roaming`,
   * `webauthn-platform`, `recovery-code`.
   */
  type: string;
  /** Details of this enrolment. */
  options?: Dict;
}

/** A group given as an object in `event.user.groups`. */
export interface GroupObject {
  /** The group's id (defaults to its name). */
  id?: string;
  /** The group's name. */
  name: string;
  /** The group's type, reported by `api.groups.hasGroupMembership` (default `tenant`). */
  group_type?: string;
  /** Other fields are kept and returned by `api.groups.getUserGroups`. */
  [field: string]: unknown;
}

/** A group reference in `event.user.groups`: a name, or an object with at least a `name`. */
export type GroupRef = string | GroupObject;

/**
 * A user profile as the caller sends it. Only `user_id` is guaranteed, and only once the user
 * exists (see {@link User}); everything else depends on the connection and the caller.
 */
export interface UserProfile {
  /** The user's unique id, e.g. `auth0|64b7f2c9e1a2b3c4d5e6f708`. Absent before the user exists. */
  user_id?: string;
  /** Email address. */
  email?: string;
  /** Whether the email address is verified. */
  email_verified?: boolean;
  /** Username, for connections that use one. */
  username?: string;
  /** Full name. */
  name?: string;
  /** Nickname. */
  nickname?: string;
  /** Given (first) name. */
  given_name?: string;
  /** Family (last) name. */
  family_name?: string;
  /** URL of the profile picture. */
  picture?: string;
  /** Phone number in E.164 format. */
  phone_number?: string;
  /** Whether the phone number is verified. */
  phone_verified?: boolean;
  /** ISO-8601 time the profile was created. */
  created_at?: string;
  /** ISO-8601 time the profile was last updated. */
  updated_at?: string;
  /** ISO-8601 time the password was last changed or reset (database users). */
  last_password_reset?: string;
  /**
   * Data that affects what the user may do (plan, roles, flags). Includes changes made by earlier
   * actions of this execution through `api.user.setAppMetadata`. `null` when the caller sent null.
   */
  app_metadata?: Dict | null;
  /**
   * Data the user may edit (preferences, locale). Includes changes made by earlier actions of this
   * execution through `api.user.setUserMetadata`. `null` when the caller sent null.
   */
  user_metadata?: Dict | null;
  /** Linked identities; the first is the primary one. */
  identities?: Identity[];
  /**
   * Hookchain: the user's groups, as the caller sends them. `api.groups.*` answers from this list
   * (Hookchain has no group store of its own).
   */
  groups?: GroupRef[];
  /** Names of the MFA providers the user has enrolled with (post-login). */
  multifactor?: string[];
  /** Factors the user has enrolled. `undefined` when the caller does not know. */
  enrolledFactors?: EnrolledFactor[];
}

/** A user that exists: `user_id` is always set. */
export interface User extends UserProfile {
  /** The user's unique id, e.g. `auth0|64b7f2c9e1a2b3c4d5e6f708`. Always present. */
  user_id: string;
}

/**
 * The transaction the trigger runs in. Which fields are present depends on the trigger and on
 * what the caller sends; all are optional.
 */
export interface Transaction {
  /** The transaction's id. */
  id?: string;
  /** Correlation id the caller uses across its own logs; handy as an idempotency key. */
  correlation_id?: string;
  /**
   * The protocol or grant of the transaction, e.g. `oidc-basic-profile`, `oauth2-refresh-token`,
   * `oauth2-resource-owner`, `samlp`. Non-interactive ones cannot redirect.
   */
  protocol?: string;
  /** The `state` the application sent with the authorization request. */
  state?: string;
  /** The `prompt` parameter(s), e.g. `['none']` for silent authentication. */
  prompt?: string[] | string;
  /** Scopes the application requested. */
  requested_scopes?: string[];
  /** The `acr_values` requested. */
  acr_values?: string[];
  /** Locale chosen for the transaction, e.g. `en`. */
  locale?: string;
  /** The `ui_locales` requested. */
  ui_locales?: string[];
  /** The `login_hint` sent by the application. */
  login_hint?: string;
  /** Where the application wants the user sent back to. */
  redirect_uri?: string;
  /** The `response_mode` requested. */
  response_mode?: string;
  /** The `response_type` requested. */
  response_type?: string[];
  /**
   * Transaction metadata. In post-login, set with `api.transaction.setMetadata`; elsewhere, what
   * the caller sent.
   */
  metadata?: { [key: string]: string | number | boolean };
}

/** An authentication method completed in the current session. */
export interface AuthenticationMethod {
  /**
   * The method: `pwd`, `federated`, `passkey`, `sms`, `email`, `mfa`, or the URL of a custom
   * method recorded with `api.authentication.recordMethod`.
   */
  name: string;
  /** ISO-8601 time the method was completed. */
  timestamp?: string;
  /** For `mfa`: the factor type used, when the caller knows it. */
  type?: string;
}

/** Risk signals the caller computed for the transaction, passed through as sent. */
export interface RiskAssessment {
  /** Overall confidence: `low`, `medium`, `high` or `neutral`. */
  confidence?: string;
  /** Version of the assessment. */
  version?: string;
  /** Individual assessments (e.g. `UntrustedIP`, `NewDevice`, `ImpossibleTravel`), by name. */
  assessments?: Dict;
  /** Supplemental signals from third parties. */
  supplemental?: Dict;
}

/** What is known about how the user authenticated. */
export interface AuthenticationInfo {
  /** Methods completed in this session, oldest first. */
  methods?: AuthenticationMethod[];
  /** Risk assessment of the transaction. */
  riskAssessment?: RiskAssessment;
}

/** The user's roles, as the caller sends them. */
export interface Authorization {
  /** Names of the user's roles. `api.roles.*` answers from this list. */
  roles?: string[];
  /**
   * Hookchain: richer role objects. When present, `api.roles.*` answers from this list instead of
   * `roles`.
   */
  effective_roles?: EffectiveRole[];
}

/** A role object in `event.authorization.effective_roles`. */
export interface EffectiveRole {
  /** The role's id (defaults to its name). */
  id?: string;
  /** The role's name. */
  name: string;
  /** The role's type (defaults to `role`). */
  type?: string;
}

/** Login statistics of the user. */
export interface Stats {
  /** How many times the user has logged in, this login included. */
  logins_count?: number;
}

/** Data collected by a custom prompt rendered with `api.prompt.render`, on resume. */
export interface PromptData {
  /** The prompt's id. */
  id?: string;
  /** Field values the user submitted. */
  fields?: Dict;
  /** Shared variables. */
  vars?: Dict;
}

// ---------------------------------------------------------------------------------------------
// api.cache: present on every trigger.

/** A cached value and when it expires. */
export interface CacheRecord {
  /** The cached value (always a string: serialise objects yourself). */
  value: string;
  /** When the record expires, in epoch milliseconds. */
  expires_at: number;
}

/** Why a cache write or delete was refused. `api.cache` never throws; it returns these. */
export type CacheWriteErrorCode =
  | 'MaxSideEffectsExceeded'
  | 'CacheKeySizeExceeded'
  | 'CacheValueSizeExceeded'
  | 'CacheSizeExceeded'
  | 'ItemAlreadyExpired'
  | 'InvalidExpiry'
  | 'FailedToSetCacheRecord'
  | 'FailedToDeleteCacheRecord'
  | 'CacheKeyDoesNotExist';

/** A successful cache write: the record as stored (its expiry possibly capped at 24 h). */
export interface CacheWriteSuccess {
  /** Always `success`. */
  type: 'success';
  /** The stored record. */
  record: CacheRecord;
}

/** A refused cache write or delete. */
export interface CacheWriteError {
  /** Always `error`. */
  type: 'error';
  /** Why it was refused. */
  code: CacheWriteErrorCode;
}

/** What `api.cache.set` returns. */
export type CacheWriteResult = CacheWriteSuccess | CacheWriteError;

/** A successful cache delete. */
export interface CacheDeleteSuccess {
  /** Always `success`. */
  type: 'success';
}

/** What `api.cache.delete` returns. */
export type CacheDeleteResult = CacheDeleteSuccess | CacheWriteError;

/** Lifetime of a cache record. If both are given, the earlier expiry wins. */
export interface CacheSetOptions {
  /** Time to live in milliseconds. Default 15 minutes; at most 24 hours. */
  ttl?: number;
  /** Absolute expiry in epoch milliseconds; at most 24 hours from now. */
  expires_at?: number;
}

/**
 * The trigger's cache: synchronous, shared by every action bound to the trigger, for short-lived
 * data such as an API token. An action reads a snapshot taken when it starts; its writes are
 * visible to itself at once and to the actions after it in the chain. Across executions the cache
 * is best-effort (a value may be gone early, e.g. after a redirect resume or on another instance).
 *
 * Limits: 20 entries, key ≤ 64 bytes, value ≤ 4 KB, keys and values ≤ 8 KB in total, 20 writes
 * or deletes per action run. Writes never throw: they return a result object.
 */
export interface CacheAPI {
  /**
   * Reads a record.
   * @param key The record's key.
   * @returns The record, or `undefined` when it is missing or has expired.
   */
  get(key: string): CacheRecord | undefined;
  /**
   * Stores a string value. Without options the record lives 15 minutes; lifetimes are capped at
   * 24 hours.
   * @param key The record's key (≤ 64 bytes).
   * @param value The value (≤ 4 KB); serialise objects with `JSON.stringify`.
   * @param options `ttl` (ms) and/or `expires_at` (epoch ms); the earlier wins.
   * @returns `{ type: 'success', record }`, or `{ type: 'error', code }` when a limit is hit, the
   *   expiry is invalid or already past (`options` must be an object, not a bare number), or the
   *   key or value is not a string.
   */
  set(key: string, value: string, options?: CacheSetOptions): CacheWriteResult;
  /**
   * Deletes a record.
   * @param key The record's key.
   * @returns `{ type: 'success' }`, or `{ type: 'error', code: 'CacheKeyDoesNotExist' }` when there
   *   is no such record.
   */
  delete(key: string): CacheDeleteResult;
}

/** The fields every trigger's event has. */
export interface BaseEvent {
  /** The request that started the transaction. Always present; its fields are optional. */
  request: Request;
  /** The tenant. */
  tenant?: Tenant;
  /** The custom domain, when one is used. */
  custom_domain?: CustomDomain;
  /** TLS fingerprints, when the caller provides them. */
  security_context?: SecurityContext;
  /**
   * This action's secrets, by name (strings). Set per action by Hookchain; never passed to other
   * actions and never logged.
   */
  readonly secrets: Secrets;
  /** This action's configuration values, by name (strings). Set per action by Hookchain. */
  readonly configuration: Configuration;
}
