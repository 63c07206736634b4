/** password-reset-post-challenge (sync): after the reset link, before the new password is set. */
import { z } from 'zod';
import { baseEventFields, clientSchema, connectionSchema, existingUserSchema } from './events.ts';
import { defineTrigger } from './framework.ts';
import { type AccessSection, accessWithReason } from './namespaces/access.ts';
import { type AuthenticationSection, authentication } from './namespaces/authentication.ts';
import { cache } from './namespaces/cache.ts';
import { type PromptSection, prompt } from './namespaces/prompt.ts';
import { type RedirectSection, redirect } from './namespaces/redirect.ts';
import { type ResultUrlSection, resultUrl } from './namespaces/transaction.ts';
import { samplePasswordResetPostChallengeEvent } from './samples.ts';

export type PasswordResetPostChallengeResult = AccessSection &
  AuthenticationSection &
  RedirectSection &
  PromptSection &
  ResultUrlSection;

export const passwordResetPostChallenge = defineTrigger<PasswordResetPostChallengeResult>({
  id: 'password-reset-post-challenge',
  version: 'v1',
  mode: 'sync',
  entrypoints: { execute: 'onExecutePostChallenge', continue: 'onContinuePostChallenge' },
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      user: existingUserSchema,
      client: clientSchema.optional(),
      connection: connectionSchema.optional(),
    }),
  sampleEvent: samplePasswordResetPostChallengeEvent,
  namespaces: () => [
    accessWithReason(),
    authentication({ full: false }),
    redirect(),
    prompt(),
    resultUrl(),
    cache(),
  ],
});
