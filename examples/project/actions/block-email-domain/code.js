// @ts-check
/**
 * Refuse logins from email domains listed in the BLOCKED_DOMAINS secret (commas or spaces), and
 * their subdomains: e.g. a former subsidiary whose accounts must no longer get in. The domain
 * rules come from the email-domains Actions Module (action-modules/), pinned in the action's JSON.
 *
 * Secrets: BLOCKED_DOMAINS
 */
const { domainOf, matchesDomain, parseDomainList } = require('actions:email-domains');

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const domain = domainOf(event.user.email);
  if (!domain) return;
  if (matchesDomain(domain, parseDomainList(event.secrets.BLOCKED_DOMAINS))) {
    console.warn(`blocked login of ${event.user.user_id}: ${domain} is on the block list`);
    api.access.deny(`Accounts at ${domain} can no longer sign in.`);
  }
};
