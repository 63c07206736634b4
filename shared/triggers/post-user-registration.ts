/** post-user-registration (async): after a user is created; cannot affect the signup. */
import { z } from 'zod';
import { baseEventFields, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger, type JsonObject } from './framework.ts';
import { cache } from './namespaces/cache.ts';
import { samplePostUserRegistrationEvent } from './samples.ts';

export const postUserRegistration = defineTrigger<JsonObject>({
  id: 'post-user-registration',
  version: 'v2',
  mode: 'async',
  entrypoints: { execute: 'onExecutePostUserRegistration' },
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: existingUserSchema,
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePostUserRegistrationEvent,
  namespaces: () => [cache()],
});
