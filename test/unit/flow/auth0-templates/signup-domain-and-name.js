/**
 * Pre-user-registration: refuse disposable email domains, insist on a full name from the
 * custom signup field, and keep that name in user_metadata.
 */
const DISPOSABLE = ['mailinator.com', 'guerrillamail.com', 'tempmail.dev'];

exports.onExecutePreUserRegistration = async (event, api) => {
  const domain = (event.user.email || '').split('@').pop().toLowerCase();
  if (DISPOSABLE.includes(domain)) {
    api.access.deny('disposable_email_domain', 'Please sign up with a permanent email address.');
    return;
  }

  const fullName = event.request.body?.['ulp-fullName'];
  if (!fullName) {
    api.validation.error('missing_full_name', 'Please enter your full name.');
    return;
  }

  api.user.setUserMetadata('full_name', fullName);
};
