/**
 * Post-change-password: sign the user out of the legacy portal after a password change.
 */
const axios = require('axios');

exports.onExecutePostChangePassword = async (event) => {
  await axios.post(
    `${event.secrets.LEGACY_API}/sessions/revoke`,
    { user_id: event.user.user_id },
    { headers: { 'x-api-key': event.secrets.LEGACY_API_KEY }, timeout: 5000 },
  );
  console.log(`Revoked legacy sessions for ${event.user.user_id}`);
};
