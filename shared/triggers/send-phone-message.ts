/**
 * send-phone-message (sync): deliver an MFA SMS or voice message through the tenant's own provider.
 * The action does the sending; the caller learns only whether the chain succeeded.
 */
import { z } from 'zod';
import { sendPhoneMessageApi } from './api/send-phone-message.ts';
import { baseEventFields, clientSchema, userSchema } from './events.ts';
import { defineTrigger, type JsonObject } from './framework.ts';
import { sampleSendPhoneMessageEvent } from './samples.ts';

export const sendPhoneMessage = defineTrigger<JsonObject>(sendPhoneMessageApi, {
  eventSchema: () =>
    z.looseObject({
      ...baseEventFields,
      client: clientSchema.optional(),
      user: userSchema.optional(),
      message_options: z.looseObject({
        action: z.enum(['enrollment', 'second-factor-authentication']),
        code: z.string().optional(),
        message_type: z.enum(['sms', 'voice']),
        recipient: z.string().min(1),
        text: z.string(),
      }),
    }),
  sampleEvent: sampleSendPhoneMessageEvent,
});
