// @ts-check
/**
 * Refuse logins from email domains listed in the BLOCKED_DOMAINS secret (commas or spaces), and
 * their subdomains: e.g. a former subsidiary whose accounts must no longer get in.
 *
 * Secrets: BLOCKED_DOMAINS
 */

/**
 * @param {string} domain e.g. `eu.blocked.example`
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
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const email = event.user.email?.trim().toLowerCase();
  if (!email) return;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const blocked = new Set(
    (event.secrets.BLOCKED_DOMAINS ?? '')
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean),
  );
  if (isBlocked(domain, blocked)) {
    console.warn(`blocked login of ${event.user.user_id}: ${domain} is on the block list`);
    api.access.deny(`Accounts at ${domain} can no longer sign in.`);
  }
};
