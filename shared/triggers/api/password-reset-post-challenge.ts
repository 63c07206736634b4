/**
 * password-reset-post-challenge, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../password-reset-post-challenge.ts.
 */
import { defineTriggerApi } from '../framework.ts';
import { type AccessSection, accessWithReason } from '../namespaces/access.ts';
import { type AuthenticationSection, authentication } from '../namespaces/authentication.ts';
import { cache } from '../namespaces/cache.ts';
import { type PromptSection, prompt } from '../namespaces/prompt.ts';
import { type RedirectSection, redirect } from '../namespaces/redirect.ts';
import { type ResultUrlSection, resultUrl } from '../namespaces/transaction.ts';

export type PasswordResetPostChallengeResult = AccessSection &
  AuthenticationSection &
  RedirectSection &
  PromptSection &
  ResultUrlSection;

export const passwordResetPostChallengeApi = defineTriggerApi<PasswordResetPostChallengeResult>({
  id: 'password-reset-post-challenge',
  version: 'v1',
  mode: 'sync',
  entrypoints: { execute: 'onExecutePostChallenge', continue: 'onContinuePostChallenge' },
  namespaces: {
    access: accessWithReason,
    authentication: () => authentication({ full: false }),
    redirect,
    prompt,
    transaction: resultUrl,
    cache,
  },
});
