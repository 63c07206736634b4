/**
 * What the dashboard knows of each trigger: its label, when it runs, the handler an action
 * exports, the API type its JSDoc names (Auth0's own names) and the sample event the test panel
 * starts from. A test checks this against the platform's trigger registry and shipped types.
 */
import {
  sampleCredentialsExchangeEvent,
  samplePasswordResetPostChallengeEvent,
  samplePostChangePasswordEvent,
  samplePostLoginEvent,
  samplePostUserRegistrationEvent,
  samplePreUserRegistrationEvent,
  sampleSendPhoneMessageEvent,
} from '../../shared/triggers/samples.ts';

export interface TriggerInfo {
  id: string;
  /** The trigger version new actions are created for. */
  version: string;
  label: string;
  /** When it runs, in a sentence. */
  summary: string;
  /** Sync triggers answer the caller; async ones run after it got its answer. */
  mode: 'sync' | 'async';
  /** The function an action exports for this trigger. */
  handler: string;
  /** The api parameter's type, as Auth0's templates name it in JSDoc. */
  apiType: string;
  sampleEvent: Record<string, unknown>;
}

export const TRIGGERS: readonly TriggerInfo[] = [
  {
    id: 'post-login',
    version: 'v3',
    label: 'Login / Post Login',
    summary: 'After a user logged in, before tokens are issued.',
    mode: 'sync',
    handler: 'onExecutePostLogin',
    apiType: 'PostLoginAPI',
    sampleEvent: samplePostLoginEvent,
  },
  {
    id: 'credentials-exchange',
    version: 'v2',
    label: 'Machine to Machine',
    summary: 'When an application exchanges client credentials for an access token.',
    mode: 'sync',
    handler: 'onExecuteCredentialsExchange',
    apiType: 'CredentialsExchangeAPI',
    sampleEvent: sampleCredentialsExchangeEvent,
  },
  {
    id: 'pre-user-registration',
    version: 'v2',
    label: 'Pre User Registration',
    summary: 'Before a user is created.',
    mode: 'sync',
    handler: 'onExecutePreUserRegistration',
    apiType: 'PreUserRegistrationAPI',
    sampleEvent: samplePreUserRegistrationEvent,
  },
  {
    id: 'post-user-registration',
    version: 'v2',
    label: 'Post User Registration',
    summary: 'After a user was created (runs asynchronously).',
    mode: 'async',
    handler: 'onExecutePostUserRegistration',
    apiType: 'PostUserRegistrationAPI',
    sampleEvent: samplePostUserRegistrationEvent,
  },
  {
    id: 'post-change-password',
    version: 'v2',
    label: 'Post Change Password',
    summary: 'After a password was changed or reset (runs asynchronously).',
    mode: 'async',
    handler: 'onExecutePostChangePassword',
    apiType: 'PostChangePasswordAPI',
    sampleEvent: samplePostChangePasswordEvent,
  },
  {
    id: 'send-phone-message',
    version: 'v2',
    label: 'Send Phone Message',
    summary: 'To deliver an MFA code by SMS or voice through your own provider.',
    mode: 'sync',
    handler: 'onExecuteSendPhoneMessage',
    apiType: 'SendPhoneMessageAPI',
    sampleEvent: sampleSendPhoneMessageEvent,
  },
  {
    id: 'password-reset-post-challenge',
    version: 'v1',
    label: 'Password Reset / Post Challenge',
    summary: 'After the password-reset challenge, before the new password is set.',
    mode: 'sync',
    handler: 'onExecutePostChallenge',
    apiType: 'PasswordResetPostChallengeAPI',
    sampleEvent: samplePasswordResetPostChallengeEvent,
  },
];

export function triggerInfo(id: string): TriggerInfo | undefined {
  return TRIGGERS.find((t) => t.id === id);
}

/** The code a new action starts with: Auth0's template shape, typed through JSDoc. */
export function starterCode(trigger: TriggerInfo): string {
  return `/**
 * Handler that will be called during the execution of a ${trigger.label} flow.
 *
 * @param {Event} event - Details about the context in which the trigger runs.
 * @param {${trigger.apiType}} api - Methods that change the outcome of the flow.
 */
exports.${trigger.handler} = async (event, api) => {
};
`;
}
