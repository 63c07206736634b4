/** Create an action: a name and a trigger; it starts from the trigger's typed template. */
import { type FormEvent, useState } from 'react';
import { useApi } from '../api/context.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { navigate } from '../routing.ts';
import { starterCode, TRIGGERS } from '../triggers.ts';

export function NewActionPage() {
  const api = useApi();
  const [name, setName] = useState('');
  const [triggerId, setTriggerId] = useState('post-login');
  const [error, setError] = useState<Error>();
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trigger = TRIGGERS.find((t) => t.id === triggerId);
    if (!trigger) return;
    setSaving(true);
    setError(undefined);
    try {
      const action = await api.createAction({
        name: name.trim(),
        supported_triggers: [{ id: trigger.id, version: trigger.version }],
        code: starterCode(trigger),
        runtime: 'node22',
      });
      navigate({ page: 'action', actionId: action.id, tab: 'code' });
    } catch (caught) {
      setError(caught as Error);
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby="new-action-title" className="narrow">
      <h1 id="new-action-title">Create action</h1>
      <form className="card form" onSubmit={submit}>
        <label htmlFor="action-name">Name</label>
        <input
          id="action-name"
          required
          maxLength={256}
          value={name}
          onChange={(event) => setName(event.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the page exists to fill this form.
          autoFocus
        />
        <fieldset>
          <legend>Trigger</legend>
          {TRIGGERS.map((trigger) => (
            <label key={trigger.id} className="choice">
              <input
                type="radio"
                name="trigger"
                value={trigger.id}
                checked={trigger.id === triggerId}
                onChange={() => setTriggerId(trigger.id)}
              />
              <span>
                <strong>{trigger.label}</strong>
                <span className="help"> {trigger.summary}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {error && <ErrorNotice error={error} />}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={saving || name.trim() === ''}>
            {saving ? 'Creating…' : 'Create'}
          </button>
          <a className="button" href="#/actions">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}
