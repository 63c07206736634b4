import { describe, expect, it } from 'vitest';
import { runChain } from '../../../shared/testing/index.ts';
import { sendPhoneMessage } from '../../../shared/triggers/send-phone-message.ts';
import { describeEventSchema, describeTriggerCache, openApi } from './harness.ts';

const action = (name: string, body: string) => ({
  name,
  code: `exports.onExecuteSendPhoneMessage = async (event, api) => { ${body} };`,
});

describe('send-phone-message', () => {
  it('is a sync trigger that fails closed: a message that was not sent fails the MFA step', () => {
    expect(sendPhoneMessage.mode).toBe('sync');
    expect(sendPhoneMessage.failurePolicy).toBe('fail-closed');
    expect(sendPhoneMessage.entrypoints).toEqual({ execute: 'onExecuteSendPhoneMessage' });
  });

  it('offers api.cache only; the caller learns only whether the chain succeeded', () => {
    const { api } = openApi(sendPhoneMessage);
    expect(Object.keys(api)).toEqual(['cache']);
    expect(sendPhoneMessage.initialResult()).toEqual({});
  });

  describeEventSchema(sendPhoneMessage, {
    message_options: (event) => delete event.message_options,
    'message_options.recipient': (event) => delete event.message_options.recipient,
    'message_options.text': (event) => delete event.message_options.text,
    'message_options.action': (event) => {
      event.message_options.action = 'login';
    },
    'message_options.message_type': (event) => {
      event.message_options.message_type = 'email';
    },
    request: (event) => delete event.request,
  });

  it('accepts both documented actions and both message types', () => {
    for (const actionName of ['enrollment', 'second-factor-authentication']) {
      for (const messageType of ['sms', 'voice']) {
        const event = sendPhoneMessage.sampleEvent() as { message_options: Record<string, unknown> };
        event.message_options.action = actionName;
        event.message_options.message_type = messageType;
        expect(() => sendPhoneMessage.parseEvent(event)).not.toThrow();
      }
    }
  });

  describeTriggerCache(sendPhoneMessage);

  it('a chain that delivers the message ends final; one that throws fails the chain', async () => {
    const delivered = await runChain({
      trigger: 'send-phone-message',
      actions: [
        action('gateway', `console.log('to', event.message_options.recipient, event.message_options.text);`),
      ],
    });
    expect(delivered.status).toBe('final');
    expect(delivered.executions[0]?.logs[0]?.message).toBe(
      'to +447700900123 Your Acme verification code is 482913',
    );

    const failed = await runChain({
      trigger: 'send-phone-message',
      actions: [action('gateway', `throw new Error('SMS gateway returned 503');`)],
    });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ action_name: 'gateway', message: 'SMS gateway returned 503' });
  });
});
