/** pre-user-registration (sync): before a database or passwordless user is created. */
import { z } from 'zod';
import { type PreUserRegistrationResult, preUserRegistrationApi } from './api/pre-user-registration.ts';
import { baseEventFields, clientSchema, connectionSchema, userSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { samplePreUserRegistrationEvent } from './samples.ts';

export type { PreUserRegistrationResult };

export const preUserRegistration = defineTrigger<PreUserRegistrationResult>(preUserRegistrationApi, {
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: userSchema,
      client: clientSchema.optional(),
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePreUserRegistrationEvent,
});
