/**
 * post-login, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../post-login.ts.
 */
import { defineTriggerApi } from '../framework.ts';
import { type AccessSection, accessWithReason } from '../namespaces/access.ts';
import { type AuthenticationSection, authentication } from '../namespaces/authentication.ts';
import { cache } from '../namespaces/cache.ts';
import {
  type RefreshTokenSection,
  refreshToken,
  type SessionSection,
  session,
} from '../namespaces/lifecycle.ts';
import { groups, roles, rules } from '../namespaces/lookups.ts';
import { type MultifactorSection, multifactor } from '../namespaces/multifactor.ts';
import { type PromptSection, prompt } from '../namespaces/prompt.ts';
import { type RedirectSection, redirect } from '../namespaces/redirect.ts';
import { type SamlSection, samlResponse } from '../namespaces/saml.ts';
import {
  type AccessTokenScopesSection,
  type AccessTokenSection,
  accessTokenWithScopes,
  type IdTokenSection,
  idToken,
} from '../namespaces/tokens.ts';
import { type TransactionMetadataSection, transactionMetadata } from '../namespaces/transaction.ts';
import { type UserMetadataSection, user } from '../namespaces/user.ts';
import { type ValidationSection, validation } from '../namespaces/validation.ts';

export type PostLoginResult = AccessSection &
  IdTokenSection &
  AccessTokenSection &
  AccessTokenScopesSection &
  UserMetadataSection &
  MultifactorSection &
  AuthenticationSection &
  RedirectSection &
  PromptSection &
  ValidationSection &
  TransactionMetadataSection &
  SamlSection &
  SessionSection &
  RefreshTokenSection;

export const postLoginApi = defineTriggerApi<PostLoginResult>({
  id: 'post-login',
  version: 'v3',
  mode: 'sync',
  entrypoints: { execute: 'onExecutePostLogin', continue: 'onContinuePostLogin' },
  namespaces: {
    access: accessWithReason,
    accessToken: accessTokenWithScopes,
    idToken,
    user,
    multifactor,
    authentication: () => authentication({ full: true }),
    redirect,
    prompt,
    validation,
    transaction: transactionMetadata,
    samlResponse,
    session,
    refreshToken,
    groups,
    roles,
    rules,
    cache,
  },
});
