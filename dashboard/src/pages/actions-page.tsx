/** Every action of the tenant: trigger, status, deployed version and last change. */

import { actionStatus } from '../action-status.ts';
import { useApi } from '../api/context.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { absoluteTime, relativeTime } from '../format.ts';
import { useResource } from '../hooks/use-resource.ts';
import { hrefOf } from '../routes.ts';
import { triggerInfo } from '../triggers.ts';

export function ActionsPage() {
  const api = useApi();
  const actions = useResource(() => api.listActions(), [api]);
  const list = actions.data ?? [];
  const sorted = [...list].sort((a, b) => b.updated_at.localeCompare(a.updated_at));

  return (
    <section aria-labelledby="actions-title">
      <div className="page-header">
        <h1 id="actions-title">Actions</h1>
        <a className="button button-primary" href={hrefOf({ page: 'new-action' })}>
          Create action
        </a>
      </div>
      {actions.error && <ErrorNotice error={actions.error} onRetry={actions.reload} />}
      {actions.loading && !actions.data && <p className="loading">Loading actions…</p>}
      {actions.data && list.length === 0 && (
        <EmptyState title="No actions yet">
          <p>An action is a small Node.js function that runs at a point of the identity flow.</p>
          <a className="button button-primary" href={hrefOf({ page: 'new-action' })}>
            Create your first action
          </a>
        </EmptyState>
      )}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="table table-stacking">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Deployed</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((action) => {
                const trigger = action.supported_triggers[0]?.id ?? '';
                return (
                  <tr key={action.id}>
                    <td data-label="Name">
                      <a href={hrefOf({ page: 'action', actionId: action.id, tab: 'code' })}>{action.name}</a>
                      {action.installed_integration_id && <span className="tag">integration</span>}
                    </td>
                    <td data-label="Trigger">{triggerInfo(trigger)?.label ?? trigger}</td>
                    <td data-label="Status">
                      <StatusBadge status={actionStatus(action)} />
                    </td>
                    <td data-label="Deployed">
                      {action.deployed_version ? `v${action.deployed_version.number}` : '—'}
                    </td>
                    <td data-label="Last change">
                      <time dateTime={action.updated_at} title={absoluteTime(action.updated_at)}>
                        {relativeTime(action.updated_at)}
                      </time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
