// @ts-check
/**
 * Tell your security tooling (or a mail service) that a password changed, with a signed webhook.
 *
 * Posts a JSON event to `PASSWORD_WEBHOOK_URL`, signed like most webhook providers do:
 * `x-webhook-signature: sha256=<hex HMAC of "<timestamp>.<body>">` with `x-webhook-timestamp`,
 * using `PASSWORD_WEBHOOK_SECRET`. The trigger is asynchronous and delivered at least once, so
 * the request carries an idempotency key that is the same on every delivery of the same change.
 * A failed delivery throws: it is recorded on the execution, and later actions still run.
 *
 * Secrets: PASSWORD_WEBHOOK_URL, PASSWORD_WEBHOOK_SECRET
 */
const crypto = require('node:crypto');

/**
 * @param {import('hookchain/types/post-change-password').Event} event
 * @param {import('hookchain/types/post-change-password').PostChangePasswordAPI} _api
 */
exports.onExecutePostChangePassword = async (event, _api) => {
  const { PASSWORD_WEBHOOK_URL: url, PASSWORD_WEBHOOK_SECRET: secret } = event.secrets;
  if (!url || !secret) throw new Error('PASSWORD_WEBHOOK_URL and PASSWORD_WEBHOOK_SECRET must be set.');

  const { user } = event;
  const changedAt = user.last_password_reset ?? new Date().toISOString();
  const body = JSON.stringify({
    type: 'user.password_changed',
    user_id: user.user_id,
    email: user.email ?? null,
    changed_at: changedAt,
    connection: event.connection?.name ?? null,
    ip: event.request.ip ?? null,
    user_agent: event.request.user_agent ?? null,
    correlation_id: event.transaction?.correlation_id ?? null,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': `password-changed:${user.user_id}:${changedAt}`,
      'x-webhook-timestamp': timestamp,
      'x-webhook-signature': `sha256=${signature}`,
    },
    body,
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`Password-change webhook answered HTTP ${response.status}`);
  console.log(`Notified ${new URL(url).host} of the password change of ${user.user_id}`);
};
