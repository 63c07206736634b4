/** post-login (sync): after authentication, before tokens are issued. The richest api of all. */
import { z } from 'zod';
import { type PostLoginResult, postLoginApi } from './api/post-login.ts';
import { baseEventFields, clientSchema, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { samplePostLoginEvent } from './samples.ts';

export type { PostLoginResult };

export const postLogin = defineTrigger<PostLoginResult>(postLoginApi, {
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
});
