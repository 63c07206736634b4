/**
 * send-phone-message, the api side: what runs inside an action's Lambda, and all the runtime wrapper bundles
 * of it. The dispatcher's side (event schema, sample event) is ../send-phone-message.ts.
 */
import { defineTriggerApi, type JsonObject } from '../framework.ts';
import { cache } from '../namespaces/cache.ts';

export const sendPhoneMessageApi = defineTriggerApi<JsonObject>({
  id: 'send-phone-message',
  version: 'v2',
  mode: 'sync',
  entrypoints: { execute: 'onExecuteSendPhoneMessage' },
  namespaces: { cache },
});
