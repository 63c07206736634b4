/**
 * Post-login: send users without a company on file to a profile form, then store what the
 * form sends back. The form receives a signed token and returns one carrying `state`.
 */
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.user_metadata?.company) {
    return;
  }
  if (!api.redirect.canRedirect()) {
    return;
  }

  const token = api.redirect.encodeToken({
    secret: event.secrets.PROFILE_FORM_SECRET,
    expiresInSeconds: 600,
    payload: { email: event.user.email },
  });

  api.redirect.sendUserTo(event.secrets.PROFILE_FORM_URL, {
    query: { session_token: token },
  });
};

exports.onContinuePostLogin = async (event, api) => {
  const payload = api.redirect.validateToken({
    secret: event.secrets.PROFILE_FORM_SECRET,
    tokenParameterName: 'session_token',
  });

  api.user.setUserMetadata('company', payload.company);
};
