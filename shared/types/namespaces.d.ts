/**
 * The `api` namespaces, shared by the triggers that have them. Each is generic over the trigger's
 * root `api` type (`Api`), which the methods that allow chaining return.
 *
 * In Hookchain an `api` call checks its arguments at once (a bad argument throws a `TypeError`
 * naming the method, inside your action) and records a command. After your action finishes, its
 * commands are applied all-or-nothing to the chain's combined `result`, which the identity service
 * (the caller) applies to its own transaction. Calls made after the action finished (from a timer
 * or a promise it did not await) are ignored, with a warning in the logs.
 */
import type { Dict } from './common.js';

// ---------------------------------------------------------------------------------------------
// access

/** `api.access` (post-login, password-reset-post-challenge): refuse the transaction. */
export interface AccessAPI<Api> {
  /**
   * Denies the transaction. Your action runs to completion (its other calls still count), then no
   * later action runs and the chain ends with status `denied`; `result.access` becomes
   * `{ denied: true, reason }`.
   * @param reason Why; may be shown to the end user (post-login: the OAuth `error_description`).
   *   Must not be empty.
   * @returns The `api` object, for chaining.
   */
  deny(reason: string): Api;
}

/** The OAuth error codes `api.access.deny` accepts in credentials-exchange. */
export type CredentialsExchangeDenyCode = 'invalid_scope' | 'invalid_request' | 'server_error';

/** `api.access` (credentials-exchange): refuse the token request with an OAuth error. */
export interface CredentialsExchangeAccessAPI<Api> {
  /**
   * Denies the client credentials request. Your action finishes, then no later action runs; the
   * chain ends `denied` and `result.access` becomes `{ denied: true, code, reason? }`, which the
   * caller returns as the OAuth error.
   * @param code `invalid_scope`, `invalid_request` or `server_error`; anything else throws.
   * @param reason Human-readable `error_description`.
   * @returns The `api` object, for chaining.
   */
  deny(code: CredentialsExchangeDenyCode, reason?: string): Api;
}

/** `api.access` (pre-user-registration): refuse the signup. */
export interface PreUserRegistrationAccessAPI<Api> {
  /**
   * Refuses the signup: the user is not created. Your action finishes, then no later action runs;
   * the chain ends `denied` and `result.access` becomes `{ denied: true, reason, user_message? }`.
   * @param reason Internal reason, for logs (must not be empty).
   * @param userMessage Message the signup page may show to the user.
   * @returns The `api` object, for chaining.
   */
  deny(reason: string, userMessage?: string): Api;
}

// ---------------------------------------------------------------------------------------------
// tokens

/** `api.idToken` (post-login): claims on the ID token the caller issues. */
export interface IdTokenAPI<Api> {
  /**
   * Sets a custom claim on the ID token. Collected in `result.id_token_claims`; a later call or
   * action setting the same key wins. The token itself is built and signed by the caller.
   * @param key Claim name; use a namespaced URL such as `https://acme.test/roles`. Registered
   *   claims (`sub`, `aud`, `iss`, `exp`, `scope`, `permissions`, ...) are refused.
   * @param value Any JSON-serialisable value (not `undefined`, functions, cycles or BigInt).
   * @returns The `api` object, for chaining.
   */
  setCustomClaim(key: string, value: unknown): Api;
}

/** `api.accessToken` (credentials-exchange): claims on the access token. */
export interface AccessTokenClaimsAPI<Api> {
  /**
   * Sets a custom claim on the access token. Collected in `result.access_token_claims`; a later
   * call or action setting the same key wins. The token is built and signed by the caller.
   * @param key Claim name; use a namespaced URL such as `https://acme.test/tenant`. Registered
   *   claims (`sub`, `aud`, `iss`, `exp`, `scope`, `permissions`, ...) are refused.
   * @param value Any JSON-serialisable value (not `undefined`, functions, cycles or BigInt).
   * @returns The `api` object, for chaining.
   */
  setCustomClaim(key: string, value: unknown): Api;
}

/** `api.accessToken` (post-login): claims and scopes of the access token. */
export interface AccessTokenAPI<Api> extends AccessTokenClaimsAPI<Api> {
  /**
   * Adds a scope to the access token: recorded in `result.access_token_scopes.added` (and taken
   * out of `removed` if an earlier call removed it).
   * @param scope One scope, without whitespace.
   * @returns The `api` object, for chaining.
   */
  addScope(scope: string): Api;
  /**
   * Removes a scope from the access token: recorded in `result.access_token_scopes.removed` (and
   * taken out of `added`).
   * @param scope One scope, without whitespace.
   * @returns The `api` object, for chaining.
   */
  removeScope(scope: string): Api;
}

// ---------------------------------------------------------------------------------------------
// user

/** `api.user` (post-login, pre-user-registration): metadata changes for the caller to write once. */
export interface UserAPI<Api> {
  /**
   * Sets a key of the user's `app_metadata`. Changes from every action are merged into
   * `result.user.app_metadata` for the caller to write in one update, and later actions see them in
   * `event.user.app_metadata`.
   * @param key Top-level metadata key (not empty).
   * @param value Any JSON value; `null` deletes the key; `undefined` drops this action's pending
   *   change to the key. The merged metadata must stay under 32 KB. Throws if the user's existing
   *   `app_metadata` is not an object.
   * @returns The `api` object, for chaining.
   */
  setAppMetadata(key: string, value: unknown): Api;
  /**
   * Sets a key of the user's `user_metadata`. Merged into `result.user.user_metadata` for one write
   * by the caller; later actions see it in `event.user.user_metadata`.
   * @param key Top-level metadata key (not empty).
   * @param value Any JSON value; `null` deletes the key; `undefined` drops this action's pending
   *   change to the key. The merged metadata must stay under 32 KB. Throws if the user's existing
   *   `user_metadata` is not an object.
   * @returns The `api` object, for chaining.
   */
  setUserMetadata(key: string, value: unknown): Api;
}

// ---------------------------------------------------------------------------------------------
// validation

/** `api.validation`: reject with your own error code. */
export interface ValidationAPI<Api> {
  /**
   * Rejects the transaction with a code and message of your own. Like a deny: your action
   * finishes, no later action runs, the chain ends `denied`; `result.validation_error` becomes
   * `{ code, message }`.
   * @param errorCode Your error code (not empty), for logs and the caller.
   * @param errorMessage Message that may be shown to the user (not empty).
   * @returns The `api` object, for chaining.
   */
  error(errorCode: string, errorMessage: string): Api;
}

// ---------------------------------------------------------------------------------------------
// multifactor and authentication

/** MFA providers `api.multifactor.enable` accepts. */
export type MultifactorProvider = 'any' | 'none' | 'guardian' | 'google-authenticator' | 'duo';

/** Options of `api.multifactor.enable`. */
export interface MultifactorEnableOptions {
  /** Let the user skip MFA on this browser for a while (default `false`). */
  allowRememberBrowser?: boolean;
  /** Duo settings, for `provider: 'duo'`. */
  providerOptions?: {
    /** Duo API host name. */
    host: string;
    /** Duo integration key. */
    ikey: string;
    /** Duo secret key. */
    skey: string;
    /** Duo user name, when it differs from the user's. */
    username?: string;
  };
}

/** `api.multifactor` (post-login). */
export interface MultifactorAPI<Api> {
  /**
   * Requires multi-factor authentication after the chain. Sets `result.multifactor` to
   * `{ provider, allow_remember_browser, provider_options? }` (the last call wins); the caller runs
   * the challenge (or enrolment) before issuing tokens. Later actions still run.
   * @param provider `any` (the user's enrolled factors), `guardian`, `google-authenticator`, `duo`,
   *   or `none` to cancel an earlier requirement.
   * @param options `allowRememberBrowser`, and Duo `providerOptions`.
   * @returns The `api` object, for chaining.
   */
  enable(provider: MultifactorProvider, options?: MultifactorEnableOptions): Api;
}

/** Factor types that can be challenged. */
export type ChallengeFactorType =
  | 'otp'
  | 'email'
  | 'webauthn-platform'
  | 'webauthn-roaming'
  | 'recovery-code'
  | 'phone'
  | 'push'
  | 'push-notification';

/** Factor types that can be enrolled. */
export type EnrollFactorType =
  | 'otp'
  | 'webauthn-platform'
  | 'webauthn-roaming'
  | 'recovery-code'
  | 'push'
  | 'push-notification'
  | 'phone';

/** Per-factor options. */
export interface FactorOptions {
  /** For `phone`: the delivery method to prefer. */
  preferredMethod?: 'sms' | 'voice' | 'both';
  /** For `push`/`push-notification`: whether the OTP fallback is offered. */
  otpFallback?: boolean;
  /** Other options are passed through to the caller. */
  [option: string]: unknown;
}

/** A factor to challenge or enrol. */
export interface FactorSelector<Type extends string = ChallengeFactorType> {
  /** The factor type. */
  type: Type;
  /** Options for this factor. */
  options?: FactorOptions;
}

/** A factor to enrol. */
export type EnrollmentFactorSelector = FactorSelector<EnrollFactorType>;

/** Options of `challengeWith`. */
export interface ChallengeWithOptions {
  /** Other factors the user may pick instead of the first one. */
  additionalFactors?: FactorSelector[];
}

/** Options of `enrollWith`. */
export interface EnrollWithOptions {
  /** Other factors the user may pick instead of the first one. */
  additionalFactors?: EnrollmentFactorSelector[];
}

/** `api.authentication` (password-reset-post-challenge): MFA challenges. */
export interface ChallengeAPI<Api> {
  /**
   * Requires a challenge with a factor (or one of `additionalFactors`). Appends
   * `{ kind: 'challenge', any: false, factors: [factor, ...additionalFactors] }` to
   * `result.authentication.steps`; the caller runs the steps in order after the chain (skipping
   * factors already satisfied or not enrolled, failing when none is usable). Hookchain does not
   * pause the chain here: later actions still run.
   * @param factor The factor to challenge first.
   * @param options `additionalFactors` the user may choose instead.
   * @returns The `api` object, for chaining.
   */
  challengeWith(factor: FactorSelector, options?: ChallengeWithOptions): Api;
  /**
   * Requires a challenge with any one of the factors, letting the user pick. Appends
   * `{ kind: 'challenge', any: true, factors }` to `result.authentication.steps`.
   * @param factors At least one factor.
   * @returns The `api` object, for chaining.
   */
  challengeWithAny(factors: FactorSelector[]): Api;
}

/** `api.authentication` (post-login): challenges, enrolments, custom methods, account linking. */
export interface AuthenticationAPI<Api> extends ChallengeAPI<Api> {
  /**
   * Requires enrolment of a factor (or one of `additionalFactors`). Appends
   * `{ kind: 'enroll', any: false, factors }` to `result.authentication.steps`, run by the caller
   * after the chain.
   * @param factor The factor to enrol.
   * @param options `additionalFactors` the user may choose instead.
   * @returns The `api` object, for chaining.
   */
  enrollWith(factor: EnrollmentFactorSelector, options?: EnrollWithOptions): Api;
  /**
   * Requires enrolment of any one of the factors, letting the user pick. Appends
   * `{ kind: 'enroll', any: true, factors }` to `result.authentication.steps`.
   * @param factors At least one factor.
   * @returns The `api` object, for chaining.
   */
  enrollWithAny(factors: EnrollmentFactorSelector[]): Api;
  /**
   * Records a custom authentication method the user completed (e.g. on the site you redirected
   * to). Added to `result.authentication.recorded_methods` for the caller to store in the session.
   * Only in `onContinuePostLogin`; throws elsewhere.
   * @param providerUrl An absolute http(s) URL naming the method.
   * @returns The `api` object, for chaining.
   */
  recordMethod(providerUrl: string): Api;
  /**
   * Makes a linked user the subject of the tokens. Sets `result.authentication.primary_user_id`;
   * the caller switches the subject. At most once per action run (a second call throws).
   * @param primaryUserId The primary user's id (≤ 128 characters).
   * @returns The `api` object, for chaining.
   */
  setPrimaryUser(primaryUserId: string): Api;
}

// ---------------------------------------------------------------------------------------------
// redirect and prompt

/** Options of `api.redirect.sendUserTo`. */
export interface SendUserToOptions {
  /** Query parameters to add to the URL (string values). */
  query?: { [param: string]: string };
}

/** Options of `api.redirect.encodeToken`. */
export interface EncodeTokenOptions {
  /** The HS256 signing secret shared with the redirect target; keep it in `event.secrets`. */
  secret: string;
  /**
   * Data for the redirect target (JSON-serialisable). Hookchain adds `iat`, `iss`, `sub`, `exp` and
   * `ip` unless the payload sets them.
   */
  payload: { [claim: string]: unknown };
  /** Lifetime in whole seconds (default 900, i.e. 15 minutes). */
  expiresInSeconds?: number;
}

/** Options of `api.redirect.validateToken`. */
export interface ValidateTokenOptions {
  /** The HS256 secret the redirect target signed with. */
  secret: string;
  /** The query or body parameter holding the token (default `session_token`). */
  tokenParameterName?: string;
}

/** The claims of a token accepted by `api.redirect.validateToken`. */
export interface RedirectTokenPayload extends Dict {
  /** Expiry, in epoch seconds (required, checked). */
  exp: number;
  /** The suspended transaction's `state` (required, checked). */
  state: string;
  /** The user id (checked against `event.user.user_id`). */
  sub?: string;
  /** Issuer (checked against `event.request.hostname` when both are set). */
  iss?: string;
  /** Issued-at, in epoch seconds. */
  iat?: number;
}

/**
 * `api.redirect` (post-login, password-reset-post-challenge): send the user to another site and
 * resume when they come back.
 */
export interface RedirectAPI<Api> {
  /**
   * Redirects the user after this action. The chain suspends (status `suspended`):
   * `result.redirect` is `{ url, query, state }`, where `url` has your query and Hookchain's `state`
   * appended. When the user comes back, the caller calls `continue` with that `state` and a fresh
   * event, and the chain resumes in this same action's `onContinue*` handler; earlier actions do not
   * run again. Throws if `api.canRedirect()` is false or `api.prompt.render` was called in this
   * action.
   * @param url Absolute http(s) URL.
   * @param options `query` parameters to append (string values).
   * @returns The `api` object, for chaining.
   */
  sendUserTo(url: string, options?: SendUserToOptions): Api;
  /**
   * Whether this transaction can redirect: `false` for `prompt=none` (in `event.transaction.prompt`
   * or `event.request.query.prompt`) and for non-interactive protocols (`oauth2-resource-owner`,
   * `oauth2-refresh-token`, `oauth2-password`, `oauth2-webauthn`).
   */
  canRedirect(): boolean;
  /**
   * Signs data for the redirect target as an HS256 JWT (signed, not encrypted). Runs in the action;
   * records nothing. Claims: `iat`, `iss` (= `event.request.hostname`), `sub` (= `event.user.user_id`),
   * `exp` (= `iat + expiresInSeconds`) and `ip` (= `event.request.ip`), then your `payload`, which
   * may override any of them.
   * @param options `secret`, a JSON-serialisable `payload`, and optional `expiresInSeconds`
   *   (default 900).
   * @returns The token, e.g. to pass as `session_token` in `sendUserTo`'s query.
   */
  encodeToken(options: EncodeTokenOptions): string;
  /**
   * Reads and verifies the token the redirect target sent back to `/continue`
   * (`event.request.body[tokenParameterName]`, else `event.request.query[...]`). Checks the HS256
   * signature, that `exp` is in the future, that the `state` claim equals the suspended
   * transaction's state, that `sub` is the user and, when both are set, that `iss` is
   * `event.request.hostname`. Use it in `onContinue*`.
   * @param options `secret` and optional `tokenParameterName` (default `session_token`).
   * @returns All the token's claims.
   * @throws Error when the token is missing, malformed, forged, expired or for another transaction.
   */
  validateToken(options: ValidateTokenOptions): RedirectTokenPayload;
}

/** Options of `api.prompt.render`. */
export interface RenderPromptOptions {
  /** Values to pre-fill the prompt's fields with. */
  fields?: Dict;
  /** Variables for the prompt's template. */
  vars?: Dict;
}

/** `api.prompt` (post-login, password-reset-post-challenge): show a form. */
export interface PromptAPI<Api> {
  /**
   * Renders a custom prompt after this action. Like a redirect, the chain suspends:
   * `result.prompt` is `{ id, fields, vars, state }`, and the chain resumes in this action's
   * `onContinue*` with the submitted data in `event.prompt`. One prompt per action; not together
   * with `api.redirect.sendUserTo`; options at most 10 KB of JSON.
   * @param promptId The prompt's id (not empty).
   * @param options `fields` and `vars`.
   * @returns The `api` object, for chaining.
   */
  render(promptId: string, options?: RenderPromptOptions): Api;
}

// ---------------------------------------------------------------------------------------------
// transaction

/** Values transaction metadata accepts; `null` deletes a key. */
export type TransactionMetadataValue = string | number | boolean | null;

/** `api.transaction` (post-login): metadata shared by the actions of this transaction. */
export interface TransactionMetadataAPI<Api> {
  /**
   * Sets transaction metadata: visible at once in `event.transaction.metadata`, for this action
   * and the later ones (also after a redirect), and returned in `result.transaction_metadata`.
   * Not stored after the transaction.
   * @param key Key, 1 to 64 characters.
   * @param value A string (≤ 8 KB), finite number (integers must be safe), boolean, or `null` to
   *   delete. Serialise objects yourself. All metadata together must stay under 16 KB.
   * @returns The `api` object, for chaining.
   */
  setMetadata(key: string, value: TransactionMetadataValue): Api;
}

/** `api.transaction` (credentials-exchange): the scopes of the token being issued. */
export interface TargetScopesAPI<Api> {
  /**
   * Adds a scope to `event.transaction.target_scopes` (at once, for this and later actions). The
   * target scopes start as the token's `event.accessToken.scope` when the caller sent none. The
   * final list is returned in `result.target_scopes`; the caller intersects it with the client's
   * grant.
   * @param scope One scope, without whitespace.
   * @returns The `api` object, for chaining.
   */
  addTargetScope(scope: string): Api;
  /**
   * Removes a scope from `event.transaction.target_scopes` (at once) and from
   * `result.target_scopes`.
   * @param scope One scope, without whitespace.
   * @returns The `api` object, for chaining.
   */
  removeTargetScope(scope: string): Api;
  /**
   * Replaces the target scopes (duplicates removed), in the event at once and in
   * `result.target_scopes`.
   * @param scopes Scopes, none containing whitespace.
   * @returns The `api` object, for chaining.
   */
  setTargetScopes(scopes: string[]): Api;
  /**
   * Empties the target scopes, in the event at once and in `result.target_scopes`.
   * @returns The `api` object, for chaining.
   */
  clearTargetScopes(): Api;
}

/** `api.transaction` (password-reset-post-challenge): where the user lands afterwards. */
export interface ResultUrlAPI<Api> {
  /**
   * Sets where the caller sends the user once the password is reset: `result.result_url` becomes
   * `{ url, query }` (the last call wins).
   * @param url Absolute http(s) URL.
   * @param options `query` parameters to add (string values).
   * @returns The `api` object, for chaining.
   */
  setResultUrl(url: string, options?: { query?: { [param: string]: string } }): Api;
}

// ---------------------------------------------------------------------------------------------
// samlResponse

/** What a SAML attribute may hold; `null` or `undefined` removes the attribute. */
export type SamlAttributeValue =
  | string
  | number
  | boolean
  | Array<string | number | boolean>
  | null
  | undefined;

/**
 * `api.samlResponse` (post-login): attributes and settings of the SAML response the caller builds.
 * Each call records one change in `result.saml_response` (`attributes`, and `settings` keyed in
 * snake_case, e.g. `setLifetimeInSeconds` → `lifetime_in_seconds`). A value outside the limits
 * throws.
 */
export interface SamlResponseAPI<Api> {
  /**
   * Sets (or with `null`/`undefined`, removes) an attribute of the assertion. At most 100
   * attributes per action; name ≤ 1 KB; value ≤ 2 KB as JSON.
   * @param attribute Attribute name, e.g. `http://schemas.xmlsoap.org/claims/Group`.
   * @param value A string, number or boolean, an array of those, or `null`/`undefined` to remove.
   * @returns The `api` object, for chaining.
   */
  setAttribute(attribute: string, value: SamlAttributeValue): Api;
  /**
   * Sets the audience of the assertion (≤ 2 KB).
   * @param audience The audience.
   * @returns The `api` object, for chaining.
   */
  setAudience(audience: string): Api;
  /**
   * Sets the recipient of the assertion (≤ 2 KB).
   * @param recipient The recipient.
   * @returns The `api` object, for chaining.
   */
  setRecipient(recipient: string): Api;
  /**
   * Sets the destination of the response (≤ 2 KB).
   * @param destination The destination URL.
   * @returns The `api` object, for chaining.
   */
  setDestination(destination: string): Api;
  /**
   * Whether to add a UPN claim (default `true`).
   * @param createUpnClaim On or off.
   * @returns The `api` object, for chaining.
   */
  setCreateUpnClaim(createUpnClaim: boolean): Api;
  /**
   * Whether to pass through claims that have no mapping (default `true`).
   * @param passthrough On or off.
   * @returns The `api` object, for chaining.
   */
  setPassthroughClaimsWithNoMapping(passthrough: boolean): Api;
  /**
   * Whether to map unknown claims as they are (default `false`).
   * @param mapUnknown On or off.
   * @returns The `api` object, for chaining.
   */
  setMapUnknownClaimsAsIs(mapUnknown: boolean): Api;
  /**
   * Whether to add the user's identities as attributes (default `true`).
   * @param mapIdentities On or off.
   * @returns The `api` object, for chaining.
   */
  setMapIdentities(mapIdentities: boolean): Api;
  /**
   * Sets the signature algorithm (default `rsa-sha256`).
   * @param algorithm `rsa-sha256` or `rsa-sha1`.
   * @returns The `api` object, for chaining.
   */
  setSignatureAlgorithm(algorithm: 'rsa-sha256' | 'rsa-sha1'): Api;
  /**
   * Sets the digest algorithm (default `sha256`).
   * @param algorithm `sha256` or `sha1`.
   * @returns The `api` object, for chaining.
   */
  setDigestAlgorithm(algorithm: 'sha256' | 'sha1'): Api;
  /**
   * Sets the assertion lifetime (default 3600).
   * @param seconds A positive whole number of seconds.
   * @returns The `api` object, for chaining.
   */
  setLifetimeInSeconds(seconds: number): Api;
  /**
   * Whether to sign the whole response, not only the assertion (default `false`).
   * @param signResponse On or off.
   * @returns The `api` object, for chaining.
   */
  setSignResponse(signResponse: boolean): Api;
  /**
   * Sets the NameID format (≤ 512 bytes).
   * @param format e.g. `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress`.
   * @returns The `api` object, for chaining.
   */
  setNameIdentifierFormat(format: string): Api;
  /**
   * Sets the attributes probed, in order, for the NameID (≤ 10, each ≤ 512 bytes).
   * @param probes Attribute names.
   * @returns The `api` object, for chaining.
   */
  setNameIdentifierProbes(probes: string[]): Api;
  /**
   * Sets the AuthnContextClassRef (≤ 512 bytes).
   * @param classRef The class reference.
   * @returns The `api` object, for chaining.
   */
  setAuthnContextClassRef(classRef: string): Api;
  /**
   * Sets the signing certificate, PEM (≤ 4 KB).
   * @param cert The certificate.
   * @returns The `api` object, for chaining.
   */
  setSigningCert(cert: string): Api;
  /**
   * Whether to include the NameFormat of attributes (default `true`).
   * @param include On or off.
   * @returns The `api` object, for chaining.
   */
  setIncludeAttributeNameFormat(include: boolean): Api;
  /**
   * Whether attributes carry their types (default `true`).
   * @param typed On or off.
   * @returns The `api` object, for chaining.
   */
  setTypedAttributes(typed: boolean): Api;
  /**
   * Sets the encryption certificate, PEM (≤ 4 KB).
   * @param cert The certificate.
   * @returns The `api` object, for chaining.
   */
  setEncryptionCert(cert: string): Api;
  /**
   * Sets the encryption public key, PEM (≤ 4 KB).
   * @param key The public key.
   * @returns The `api` object, for chaining.
   */
  setEncryptionPublicKey(key: string): Api;
  /**
   * Sets the certificate used to sign, PEM (≤ 4 KB).
   * @param cert The certificate.
   * @returns The `api` object, for chaining.
   */
  setCert(cert: string): Api;
  /**
   * Sets the private key used to sign, PEM (≤ 4 KB).
   * @param key The private key.
   * @returns The `api` object, for chaining.
   */
  setKey(key: string): Api;
  /**
   * Sets the RelayState (≤ 2 KB).
   * @param relayState The relay state.
   * @returns The `api` object, for chaining.
   */
  setRelayState(relayState: string): Api;
  /**
   * Sets the issuer (≤ 2 KB).
   * @param issuer The issuer.
   * @returns The `api` object, for chaining.
   */
  setIssuer(issuer: string): Api;
  /**
   * Sets the assertion encryption algorithm (default `aes256-cbc`; `aes256-gcm` recommended).
   * @param algorithm `aes256-gcm` or `aes256-cbc`.
   * @returns The `api` object, for chaining.
   */
  setEncryptionAlgorithm(algorithm: 'aes256-gcm' | 'aes256-cbc'): Api;
}

// ---------------------------------------------------------------------------------------------
// session and refreshToken

/** Options of `api.session.revoke`. */
export interface SessionRevokeOptions {
  /** Keep the session's refresh tokens valid. */
  preserveRefreshTokens?: boolean;
}

/**
 * What `api.session` and `api.refreshToken` share. Metadata changes show in `event.session` /
 * `event.refresh_token` at once, and after a redirect too. Neither object is ever invented: on
 * `api.session`, `setMetadata` throws without `event.session` (deleting and evicting do nothing);
 * on `api.refreshToken`, metadata set before a token exists is recorded for the token about to be
 * issued, and an online token (`event.refresh_token.access === 'online'`) refuses lifetime and
 * metadata changes (they throw).
 */
export interface LifecycleAPI<Api> {
  /**
   * Requests an absolute expiry. Recorded in `result.<session|refresh_token>.expires_at`; the
   * earliest requested time wins.
   * @param expiresAt Epoch milliseconds (a positive integer).
   * @returns The `api` object, for chaining.
   */
  setExpiresAt(expiresAt: number): Api;
  /**
   * Requests an idle expiry. Recorded in `result.<session|refresh_token>.idle_expires_at`; the
   * earliest requested time wins.
   * @param idleExpiresAt Epoch milliseconds (a positive integer).
   * @returns The `api` object, for chaining.
   */
  setIdleExpiresAt(idleExpiresAt: number): Api;
  /**
   * Sets a metadata key, visible at once in the event's `metadata` (when the event has the object)
   * and returned in the result's `metadata` changes. At most 25 keys. `api.session.setMetadata`
   * throws when there is no `event.session`.
   * @param key 1 to 255 characters of `[a-zA-Z0-9_-]`.
   * @param value A string of at most 255 characters; `null` deletes the key.
   * @returns The `api` object, for chaining.
   */
  setMetadata(key: string, value: string | null): Api;
  /**
   * Deletes a metadata key (recorded as `null` in the result's `metadata` changes).
   * @param key The key.
   * @returns The `api` object, for chaining.
   */
  deleteMetadata(key: string): Api;
  /**
   * Deletes all metadata: the result says `metadata_evicted: true`, followed by any later changes.
   * @returns The `api` object, for chaining.
   */
  evictMetadata(): Api;
}

/** `api.session` (post-login): the caller's login session. Changes go to `result.session`. */
export interface SessionAPI<Api> extends LifecycleAPI<Api> {
  /**
   * Revokes the session and denies the login: `result.session.revoked` is set, `result.access`
   * becomes denied with the same reason, and no later action runs.
   * @param reason Why (not empty); becomes the deny reason.
   * @param options `preserveRefreshTokens`.
   * @returns The `api` object, for chaining.
   */
  revoke(reason: string, options?: SessionRevokeOptions): Api;
  /**
   * Sets the session cookie mode: `result.session.cookie_mode`, and `event.session.cookie.mode` at
   * once when there is a session.
   * @param mode `persistent` or `non-persistent`.
   * @returns The `api` object, for chaining.
   */
  setCookieMode(mode: 'persistent' | 'non-persistent'): Api;
}

/** `api.refreshToken` (post-login): the refresh token being exchanged. Changes go to `result.refresh_token`. */
export interface RefreshTokenAPI<Api> extends LifecycleAPI<Api> {
  /**
   * Revokes the refresh token and denies the exchange: `result.refresh_token.revoked` is set,
   * `result.access` becomes denied, and no later action runs. Only when
   * `event.transaction.protocol` is `oauth2-refresh-token`; throws otherwise.
   * @param reason Why (not empty).
   * @returns The `api` object, for chaining.
   */
  revoke(reason: string): Api;
}

// ---------------------------------------------------------------------------------------------
// lookups: groups, roles, rules

/** Page options of the lookups. */
export interface PageOptions {
  /** Page size, 1 to 100 (default 50). */
  take?: number;
  /** The `next` checkpoint of the previous page. */
  from?: string;
}

/** A group the user belongs to. */
export interface Group {
  /** The group's id (its name when the caller sent only names). */
  id: string;
  /** The group's name. */
  name: string;
  /** Other fields the caller sent for the group, kept as they are. */
  [field: string]: unknown;
}

/** A group that matched a `hasGroupMembership` query. */
export interface GroupMatch {
  /** The group's id. */
  id: string;
  /** The group's name. */
  name: string;
  /** The group's type: what the caller sent as `group_type`, else `tenant`. */
  group_type: string;
}

/** Whether the user is in one queried group. */
export interface GroupMembership {
  /** `true` when a group of the user has this id or name. */
  is_member: boolean;
  /** The user's groups that matched, when `is_member` is true. */
  matches?: GroupMatch[];
}

/** A role the user has. */
export interface Role {
  /** The role's id (its name when the caller sent only names). */
  id: string;
  /** The role's name. */
  name: string;
  /** The role's type (`role` unless the caller says otherwise). */
  type: string;
}

/**
 * `api.groups` (post-login). Hookchain has no group store: these answer from `event.user.groups`
 * (names or `{ id, name }` objects) as the caller sent them. Async, like Auth0's.
 */
export interface GroupsAPI {
  /**
   * Lists the user's groups, a page at a time.
   * @param options `take` (≤ 100, default 50) and `from` (a previous `next`).
   * @returns `{ groups, next? }`; `next` is present when more remain.
   */
  getUserGroups(options?: PageOptions): Promise<{ groups: Group[]; next?: string }>;
  /**
   * Checks the user's membership of each group, by id or name.
   * @param groups Group names or ids (1 to 100).
   * @returns `{ memberships }`, keyed by each queried id or name, e.g.
   *   `{ memberships: { admins: { is_member: true, matches: [...] }, ops: { is_member: false } } }`.
   */
  hasGroupMembership(groups: string[]): Promise<{ memberships: { [group: string]: GroupMembership } }>;
}

/**
 * `api.roles` (post-login). Hookchain has no role store: these answer from
 * `event.authorization.effective_roles` when the caller sends it, else from
 * `event.authorization.roles` (names, each becoming `{ id: name, name, type: 'role' }`). Async.
 */
export interface RolesAPI {
  /**
   * Lists the user's roles, a page at a time.
   * @param options `take` (≤ 100, default 50) and `from` (a previous `next`).
   * @returns `{ roles, next? }`; `next` is present when more remain.
   */
  getUserEffectiveRoles(options?: PageOptions): Promise<{ roles: Role[]; next?: string }>;
  /**
   * The user's roles among the given ids.
   * @param ids Role ids (≤ 100).
   */
  getUserEffectiveRolesByIds(ids: string[]): Promise<{ roles: Role[] }>;
  /**
   * The user's roles among the given names.
   * @param names Role names (≤ 50).
   */
  getUserEffectiveRolesByNames(names: string[]): Promise<{ roles: Role[] }>;
}

/** `api.rules` (post-login): coexistence with legacy rules. */
export interface RulesAPI {
  /**
   * Whether a legacy rule already ran in this transaction: answered from `event.executed_rules`,
   * the rule ids the caller lists.
   * @param ruleId The rule's id (not empty).
   */
  wasExecuted(ruleId: string): boolean;
}
