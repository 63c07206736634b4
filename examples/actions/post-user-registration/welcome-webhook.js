// @ts-check
/**
 * Add every new user to your CRM (which sends the welcome email) through its HTTP API.
 *
 * The trigger is asynchronous and delivered at least once, so the request carries the user id as
 * its idempotency key, and a delivered welcome is remembered in `api.cache` for a day to skip
 * redeliveries on this instance. Users without an email address (phone signups) are skipped.
 * A failed call throws: it is recorded on the execution, and later actions still run.
 *
 * Secrets: CRM_API_URL, CRM_API_KEY
 */
const crypto = require('node:crypto');

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * @param {import('hookchain/types/post-user-registration').Event} event
 * @param {import('hookchain/types/post-user-registration').PostUserRegistrationAPI} api
 */
exports.onExecutePostUserRegistration = async (event, api) => {
  const { user } = event;
  if (!user.email) {
    console.log(`${user.user_id} signed up without an email address; no welcome sent.`);
    return;
  }

  // Cache keys are limited to 64 bytes; user ids are not, so use a digest.
  const key = `welcomed:${crypto.createHash('sha256').update(user.user_id).digest('base64url').slice(0, 32)}`;
  if (api.cache.get(key)) {
    console.log(`${user.user_id} was already welcomed; skipping the redelivery.`);
    return;
  }

  const response = await fetch(`${event.secrets.CRM_API_URL}/v1/contacts`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${event.secrets.CRM_API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': user.user_id,
    },
    body: JSON.stringify({
      external_id: user.user_id,
      email: user.email,
      email_verified: user.email_verified ?? false,
      first_name: user.given_name ?? null,
      last_name: user.family_name ?? null,
      locale: event.transaction?.locale ?? null,
      source: event.connection?.name ?? 'unknown',
      marketing_opt_in: user.user_metadata?.marketing_opt_in === true,
      campaign: 'welcome',
    }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`CRM answered HTTP ${response.status} for ${user.user_id}`);

  api.cache.set(key, new Date().toISOString(), { ttl: DAY_MS });
  console.log(`Welcomed ${user.user_id}`);
};
