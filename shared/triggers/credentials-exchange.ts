/** credentials-exchange (sync): the Client Credentials grant, before the access token is returned. */
import { z } from 'zod';
import { baseEventFields, clientSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { type AccessSection, accessWithOAuthCode } from './namespaces/access.ts';
import { cache } from './namespaces/cache.ts';
import { type AccessTokenSection, accessTokenClaims } from './namespaces/tokens.ts';
import { type TargetScopesSection, targetScopes } from './namespaces/transaction.ts';
import { sampleCredentialsExchangeEvent } from './samples.ts';

export type CredentialsExchangeResult = AccessSection & AccessTokenSection & TargetScopesSection;

export const credentialsExchange = defineTrigger<CredentialsExchangeResult>({
  id: 'credentials-exchange',
  version: 'v2',
  mode: 'sync',
  entrypoints: { execute: 'onExecuteCredentialsExchange' },
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      client: clientSchema,
      accessToken: z.looseObject({ scope: z.array(z.string()).optional() }).optional(),
      resource_server: z.looseObject({ identifier: z.string() }).optional(),
    }),
  sampleEvent: sampleCredentialsExchangeEvent,
  namespaces: () => [accessWithOAuthCode(), accessTokenClaims(), targetScopes(), cache()],
});
