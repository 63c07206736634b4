/**
 * The api side of every trigger, looked up by id: what an action's Lambda needs of its trigger.
 * The dispatcher's registry (../registry.ts) adds event schemas and samples, which never ship in
 * an action bundle.
 */
import { UnknownTriggerError } from '../../errors.ts';
import type { TriggerApi } from '../framework.ts';
import { isTriggerId, type TriggerId } from '../ids.ts';
import { credentialsExchangeApi } from './credentials-exchange.ts';
import { passwordResetPostChallengeApi } from './password-reset-post-challenge.ts';
import { postChangePasswordApi } from './post-change-password.ts';
import { postLoginApi } from './post-login.ts';
import { postUserRegistrationApi } from './post-user-registration.ts';
import { preUserRegistrationApi } from './pre-user-registration.ts';
import { sendPhoneMessageApi } from './send-phone-message.ts';

const APIS: Record<TriggerId, TriggerApi> = {
  'post-login': postLoginApi as unknown as TriggerApi,
  'credentials-exchange': credentialsExchangeApi as unknown as TriggerApi,
  'pre-user-registration': preUserRegistrationApi as unknown as TriggerApi,
  'post-user-registration': postUserRegistrationApi,
  'post-change-password': postChangePasswordApi,
  'send-phone-message': sendPhoneMessageApi,
  'password-reset-post-challenge': passwordResetPostChallengeApi as unknown as TriggerApi,
};

export function getTriggerApi(id: string): TriggerApi {
  if (!isTriggerId(id)) throw new UnknownTriggerError(id);
  return APIS[id];
}
