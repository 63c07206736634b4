/**
 * post-user-registration, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../post-user-registration.ts.
 */
import { defineTriggerApi, type JsonObject } from '../framework.ts';
import { cache } from '../namespaces/cache.ts';

export const postUserRegistrationApi = defineTriggerApi<JsonObject>({
  id: 'post-user-registration',
  version: 'v2',
  mode: 'async',
  entrypoints: { execute: 'onExecutePostUserRegistration' },
  namespaces: { cache },
});
