/** Every trigger Hookchain runs, looked up by id. */
import { UnknownTriggerError } from '../errors.ts';
import { credentialsExchange } from './credentials-exchange.ts';
import type { TriggerDefinition } from './framework.ts';
import { isTriggerId, TRIGGER_IDS, type TriggerId } from './ids.ts';
import { passwordResetPostChallenge } from './password-reset-post-challenge.ts';
import { postChangePassword } from './post-change-password.ts';
import { postLogin } from './post-login.ts';
import { postUserRegistration } from './post-user-registration.ts';
import { preUserRegistration } from './pre-user-registration.ts';
import { sendPhoneMessage } from './send-phone-message.ts';

const TRIGGERS: Record<TriggerId, TriggerDefinition> = {
  'post-login': postLogin as unknown as TriggerDefinition,
  'credentials-exchange': credentialsExchange as unknown as TriggerDefinition,
  'pre-user-registration': preUserRegistration as unknown as TriggerDefinition,
  'post-user-registration': postUserRegistration,
  'post-change-password': postChangePassword,
  'send-phone-message': sendPhoneMessage,
  'password-reset-post-challenge': passwordResetPostChallenge as unknown as TriggerDefinition,
};

export function getTrigger(id: string): TriggerDefinition {
  if (!isTriggerId(id)) throw new UnknownTriggerError(id);
  return TRIGGERS[id];
}

export const allTriggers = (): TriggerDefinition[] => TRIGGER_IDS.map((id) => TRIGGERS[id]);
