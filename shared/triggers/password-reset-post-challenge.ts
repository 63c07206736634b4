/** password-reset-post-challenge (sync): after the reset link, before the new password is set. */
import { z } from 'zod';
import {
  type PasswordResetPostChallengeResult,
  passwordResetPostChallengeApi,
} from './api/password-reset-post-challenge.ts';
import { baseEventFields, clientSchema, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { samplePasswordResetPostChallengeEvent } from './samples.ts';

export type { PasswordResetPostChallengeResult };

export const passwordResetPostChallenge = defineTrigger<PasswordResetPostChallengeResult>(
  passwordResetPostChallengeApi,
  {
    eventSchema: () =>
      z.looseObject({
        ...baseEventFields,
        user: existingUserSchema,
        client: clientSchema.optional(),
        connection: connectionSchema.optional(),
      }),
    sampleEvent: samplePasswordResetPostChallengeEvent,
  },
);
