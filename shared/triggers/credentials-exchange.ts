/** credentials-exchange (sync): the Client Credentials grant, before the access token is returned. */
import { z } from 'zod';
import { type CredentialsExchangeResult, credentialsExchangeApi } from './api/credentials-exchange.ts';
import { baseEventFields, clientSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { sampleCredentialsExchangeEvent } from './samples.ts';

export type { CredentialsExchangeResult };

export const credentialsExchange = defineTrigger<CredentialsExchangeResult>(credentialsExchangeApi, {
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      client: clientSchema,
      accessToken: z.looseObject({ scope: z.array(z.string()).optional() }).optional(),
      resource_server: z.looseObject({ identifier: z.string() }).optional(),
    }),
  sampleEvent: sampleCredentialsExchangeEvent,
});
