/** post-change-password (async): after a database user changed or reset their password. */
import { z } from 'zod';
import { postChangePasswordApi } from './api/post-change-password.ts';
import { baseEventFields, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger, type JsonObject } from './framework.ts';
import { samplePostChangePasswordEvent } from './samples.ts';

export const postChangePassword = defineTrigger<JsonObject>(postChangePasswordApi, {
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: existingUserSchema,
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePostChangePasswordEvent,
});
