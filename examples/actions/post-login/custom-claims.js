// @ts-check
/**
 * Custom claims: puts the user's roles, plan and organization into the tokens, under a namespace
 * taken from the `CLAIM_NAMESPACE` secret (e.g. `https://acme.test/`), so the same action serves
 * every environment. Claims outside a namespace could clash with registered OIDC claims.
 *
 * A missing or non-URL namespace is a configuration mistake: the action logs it and adds no
 * claims rather than failing every login.
 *
 * Secrets: CLAIM_NAMESPACE
 */

/**
 * @param {string | undefined} value
 * @returns {string | undefined} the namespace, ending with `/`
 */
function claimNamespace(value) {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  } catch {
    return undefined;
  }
  return value.endsWith('/') ? value : `${value}/`;
}

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const ns = claimNamespace(event.secrets.CLAIM_NAMESPACE);
  if (!ns) {
    console.error('CLAIM_NAMESPACE must be an http(s) URL such as https://acme.test/; no claims added.');
    return;
  }

  const roles = event.authorization?.roles ?? [];
  api.idToken.setCustomClaim(`${ns}roles`, roles).accessToken.setCustomClaim(`${ns}roles`, roles);

  const plan = event.user.app_metadata?.plan;
  if (typeof plan === 'string') api.accessToken.setCustomClaim(`${ns}plan`, plan);

  if (event.organization) {
    api.idToken.setCustomClaim(`${ns}organization`, {
      id: event.organization.id,
      name: event.organization.display_name ?? event.organization.name ?? event.organization.id,
    });
  }

  const locale = event.user.user_metadata?.locale;
  if (typeof locale === 'string') api.idToken.setCustomClaim(`${ns}locale`, locale);
};
