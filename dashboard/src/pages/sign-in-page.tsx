/** Sign in with a tenant's API token; it is checked against the API before it is kept. */
import { type FormEvent, useState } from 'react';
import { ApiClient } from '../api/client.ts';
import { Notice } from '../components/notice.tsx';

export function SignInPage({
  expired,
  onSignedIn,
}: {
  expired: boolean;
  onSignedIn: (token: string) => void;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (value === '') {
      setError('Enter your API token.');
      return;
    }
    setChecking(true);
    setError(undefined);
    try {
      await new ApiClient({ token: value }).checkToken();
      onSignedIn(value);
    } catch (caught) {
      const failure = caught as Error & { status?: number };
      setError(
        failure.status === 401
          ? 'That token was not accepted. Check it and try again.'
          : failure.status === 403
            ? 'That token may not read actions (it lacks the read:actions scope).'
            : failure.message,
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} noValidate>
        <h1>Sign in to Hookchain</h1>
        {expired && <Notice kind="info">Your session ended. Sign in again to go on.</Notice>}
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby="token-help"
          aria-invalid={error ? true : undefined}
          // biome-ignore lint/a11y/noAutofocus: the only field on the page.
          autoFocus
        />
        <p id="token-help" className="help">
          Locally, <code>npm start</code> prints the token (also in <code>.hookchain/local.json</code>);
          otherwise create one with <code>hookchain tokens create</code>. It is kept in this tab only.
        </p>
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" className="button-primary" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
