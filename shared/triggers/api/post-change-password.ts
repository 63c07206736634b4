/**
 * post-change-password, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../post-change-password.ts.
 */
import { defineTriggerApi, type JsonObject } from '../framework.ts';
import { cache } from '../namespaces/cache.ts';

export const postChangePasswordApi = defineTriggerApi<JsonObject>({
  id: 'post-change-password',
  version: 'v2',
  mode: 'async',
  entrypoints: { execute: 'onExecutePostChangePassword' },
  namespaces: { cache },
});
