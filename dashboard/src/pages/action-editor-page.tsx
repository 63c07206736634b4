/**
 * One action: code with live type checking, test, secrets, dependencies and version history.
 * The draft's code lives here across tabs; saving starts a build whose status updates live, and
 * test and deploy save and wait for the build first, so they always run what the user sees.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Action, ActionUpdate } from '../../../shared/client/index.ts';
import { waitForBuild, waitForLive } from '../../../shared/client/index.ts';
import { actionStatus, isBuilding } from '../action-status.ts';
import { useApi } from '../api/context.tsx';
import { ErrorNotice, Notice } from '../components/notice.tsx';
import { type Outcome, OutcomeNotice } from '../components/outcome-notice.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { Tabs } from '../components/tabs.tsx';
import { CodeEditor, type CodeEditorHandle } from '../editor/code-editor.tsx';
import { type Problem, problemSummary } from '../editor/problems.ts';
import { useInterval } from '../hooks/use-interval.ts';
import { useResource } from '../hooks/use-resource.ts';
import { ACTION_TABS, type ActionTab, hrefOf, type Route } from '../routes.ts';
import { navigate, useLeaveGuard } from '../routing.ts';
import { triggerInfo } from '../triggers.ts';
import { DependenciesPanel } from './action/dependencies-panel.tsx';
import { SecretsPanel } from './action/secrets-panel.tsx';
import { TestPanel } from './action/test-panel.tsx';
import { VersionsPanel } from './action/versions-panel.tsx';

const TAB_LABELS: Record<ActionTab, string> = {
  code: 'Code',
  test: 'Test',
  secrets: 'Secrets',
  dependencies: 'Dependencies',
  versions: 'Version history',
};

type Busy = 'saving' | 'deploying' | 'deleting' | undefined;

export function ActionEditorPage({ actionId, tab }: { actionId: string; tab: ActionTab }) {
  const api = useApi();
  const resource = useResource(() => api.getAction(actionId), [api, actionId]);
  const action = resource.data;
  const [code, setCode] = useState<string>();
  const [savedCode, setSavedCode] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState<Busy>();
  const [message, setMessage] = useState<Outcome>();
  const editor = useRef<CodeEditorHandle>(null);

  useEffect(() => {
    if (action && savedCode === undefined) {
      setCode(action.code ?? '');
      setSavedCode(action.code ?? '');
    }
  }, [action, savedCode]);

  // Build status is live: poll while a build runs.
  useInterval(() => void resource.reload(), 600, action !== undefined && isBuilding(action.status));

  const dirty = code !== undefined && code !== savedCode;
  // Tabs of this action keep the unsaved code; anywhere else would lose it.
  const staysHere = useCallback(
    (next: Route) => next.page === 'action' && next.actionId === actionId,
    [actionId],
  );
  useLeaveGuard(
    dirty && busy !== 'deleting',
    'Leave this action? Your unsaved code changes will be lost.',
    staysHere,
  );
  const trigger = triggerInfo(action?.supported_triggers[0]?.id ?? '');
  const closed = action?.installed_integration_id !== undefined;

  /** Saves a change to the draft; the answer replaces the action shown. */
  const update = useCallback(
    async (change: ActionUpdate): Promise<Action> => {
      const updated = await api.updateAction(actionId, change);
      resource.set(updated);
      return updated;
    },
    [api, actionId, resource.set],
  );

  /** Saves unsaved code, then waits for the draft's build: what test and deploy run on. */
  const savedAndBuilt = useCallback(async (): Promise<Action> => {
    if (dirty && code !== undefined) {
      await update({ code });
      setSavedCode(code);
    }
    const built = await waitForBuild(api, actionId);
    resource.set(built);
    return built;
  }, [api, actionId, code, dirty, update, resource.set]);

  const save = useCallback(async () => {
    if (code === undefined || busy) return;
    setBusy('saving');
    setMessage(undefined);
    try {
      await update({ code });
      setSavedCode(code);
      setMessage({ kind: 'success', text: 'Draft saved. Its build status is shown beside the name.' });
    } catch (error) {
      setMessage({ kind: 'error', error: error as Error });
    } finally {
      setBusy(undefined);
    }
  }, [busy, code, update]);

  const deploy = async () => {
    if (busy) return;
    setBusy('deploying');
    setMessage({ kind: 'info', text: 'Deploying…' });
    try {
      const built = await savedAndBuilt();
      const version = await api.deployAction(actionId);
      await waitForLive(api, built, version);
      await resource.reload();
      setMessage({ kind: 'success', text: `Version ${version.number} is deployed and live.` });
    } catch (error) {
      setMessage({ kind: 'error', error: error as Error });
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async () => {
    if (busy || !action) return;
    const bound = action.deployed_version ? ' It is also removed from any flow it is in.' : '';
    if (!window.confirm(`Delete the action ${action.name} and all its versions?${bound}`)) return;
    setBusy('deleting');
    try {
      await api.deleteAction(actionId, true);
      navigate({ page: 'actions' });
    } catch (error) {
      setMessage({ kind: 'error', error: error as Error });
      setBusy(undefined);
    }
  };

  if (resource.error && !action) return <ErrorNotice error={resource.error} onRetry={resource.reload} />;
  if (!action || code === undefined) return <p className="loading">Loading the action…</p>;

  const status = actionStatus(action);
  const errorCount = problems.filter((p) => p.severity === 'error').length;

  return (
    <section aria-labelledby="action-title" className="action-editor">
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <a href="#/actions">Actions</a> /
          </p>
          <h1 id="action-title">{action.name}</h1>
          <p className="subtitle">
            {trigger?.label ?? action.supported_triggers[0]?.id}
            {' · '}
            <span aria-live="polite" data-testid="action-status">
              <StatusBadge status={status} />
            </span>
            {action.deployed_version && <> · live: v{action.deployed_version.number}</>}
            {dirty && <span className="tag tag-warn">Unsaved changes</span>}
          </p>
        </div>
        <div className="toolbar">
          <button
            type="button"
            className="button-quiet button-danger"
            onClick={remove}
            disabled={busy !== undefined}
          >
            {busy === 'deleting' ? 'Deleting…' : 'Delete'}
          </button>
          {!closed && (
            <button type="button" onClick={save} disabled={!dirty || busy !== undefined}>
              {busy === 'saving' ? 'Saving…' : 'Save draft'}
            </button>
          )}
          <button
            type="button"
            className="button-primary"
            onClick={deploy}
            disabled={busy !== undefined || action.status === 'failed'}
          >
            {busy === 'deploying' ? 'Deploying…' : 'Deploy'}
          </button>
        </div>
      </div>
      <div className="notice-slot">
        <OutcomeNotice outcome={message} onDismiss={() => setMessage(undefined)} />
      </div>
      <Tabs
        label="Action"
        selected={tab}
        items={ACTION_TABS.map((id) => ({
          id,
          label: id === 'code' && errorCount > 0 ? `${TAB_LABELS[id]} (${errorCount})` : TAB_LABELS[id],
          href: hrefOf({ page: 'action', actionId, tab: id }),
        }))}
      />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'code' &&
          (closed ? (
            <Notice kind="info">
              This action is an installed integration: its code is closed. Configure it with secrets.
            </Notice>
          ) : (
            <>
              {action.status === 'failed' && (action.errors ?? []).length > 0 && (
                <Notice kind="error" title="Build failed:">
                  {(action.errors ?? []).map((e) => e.msg).join('; ')}
                </Notice>
              )}
              <CodeEditor
                ref={editor}
                path={`file:///actions/${action.id}.js`}
                initialValue={code}
                onChange={setCode}
                trigger={trigger ?? { id: 'post-login', apiType: 'PostLoginAPI' }}
                dependencies={action.dependencies.map((d) => d.name)}
                onProblems={(found, done) => {
                  setProblems(found);
                  setChecked(done);
                }}
                onSave={save}
                label={`Code of ${action.name}. Press Ctrl+S to save.`}
              />
              <ProblemsList
                problems={problems}
                checked={checked}
                onSelect={(p) => editor.current?.revealProblem(p)}
              />
            </>
          ))}
        {tab === 'test' && trigger && (
          <TestPanel actionId={actionId} trigger={trigger} beforeRun={savedAndBuilt} dirty={dirty} />
        )}
        {tab === 'secrets' && <SecretsPanel action={action} update={update} />}
        {tab === 'dependencies' && <DependenciesPanel action={action} update={update} />}
        {tab === 'versions' && (
          <VersionsPanel
            action={action}
            draftCode={code}
            onRolledBack={async () => {
              await resource.reload();
            }}
          />
        )}
      </div>
    </section>
  );
}

interface ProblemsListProps {
  problems: Problem[];
  /** False until the type checker has looked at the code: "no problems" would be a guess. */
  checked: boolean;
  onSelect: (p: Problem) => void;
}

function ProblemsList({ problems, checked, onSelect }: ProblemsListProps) {
  return (
    <section className="problems" aria-labelledby="problems-title">
      <h2 id="problems-title" className="problems-title">
        Problems:{' '}
        <span data-testid="problem-summary">
          {checked || problems.length > 0 ? problemSummary(problems) : 'Checking…'}
        </span>
      </h2>
      {problems.length > 0 && (
        <ul className="problem-list">
          {problems.map((problem) => (
            <li key={`${problem.line}:${problem.column}:${problem.message}`}>
              <button
                type="button"
                className={`problem problem-${problem.severity}`}
                onClick={() => onSelect(problem)}
              >
                <span className="problem-where">
                  {problem.line}:{problem.column}
                </span>{' '}
                {problem.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
