/**
 * Post-login: require MFA for anyone holding a privileged role, except on refresh-token
 * exchanges (there is nobody to challenge).
 */
const PRIVILEGED = ['admin', 'billing-admin'];

exports.onExecutePostLogin = async (event, api) => {
  const roles = event.authorization?.roles || [];
  const privileged = roles.some((role) => PRIVILEGED.includes(role));
  if (!privileged || event.transaction.protocol === 'oauth2-refresh-token') {
    return;
  }
  api.multifactor.enable('any', { allowRememberBrowser: false });
};
