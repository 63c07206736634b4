// @ts-check
/**
 * Log every login as one structured line: who, from where, into which application. The line
 * shows up in `hookchain logs tail` (and in CloudWatch on AWS) within a second of the login.
 */

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} _api
 */
exports.onExecutePostLogin = async (event, _api) => {
  console.log(
    JSON.stringify({
      msg: 'login',
      user_id: event.user.user_id,
      email: event.user.email,
      client: event.client?.name,
      connection: event.connection?.name,
      ip: event.request.ip,
      country: event.request.geoip?.countryCode,
      logins: event.stats?.logins_count,
    }),
  );
};
