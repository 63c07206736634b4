// @ts-check
/**
 * Block disposable email domains at signup, and record where the signup came from.
 *
 * Addresses at a throwaway-mail domain (or any subdomain of one) are refused with a message the
 * signup page can show. Add your own domains with the `EXTRA_BLOCKED_DOMAINS` secret (commas or
 * spaces). Accepted signups get `app_metadata.signup` (client, country, time) and, when the signup
 * form sent a full name (`ulp-fullName`), `user_metadata.full_name`.
 *
 * Secrets: EXTRA_BLOCKED_DOMAINS (optional)
 */

const DISPOSABLE_DOMAINS = [
  '10minutemail.com',
  'dispostable.com',
  'getnada.com',
  'guerrillamail.com',
  'mailinator.com',
  'maildrop.cc',
  'sharklasers.com',
  'temp-mail.org',
  'trashmail.com',
  'yopmail.com',
];

/**
 * @param {string} domain e.g. `eu.mailinator.com`
 * @param {Set<string>} blocked
 */
function isBlocked(domain, blocked) {
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (blocked.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

/**
 * @param {import('hookchain/types/pre-user-registration').Event} event
 * @param {import('hookchain/types/pre-user-registration').PreUserRegistrationAPI} api
 */
exports.onExecutePreUserRegistration = async (event, api) => {
  const email = event.user.email?.trim().toLowerCase();
  if (email) {
    const domain = email.slice(email.lastIndexOf('@') + 1).replace(/\.+$/, '');
    const extra = (event.secrets.EXTRA_BLOCKED_DOMAINS ?? '').toLowerCase().split(/[\s,]+/);
    const blocked = new Set([...DISPOSABLE_DOMAINS, ...extra.filter(Boolean)]);
    if (isBlocked(domain, blocked)) {
      api.access.deny(
        `disposable_email_domain: ${domain}`,
        'Please sign up with a permanent email address, not a disposable one.',
      );
      return;
    }
  }

  api.user.setAppMetadata('signup', {
    client_id: event.client?.client_id ?? null,
    country: event.request.geoip?.countryCode ?? null,
    at: new Date().toISOString(),
  });

  const fullName = event.request.body?.['ulp-fullName'];
  if (typeof fullName === 'string' && fullName.trim() !== '') {
    api.user.setUserMetadata('full_name', fullName.trim());
  }
};
