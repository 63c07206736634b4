/**
 * Post-login: block logins from countries listed in the BLOCKED_COUNTRIES secret
 * (comma-separated ISO codes), with a message the application can show.
 */
exports.onExecutePostLogin = async (event, api) => {
  const blocked = (event.secrets.BLOCKED_COUNTRIES || '').split(',').map((c) => c.trim().toUpperCase());
  const country = event.request.geoip?.countryCode;
  if (country && blocked.includes(country)) {
    console.log(`Blocked login for ${event.user.user_id} from ${country}`);
    api.access.deny(`Logins from your region (${country}) are not allowed.`);
  }
};
