// @ts-check
/**
 * Machine-to-machine scope shaping. Each client's metadata says what it may have:
 *
 *   allowed_scopes  space-separated scopes; `read:*` allows every `read:` scope
 *   default_scopes  scopes to grant when the client asks for none (default: the exact
 *                   scopes of `allowed_scopes`)
 *   tenant_id, tier copied into the access token as namespaced claims
 *
 * A client asking for a scope it may not have is refused with `invalid_scope`, naming the scopes;
 * a client with no `allowed_scopes` is refused with `invalid_request`.
 *
 * Secrets: CLAIM_NAMESPACE (e.g. `https://acme.test/`)
 */

/**
 * @param {unknown} value
 * @returns {string[]}
 */
const scopeList = (value) => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []);

/**
 * @param {string} pattern e.g. `read:*`
 * @param {string} scope
 */
const allows = (pattern, scope) =>
  pattern.endsWith('*') ? scope.startsWith(pattern.slice(0, -1)) : pattern === scope;

/**
 * @param {import('hookchain/types/credentials-exchange').Event} event
 * @param {import('hookchain/types/credentials-exchange').CredentialsExchangeAPI} api
 */
exports.onExecuteCredentialsExchange = async (event, api) => {
  const { client } = event;
  const metadata = client.metadata ?? {};
  const allowed = scopeList(metadata.allowed_scopes);
  if (allowed.length === 0) {
    api.access.deny(
      'invalid_request',
      `Client ${client.client_id} is not enabled for machine-to-machine access.`,
    );
    return;
  }

  const requested = [...new Set(event.transaction?.requested_scopes ?? [])];
  const refused = requested.filter((scope) => !allowed.some((pattern) => allows(pattern, scope)));
  if (refused.length > 0) {
    api.access.deny('invalid_scope', `Scopes not allowed for this client: ${refused.join(' ')}`);
    return;
  }

  let granted = requested;
  if (granted.length === 0) granted = scopeList(metadata.default_scopes);
  if (granted.length === 0) granted = allowed.filter((pattern) => !pattern.endsWith('*'));
  api.transaction.setTargetScopes(granted);

  const ns = event.secrets.CLAIM_NAMESPACE;
  if (!ns) {
    console.warn('CLAIM_NAMESPACE is not set; no claims added.');
    return;
  }
  if (typeof metadata.tenant_id === 'string')
    api.accessToken.setCustomClaim(`${ns}tenant_id`, metadata.tenant_id);
  if (typeof metadata.tier === 'string') api.accessToken.setCustomClaim(`${ns}tier`, metadata.tier);
};
