/** npm dependencies of the draft, pinned by version; a change rebuilds the draft (status is live). */
import { type FormEvent, useState } from 'react';
import type { Action, ActionUpdate, Dependency } from '../../../../shared/client/index.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice, Notice } from '../../components/notice.tsx';
import { useWrite } from '../../hooks/use-write.ts';

export interface DependenciesPanelProps {
  action: Action;
  update: (change: ActionUpdate) => Promise<Action>;
}

export function DependenciesPanel({ action, update }: DependenciesPanelProps) {
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const { saving, error, done: saved, write: run, fail } = useWrite();
  const write = (dependencies: Dependency[], done: string) => run(() => update({ dependencies }), done);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const dependency = { name: name.trim(), version: version.trim() || 'latest' };
    if (dependency.name === '') {
      fail(new Error('Enter the npm package name.'));
      return;
    }
    const others = action.dependencies.filter((d) => d.name !== dependency.name);
    if (await write([...others, dependency], `${dependency.name}@${dependency.version} added.`)) {
      setName('');
      setVersion('');
    }
  };

  return (
    <div className="panel-grid">
      <section aria-labelledby="deps-title">
        <h2 id="deps-title">Dependencies</h2>
        <p className="help">
          npm packages the code can <code>require()</code>. Install scripts never run; native modules are
          refused.
        </p>
        {action.dependencies.length === 0 ? (
          <EmptyState title="No dependencies" />
        ) : (
          <ul className="item-list">
            {action.dependencies.map((dependency) => (
              <li key={dependency.name}>
                <code>
                  {dependency.name}@{dependency.version}
                </code>
                <button
                  type="button"
                  className="button-quiet"
                  disabled={saving}
                  aria-label={`Remove ${dependency.name}`}
                  onClick={() =>
                    write(
                      action.dependencies.filter((d) => d.name !== dependency.name),
                      `${dependency.name} removed.`,
                    )
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {action.status === 'failed' && (action.errors ?? []).length > 0 && (
          <Notice kind="error" title="Build failed:">
            {(action.errors ?? []).map((e) => e.msg).join('; ')}
          </Notice>
        )}
      </section>
      <form className="card form" onSubmit={submit} aria-labelledby="dep-form-title">
        <h3 id="dep-form-title">Add a dependency</h3>
        <label htmlFor="dep-name">Package</label>
        <input id="dep-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="axios" />
        <label htmlFor="dep-version">Version</label>
        <input
          id="dep-version"
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          placeholder="latest"
        />
        {error && <ErrorNotice error={error} />}
        {saved && <Notice kind="success">{saved} The draft is rebuilding.</Notice>}
        <button type="submit" className="button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Add dependency'}
        </button>
      </form>
    </div>
  );
}
