/** post-user-registration (async): after a user is created; cannot affect the signup. */
import { z } from 'zod';
import { postUserRegistrationApi } from './api/post-user-registration.ts';
import { baseEventFields, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger, type JsonObject } from './framework.ts';
import { samplePostUserRegistrationEvent } from './samples.ts';

export const postUserRegistration = defineTrigger<JsonObject>(postUserRegistrationApi, {
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: existingUserSchema,
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePostUserRegistrationEvent,
});
