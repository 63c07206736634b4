/**
 * Secrets are write-only: names are listed, values are only ever sent, never shown. Saving
 * sends every kept name (without a value, which keeps the stored one) plus the new values.
 */
import { type FormEvent, useState } from 'react';
import type { Action, ActionUpdate } from '../../../../shared/client/index.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice, Notice } from '../../components/notice.tsx';
import { relativeTime } from '../../format.ts';
import { useWrite } from '../../hooks/use-write.ts';

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export interface SecretsPanelProps {
  action: Action;
  update: (change: ActionUpdate) => Promise<Action>;
}

export function SecretsPanel({ action, update }: SecretsPanelProps) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const { saving, error, done: saved, write: run, fail } = useWrite();
  const write = (secrets: ActionUpdate['secrets'], done: string) => run(() => update({ secrets }), done);
  const kept = (except?: string) =>
    action.secrets.filter((s) => s.name !== except).map((s) => ({ name: s.name }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!SECRET_NAME.test(trimmed)) {
      fail(new Error('A secret name starts with a letter or _ and holds letters, digits, _ or -.'));
      return;
    }
    if (value === '') {
      fail(new Error('Enter the secret value.'));
      return;
    }
    const replacing = action.secrets.some((s) => s.name === trimmed);
    if (
      await write(
        [...kept(trimmed), { name: trimmed, value }],
        `Secret ${trimmed} ${replacing ? 'updated' : 'added'}.`,
      )
    ) {
      setName('');
      setValue('');
    }
  };

  return (
    <div className="panel-grid">
      <section aria-labelledby="secrets-title">
        <h2 id="secrets-title">Secrets</h2>
        <p className="help">
          Available to the code as <code>event.secrets.NAME</code>. Values are encrypted and never shown
          again.
        </p>
        {action.secrets.length === 0 ? (
          <EmptyState title="No secrets" />
        ) : (
          <ul className="item-list">
            {action.secrets.map((secret) => (
              <li key={secret.name}>
                <code>{secret.name}</code>
                <span className="help">
                  {secret.updated_at ? ` set ${relativeTime(secret.updated_at)}` : ''}
                </span>
                <button
                  type="button"
                  className="button-quiet"
                  disabled={saving}
                  onClick={() => write(kept(secret.name), `Secret ${secret.name} removed.`)}
                  aria-label={`Remove secret ${secret.name}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form className="card form" onSubmit={submit} aria-labelledby="secret-form-title">
        <h3 id="secret-form-title">Add or replace a secret</h3>
        <label htmlFor="secret-name">Name</label>
        <input id="secret-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        <label htmlFor="secret-value">Value</label>
        <input
          id="secret-value"
          type="password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="new-password"
        />
        {error && <ErrorNotice error={error} />}
        {saved && <Notice kind="success">{saved} The draft is rebuilding.</Notice>}
        <button type="submit" className="button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save secret'}
        </button>
      </form>
    </div>
  );
}
