// @ts-check
/**
 * Deliver MFA codes through your own SMS/voice provider's HTTP API.
 *
 * The provider uses OAuth client credentials: the access token is kept in `api.cache` (shared by
 * every send-phone-message execution on this instance, best effort) until shortly before it
 * expires, and fetched again if the provider rejects it. Each message carries the transaction's
 * correlation id as its idempotency key. Any failure throws, so the chain fails and the caller
 * knows the code was not sent. The code itself is never logged.
 *
 * Secrets: SMS_API_URL, SMS_CLIENT_ID, SMS_CLIENT_SECRET, SMS_FROM, SMS_TIMEOUT_MS (optional, ms)
 */

const TOKEN_KEY = 'sms-provider-token';

/**
 * `fetch` with a deadline and a readable error.
 * @param {string} url
 * @param {RequestInit} init
 * @param {number} timeoutMs
 */
async function call(url, init, timeoutMs) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      throw new Error(`SMS provider did not answer within ${timeoutMs} ms (${url})`);
    }
    throw error;
  }
}

/**
 * @param {import('hookchain/types/send-phone-message').Event} event
 * @param {import('hookchain/types/send-phone-message').SendPhoneMessageAPI} api
 * @param {number} timeoutMs
 * @returns {Promise<{ token: string, cached: boolean }>}
 */
async function providerToken(event, api, timeoutMs) {
  const cached = api.cache.get(TOKEN_KEY);
  if (cached) return { token: cached.value, cached: true };

  const response = await call(
    `${event.secrets.SMS_API_URL}/oauth/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: event.secrets.SMS_CLIENT_ID,
        client_secret: event.secrets.SMS_CLIENT_SECRET,
      }),
    },
    timeoutMs,
  );
  if (!response.ok) throw new Error(`SMS provider token request failed: HTTP ${response.status}`);
  const { access_token: token, expires_in: expiresIn } =
    /** @type {{ access_token: string, expires_in: number }} */ (await response.json());

  // Keep it until a minute before it expires (the cache caps lifetimes at 24 hours anyway).
  const ttl = (Number(expiresIn) - 60) * 1000;
  if (ttl > 0) {
    const stored = api.cache.set(TOKEN_KEY, token, { ttl });
    if (stored.type === 'error') console.warn(`Could not cache the SMS provider token: ${stored.code}`);
  }
  return { token, cached: false };
}

/** @param {string} phone */
const masked = (phone) =>
  `${phone.slice(0, 3)}${'*'.repeat(Math.max(0, phone.length - 6))}${phone.slice(-3)}`;

/**
 * @param {import('hookchain/types/send-phone-message').Event} event
 * @param {import('hookchain/types/send-phone-message').SendPhoneMessageAPI} api
 */
exports.onExecuteSendPhoneMessage = async (event, api) => {
  const base = event.secrets.SMS_API_URL?.replace(/\/+$/, '');
  if (!base) throw new Error('SMS_API_URL is not set: cannot deliver the message.');
  const timeoutMs = Number(event.secrets.SMS_TIMEOUT_MS) || 5000;
  const { recipient, text, message_type: type } = event.message_options;
  const correlationId = event.transaction?.correlation_id;

  /** @param {string} token */
  const send = (token) =>
    call(
      `${base}/v1/messages`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(correlationId ? { 'idempotency-key': correlationId } : {}),
        },
        body: JSON.stringify({ from: event.secrets.SMS_FROM, to: recipient, channel: type, body: text }),
      },
      timeoutMs,
    );

  let { token, cached } = await providerToken(event, api, timeoutMs);
  let response = await send(token);
  if (response.status === 401 && cached) {
    // The cached token was revoked or expired early: forget it and try once with a new one.
    api.cache.delete(TOKEN_KEY);
    ({ token, cached } = await providerToken(event, api, timeoutMs));
    response = await send(token);
  }
  if (!response.ok) {
    throw new Error(`SMS provider refused the ${type} message: HTTP ${response.status}`);
  }
  const { id } = /** @type {{ id: string }} */ (await response.json());
  console.log(`Sent ${type} message ${id} to ${masked(recipient)}`);
};
