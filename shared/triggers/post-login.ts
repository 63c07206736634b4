/** post-login (sync): after authentication, before tokens are issued. The richest api of all. */
import { z } from 'zod';
import { baseEventFields, clientSchema, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { type AccessSection, accessWithReason } from './namespaces/access.ts';
import { type AuthenticationSection, authentication } from './namespaces/authentication.ts';
import { cache } from './namespaces/cache.ts';
import {
  type RefreshTokenSection,
  refreshToken,
  type SessionSection,
  session,
} from './namespaces/lifecycle.ts';
import { groups, roles, rules } from './namespaces/lookups.ts';
import { type MultifactorSection, multifactor } from './namespaces/multifactor.ts';
import { type PromptSection, prompt } from './namespaces/prompt.ts';
import { type RedirectSection, redirect } from './namespaces/redirect.ts';
import { type SamlSection, samlResponse } from './namespaces/saml.ts';
import {
  type AccessTokenScopesSection,
  type AccessTokenSection,
  accessTokenWithScopes,
  type IdTokenSection,
  idToken,
} from './namespaces/tokens.ts';
import { type TransactionMetadataSection, transactionMetadata } from './namespaces/transaction.ts';
import { type UserMetadataSection, user } from './namespaces/user.ts';
import { type ValidationSection, validation } from './namespaces/validation.ts';
import { samplePostLoginEvent } from './samples.ts';

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

export const postLogin = defineTrigger<PostLoginResult>({
  id: 'post-login',
  version: 'v3',
  mode: 'sync',
  entrypoints: { execute: 'onExecutePostLogin', continue: 'onContinuePostLogin' },
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: existingUserSchema,
      client: clientSchema,
      connection: connectionSchema.optional(),
      authorization: z.looseObject({ roles: z.array(z.string()).optional() }).optional(),
      authentication: z.looseObject({ methods: z.array(z.looseObject({})).optional() }).optional(),
      stats: z.looseObject({ logins_count: z.number().optional() }).optional(),
      session: z.looseObject({}).optional(),
      refresh_token: z.looseObject({}).optional(),
    }),
  sampleEvent: samplePostLoginEvent,
  namespaces: () => [
    accessWithReason(),
    accessTokenWithScopes(),
    idToken(),
    user(),
    multifactor(),
    authentication({ full: true }),
    redirect(),
    prompt(),
    validation(),
    transactionMetadata(),
    samlResponse(),
    session(),
    refreshToken(),
    groups(),
    roles(),
    rules(),
    cache(),
  ],
});
