/**
 * pre-user-registration, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../pre-user-registration.ts.
 */
import { defineTriggerApi } from '../framework.ts';
import { type AccessSection, accessWithUserMessage } from '../namespaces/access.ts';
import { cache } from '../namespaces/cache.ts';
import { type UserMetadataSection, user } from '../namespaces/user.ts';
import { type ValidationSection, validation } from '../namespaces/validation.ts';

export type PreUserRegistrationResult = AccessSection & UserMetadataSection & ValidationSection;

export const preUserRegistrationApi = defineTriggerApi<PreUserRegistrationResult>({
  id: 'pre-user-registration',
  version: 'v2',
  mode: 'sync',
  entrypoints: { execute: 'onExecutePreUserRegistration' },
  namespaces: { access: accessWithUserMessage, user, validation, cache },
});
