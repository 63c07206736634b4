/** post-change-password (async): after a database user changed or reset their password. */
import { z } from 'zod';
import { baseEventFields, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger, type JsonObject } from './framework.ts';
import { cache } from './namespaces/cache.ts';
import { samplePostChangePasswordEvent } from './samples.ts';

export const postChangePassword = defineTrigger<JsonObject>({
  id: 'post-change-password',
  version: 'v2',
  mode: 'async',
  entrypoints: { execute: 'onExecutePostChangePassword' },
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: existingUserSchema,
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePostChangePasswordEvent,
  namespaces: () => [cache()],
});
