/**
 * Post-login: look the user up in the CRM once and keep the CRM id in app_metadata. The M2M
 * token for the CRM is cached in api.cache so most logins skip the token request.
 */
const axios = require('axios');

const TOKEN_KEY = 'crm-m2m-token';

async function getToken(event, api) {
  const record = api.cache.get(TOKEN_KEY);
  if (record) {
    return record.value;
  }

  const { data } = await axios.post(`https://${event.secrets.AUTH_DOMAIN}/oauth/token`, {
    grant_type: 'client_credentials',
    client_id: event.secrets.CLIENT_ID,
    client_secret: event.secrets.CLIENT_SECRET,
    audience: event.secrets.CRM_AUDIENCE,
  });

  // Expire the cached copy a minute before the token itself does.
  const result = api.cache.set(TOKEN_KEY, data.access_token, { ttl: (data.expires_in - 60) * 1000 });
  if (result.type === 'error') {
    console.log(`Could not cache the CRM token: ${result.code}`);
  }
  return data.access_token;
}

exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata?.crm_id) {
    return;
  }

  const token = await getToken(event, api);
  const { data } = await axios.get(`${event.secrets.CRM_URL}/customers`, {
    params: { email: event.user.email },
    headers: { Authorization: `Bearer ${token}` },
  });

  api.user.setAppMetadata('crm_id', data.id);
};
