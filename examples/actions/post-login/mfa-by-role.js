// @ts-check
/**
 * Enforce MFA by role: users holding a privileged role (the `MFA_ROLES` secret, comma-separated,
 * default `admin`) must pass a second factor on every interactive login.
 *
 * - Enrolled users are challenged with their strongest factor, and may pick any other enrolled
 *   one instead (`api.authentication.challengeWith`).
 * - Users with no factor yet are sent through MFA enrolment (`api.multifactor.enable('any')`).
 * - Logins that already passed MFA in this session, and refresh-token exchanges (which cannot show
 *   a challenge; MFA was enforced when the session began), are left alone.
 *
 * Secrets: MFA_ROLES (optional)
 */

/**
 * Strongest first. `recovery-code` is only ever offered as an alternative.
 * @type {import('hookchain/types/post-login').ChallengeFactorType[]}
 */
const PREFERENCE = ['webauthn-platform', 'webauthn-roaming', 'push-notification', 'otp', 'phone', 'email'];

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const privileged = (event.secrets.MFA_ROLES || 'admin')
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const roles = (event.authorization?.roles ?? []).filter((role) => privileged.includes(role));
  if (roles.length === 0) return;

  if (event.transaction?.protocol === 'oauth2-refresh-token') return;
  const methods = event.authentication?.methods ?? [];
  if (methods.some((method) => method.name === 'mfa')) return;

  const enrolled = new Set((event.user.enrolledFactors ?? []).map((factor) => factor.type));
  const usable = PREFERENCE.filter((type) => enrolled.has(type));
  if (enrolled.has('recovery-code')) usable.push('recovery-code');

  if (usable.length === 0 || usable[0] === 'recovery-code') {
    console.log(`${event.user.user_id} has role ${roles.join(', ')} but no MFA factor: enrolling`);
    api.multifactor.enable('any', { allowRememberBrowser: false });
    return;
  }

  const [first, ...others] = usable;
  api.authentication.challengeWith(
    { type: first ?? 'otp' },
    { additionalFactors: others.map((type) => ({ type })) },
  );
};
