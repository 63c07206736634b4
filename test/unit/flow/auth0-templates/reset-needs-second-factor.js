/**
 * Password-reset-post-challenge: users with an enrolled factor must pass it before they may
 * set a new password.
 */
exports.onExecutePostChallenge = async (event, api) => {
  const factors = (event.user.enrolledFactors || []).map((factor) => ({ type: factor.type }));
  if (factors.length > 0) {
    api.authentication.challengeWithAny(factors);
  }
};
