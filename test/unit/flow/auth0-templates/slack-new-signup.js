/**
 * Post-user-registration: tell the team's Slack channel about each new user.
 */
const axios = require('axios');

exports.onExecutePostUserRegistration = async (event) => {
  await axios.post(event.secrets.SLACK_WEBHOOK_URL, {
    text: `New user: ${event.user.email} (${event.connection.name})`,
  });
};
