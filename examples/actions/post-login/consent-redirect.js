// @ts-check
/**
 * Terms-of-service consent via redirect-and-continue. A user who has not accepted the current
 * terms (`TERMS_VERSION`) is sent to the consent page with a signed `session_token` describing
 * what to show. The page sends the user back to `/continue` with a `consent_token` it signed with
 * the same secret, carrying the `state` it received, `accepted` and `terms_version`. The login then
 * resumes in `onContinuePostLogin`, which verifies that token and records the acceptance.
 *
 * Logins that cannot redirect (silent auth, refresh tokens, password grants) are denied until the
 * user accepts interactively.
 *
 * Secrets: CONSENT_URL, CONSENT_SECRET, TERMS_VERSION
 */

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  const version = event.secrets.TERMS_VERSION;
  if (event.user.app_metadata?.terms_accepted_version === version) return;

  if (!api.redirect.canRedirect()) {
    api.access.deny('Please sign in interactively to accept the updated terms of service.');
    return;
  }

  const token = api.redirect.encodeToken({
    secret: event.secrets.CONSENT_SECRET,
    expiresInSeconds: 600,
    payload: {
      terms_version: version,
      email: event.user.email ?? null,
      continue_uri: `https://${event.request.hostname}/continue`,
    },
  });
  api.redirect.sendUserTo(event.secrets.CONSENT_URL, { query: { session_token: token } });
};

/**
 * @param {import('hookchain/types/post-login').Event} event
 * @param {import('hookchain/types/post-login').PostLoginAPI} api
 */
exports.onContinuePostLogin = async (event, api) => {
  let consent;
  try {
    consent = api.redirect.validateToken({
      secret: event.secrets.CONSENT_SECRET,
      tokenParameterName: 'consent_token',
    });
  } catch (error) {
    console.error(`Consent token rejected: ${error instanceof Error ? error.message : error}`);
    api.access.deny('We could not confirm your consent. Please sign in again.');
    return;
  }

  if (consent.accepted !== true || consent.terms_version !== event.secrets.TERMS_VERSION) {
    api.access.deny('You need to accept the terms of service to continue.');
    return;
  }
  api.user
    .setAppMetadata('terms_accepted_version', consent.terms_version)
    .user.setAppMetadata('terms_accepted_at', new Date().toISOString());
};
