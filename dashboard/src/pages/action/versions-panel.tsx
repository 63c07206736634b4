/**
 * Version history: every deployed version, a diff between any two (or against the draft), and
 * one-click rollback, which deploys a copy of the chosen version as a new version (Auth0's rule).
 */
import { useState } from 'react';
import type { Action, ActionVersion } from '../../../../shared/client/index.ts';
import { waitForLive } from '../../../../shared/client/index.ts';
import { useApi } from '../../api/context.tsx';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/notice.tsx';
import { type Outcome, OutcomeNotice } from '../../components/outcome-notice.tsx';
import { DiffView } from '../../editor/diff-view.tsx';
import { absoluteTime, relativeTime } from '../../format.ts';
import { useResource } from '../../hooks/use-resource.ts';

const DRAFT = 'draft';

export interface VersionsPanelProps {
  action: Action;
  draftCode: string;
  onRolledBack: () => Promise<void>;
}

export function VersionsPanel({ action, draftCode, onRolledBack }: VersionsPanelProps) {
  const api = useApi();
  const versions = useResource(
    async () => (await api.listVersions(action.id)).sort((a, b) => b.number - a.number),
    [api, action.id, action.deployed_version?.id],
  );
  const [selectedId, setSelectedId] = useState<string>();
  const [baseId, setBaseId] = useState<string>();
  const [rolling, setRolling] = useState<string>();
  const [message, setMessage] = useState<Outcome>();

  const list = versions.data ?? [];
  const selected = list.find((v) => v.id === selectedId) ?? list[0];
  const selectedIndex = selected ? list.indexOf(selected) : -1;
  const defaultBase = list[selectedIndex + 1]?.id ?? DRAFT;
  const base = baseId ?? defaultBase;
  const baseCode = base === DRAFT ? draftCode : (list.find((v) => v.id === base)?.code ?? '');

  const rollback = async (version: ActionVersion) => {
    setRolling(version.id);
    setMessage(undefined);
    try {
      const created = await api.rollback(action.id, version.id);
      await waitForLive(api, action, created);
      await Promise.all([versions.reload(), onRolledBack()]);
      setSelectedId(created.id);
      setBaseId(undefined);
      setMessage({
        kind: 'success',
        text: `Rolled back: version ${created.number} (a copy of version ${version.number}) is live.`,
      });
    } catch (error) {
      setMessage({ kind: 'error', error: error as Error });
    } finally {
      setRolling(undefined);
    }
  };

  if (versions.error) return <ErrorNotice error={versions.error} onRetry={versions.reload} />;
  if (!versions.data) return <p className="loading">Loading versions…</p>;
  if (list.length === 0)
    return (
      <EmptyState title="No versions yet">
        <p>Each deploy creates a version. Deploy the draft to start the history.</p>
      </EmptyState>
    );

  return (
    <div className="versions">
      <OutcomeNotice outcome={message} onDismiss={() => setMessage(undefined)} />
      <div className="versions-layout">
        <ol className="version-list" aria-label="Versions, newest first">
          {list.map((version) => (
            <li key={version.id} className={version.id === selected?.id ? 'version selected' : 'version'}>
              <button
                type="button"
                className="version-pick"
                aria-pressed={version.id === selected?.id}
                onClick={() => {
                  setSelectedId(version.id);
                  setBaseId(undefined);
                }}
              >
                <strong>Version {version.number}</strong>
                {version.deployed && <span className="badge badge-good">Live</span>}
                <time className="help" dateTime={version.created_at} title={absoluteTime(version.created_at)}>
                  {relativeTime(version.created_at)}
                </time>
              </button>
              {!version.deployed && (
                <button
                  type="button"
                  className="button-small"
                  disabled={rolling !== undefined}
                  onClick={() => rollback(version)}
                >
                  {rolling === version.id ? 'Rolling back…' : `Roll back to v${version.number}`}
                </button>
              )}
            </li>
          ))}
        </ol>
        {selected && (
          <section className="version-diff" aria-labelledby="diff-title">
            <div className="diff-header">
              <h2 id="diff-title">Changes in version {selected.number}</h2>
              <label>
                compared with{' '}
                <select value={base} onChange={(e) => setBaseId(e.target.value)}>
                  {list
                    .filter((v) => v.id !== selected.id)
                    .map((v) => (
                      <option key={v.id} value={v.id}>
                        Version {v.number}
                      </option>
                    ))}
                  <option value={DRAFT}>The current draft</option>
                </select>
              </label>
            </div>
            {selected.code === undefined ? (
              <p className="help">This version's code is closed (an installed integration).</p>
            ) : (
              <DiffView
                original={baseCode}
                modified={selected.code}
                label={`Differences between ${base === DRAFT ? 'the draft' : 'the older version'} and version ${selected.number}`}
              />
            )}
          </section>
        )}
      </div>
    </div>
  );
}
