// @ts-check
/**
 * Self-service signup only for company domains listed in the ALLOWED_SIGNUP_DOMAINS secret; the
 * refusal carries a message the signup page can show. Accepted signups record their source.
 *
 * Secrets: ALLOWED_SIGNUP_DOMAINS
 */

/**
 * @param {import('hookchain/types/pre-user-registration').Event} event
 * @param {import('hookchain/types/pre-user-registration').PreUserRegistrationAPI} api
 */
exports.onExecutePreUserRegistration = async (event, api) => {
  const email = event.user.email?.trim().toLowerCase() ?? '';
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const allowed = (event.secrets.ALLOWED_SIGNUP_DOMAINS ?? '')
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (!allowed.includes(domain)) {
    console.log(`signup refused for ${domain || 'an empty email'}`);
    api.access.deny(
      `signup_domain_not_allowed: ${domain}`,
      'Please sign up with your company email address.',
    );
    return;
  }
  api.user.setAppMetadata('signup_source', event.client?.name ?? 'unknown');
};
