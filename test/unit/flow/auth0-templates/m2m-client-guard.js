/**
 * Credentials-exchange: refuse disabled clients and unknown APIs, and tell the API which
 * tier the calling client is on.
 */
exports.onExecuteCredentialsExchange = async (event, api) => {
  if (event.client.metadata && event.client.metadata.disabled === 'true') {
    api.access.deny('invalid_request', `Client ${event.client.client_id} is disabled.`);
    return;
  }

  const allowed = (event.secrets.ALLOWED_AUDIENCES || '').split(',');
  if (!allowed.includes(event.resource_server.identifier)) {
    api.access.deny('invalid_scope', 'This client may not call that API.');
    return;
  }

  api.accessToken.setCustomClaim('https://api.example.com/tier', event.client.metadata.tier || 'free');
};
