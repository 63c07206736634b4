/**
 * credentials-exchange, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../credentials-exchange.ts.
 */
import { defineTriggerApi } from '../framework.ts';
import { type AccessSection, accessWithOAuthCode } from '../namespaces/access.ts';
import { cache } from '../namespaces/cache.ts';
import { type AccessTokenSection, accessTokenClaims } from '../namespaces/tokens.ts';
import { type TargetScopesSection, targetScopes } from '../namespaces/transaction.ts';

export type CredentialsExchangeResult = AccessSection & AccessTokenSection & TargetScopesSection;

export const credentialsExchangeApi = defineTriggerApi<CredentialsExchangeResult>({
  id: 'credentials-exchange',
  version: 'v2',
  mode: 'sync',
  entrypoints: { execute: 'onExecuteCredentialsExchange' },
  namespaces: {
    access: accessWithOAuthCode,
    accessToken: accessTokenClaims,
    transaction: targetScopes,
    cache,
  },
});
