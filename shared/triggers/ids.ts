/** The triggers Hookchain runs, in the order the dashboard and the triggers API list them. */
export const TRIGGER_IDS = [
  'post-login',
  'credentials-exchange',
  'pre-user-registration',
  'post-user-registration',
  'post-change-password',
  'send-phone-message',
  'password-reset-post-challenge',
] as const;

export type TriggerId = (typeof TRIGGER_IDS)[number];

export function isTriggerId(value: unknown): value is TriggerId {
  return typeof value === 'string' && (TRIGGER_IDS as readonly string[]).includes(value);
}
