/**
 * Hash routes (`#/actions/<id>`): the server only ever serves one page, so the dashboard works
 * under any path prefix (an API Gateway stage included) without rewrite rules.
 */
export type Route =
  | { page: 'actions' }
  | { page: 'new-action' }
  | { page: 'action'; actionId: string; tab: ActionTab }
  | { page: 'flows'; triggerId?: string }
  | { page: 'executions'; executionId?: string }
  | { page: 'logs' }
  | { page: 'not-found'; path: string };

export const ACTION_TABS = ['code', 'test', 'secrets', 'dependencies', 'versions'] as const;
export type ActionTab = (typeof ACTION_TABS)[number];

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [section, id, tab] = parts;
  switch (section) {
    case undefined:
    case 'actions':
      if (id === undefined) return { page: 'actions' };
      if (id === 'new' && parts.length === 2) return { page: 'new-action' };
      if (parts.length <= 3) {
        const actionTab = (tab ?? 'code') as ActionTab;
        if (ACTION_TABS.includes(actionTab)) return { page: 'action', actionId: id, tab: actionTab };
      }
      break;
    case 'flows':
      if (parts.length <= 2) return id ? { page: 'flows', triggerId: id } : { page: 'flows' };
      break;
    case 'executions':
      if (parts.length <= 2) return id ? { page: 'executions', executionId: id } : { page: 'executions' };
      break;
    case 'logs':
      if (parts.length === 1) return { page: 'logs' };
      break;
  }
  return { page: 'not-found', path };
}

export function hrefOf(route: Route): string {
  const part = encodeURIComponent;
  switch (route.page) {
    case 'actions':
      return '#/actions';
    case 'new-action':
      return '#/actions/new';
    case 'action':
      return `#/actions/${part(route.actionId)}${route.tab === 'code' ? '' : `/${route.tab}`}`;
    case 'flows':
      return route.triggerId ? `#/flows/${part(route.triggerId)}` : '#/flows';
    case 'executions':
      return route.executionId ? `#/executions/${part(route.executionId)}` : '#/executions';
    case 'logs':
      return '#/logs';
    case 'not-found':
      return `#${route.path}`;
  }
}
