// @ts-check
/**
 * Acme Chat identity verification: lets the Acme Chat support widget prove who the visitor is.
 *
 * On every login it signs the user id with the workspace's identity verification secret
 * (HMAC-SHA256) and adds the signature and the widget URL of the workspace's region to the ID
 * token. The widget reads them from the token and sends the signature with each conversation.
 * A missing secret never blocks a login: the chat simply stays anonymous.
 */
const crypto = require('node:crypto');

const WIDGET_URLS = {
  eu: 'https://widget.eu.chat.acme.example',
  us: 'https://widget.us.chat.acme.example',
};

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const config = event.configuration;
  const debug = config.DEBUG_LOGGING === 'true';
  const secret = event.secrets.CHAT_SIGNING_SECRET;
  if (!secret) {
    console.warn('Acme Chat: CHAT_SIGNING_SECRET is not set; the chat stays anonymous.');
    return;
  }
  const base = config.CLAIM_NAMESPACE || 'https://chat.acme.example/';
  const namespace = base.endsWith('/') ? base : `${base}/`;
  const region = config.CHAT_REGION === 'us' ? 'us' : 'eu';

  const userHash = crypto.createHmac('sha256', secret).update(event.user.user_id).digest('hex');
  api.idToken.setCustomClaim(`${namespace}user_hash`, userHash);
  api.idToken.setCustomClaim(`${namespace}widget_url`, WIDGET_URLS[region]);
  if (config.INCLUDE_EMAIL !== 'false' && event.user.email) {
    api.idToken.setCustomClaim(`${namespace}email`, event.user.email);
  }
  if (debug) console.log(`Acme Chat: verified ${event.user.user_id} for the ${region} widget`);
};
