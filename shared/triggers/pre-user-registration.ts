/** pre-user-registration (sync): before a database or passwordless user is created. */
import { z } from 'zod';
import { baseEventFields, clientSchema, connectionSchema, userSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { type AccessSection, accessWithUserMessage } from './namespaces/access.ts';
import { cache } from './namespaces/cache.ts';
import { type UserMetadataSection, user } from './namespaces/user.ts';
import { type ValidationSection, validation } from './namespaces/validation.ts';
import { samplePreUserRegistrationEvent } from './samples.ts';

export type PreUserRegistrationResult = AccessSection & UserMetadataSection & ValidationSection;

export const preUserRegistration = defineTrigger<PreUserRegistrationResult>({
  id: 'pre-user-registration',
  version: 'v2',
  mode: 'sync',
  entrypoints: { execute: 'onExecutePreUserRegistration' },
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: userSchema,
      client: clientSchema.optional(),
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePreUserRegistrationEvent,
  namespaces: () => [accessWithUserMessage(), user(), validation(), cache()],
});
