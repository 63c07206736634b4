// @ts-check
/**
 * Put the user's roles into the ID and access tokens under the namespace in the NAMESPACE secret
 * (e.g. `https://acme.test/`), so APIs can authorise without another lookup. Namespacing keeps
 * custom claims clear of the registered OIDC ones.
 *
 * Secrets: NAMESPACE
 */

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const namespace = event.secrets.NAMESPACE ?? '';
  if (!/^https?:\/\//.test(namespace)) {
    console.error('NAMESPACE must be an http(s) URL such as https://acme.test/; no roles claim added.');
    return;
  }
  const claim = `${namespace.replace(/\/?$/, '/')}roles`;
  const roles = event.authorization?.roles ?? [];
  api.idToken.setCustomClaim(claim, roles);
  api.accessToken.setCustomClaim(claim, roles);
};
