// @ts-check
/**
 * Administrators must pass a second factor before they may set a new password: the reset link
 * only proves control of the mailbox, which is not enough for a privileged account.
 *
 * - Admins (roles in the `ADMIN_ROLES` secret, comma-separated, default `admin`) are challenged
 *   with OTP when enrolled, else their strongest other factor; the others are offered too.
 *   Email is never accepted here: the reset link already used it.
 * - Admins with no usable factor are refused, with a message pointing to the service desk.
 * - After the reset, admins land on `ADMIN_RESULT_URL` when it is set.
 *
 * Secrets: ADMIN_ROLES (optional), ADMIN_RESULT_URL (optional)
 */

/** @type {import('hookchain/types/password-reset-post-challenge').ChallengeFactorType[]} */
const PREFERENCE = [
  'otp',
  'webauthn-roaming',
  'webauthn-platform',
  'push-notification',
  'phone',
  'recovery-code',
];

/**
 * @param {import('hookchain/types/password-reset-post-challenge').Event} event
 * @param {import('hookchain/types/password-reset-post-challenge').PasswordResetPostChallengeAPI} api
 */
exports.onExecutePostChallenge = async (event, api) => {
  const adminRoles = (event.secrets.ADMIN_ROLES || 'admin').split(',').map((role) => role.trim());
  const roles = event.authorization?.roles ?? [];
  if (!roles.some((role) => adminRoles.includes(role))) return;

  const enrolled = new Set((event.user.enrolledFactors ?? []).map((factor) => factor.type));
  const [first, ...others] = PREFERENCE.filter((type) => enrolled.has(type));
  if (!first || first === 'recovery-code') {
    api.access.deny(
      'Administrator accounts need a second factor to reset their password. Please contact the IT service desk.',
    );
    return;
  }

  api.authentication.challengeWith({ type: first }, { additionalFactors: others.map((type) => ({ type })) });
  if (event.secrets.ADMIN_RESULT_URL) {
    api.transaction.setResultUrl(event.secrets.ADMIN_RESULT_URL, { query: { reason: 'password-reset' } });
  }
};
