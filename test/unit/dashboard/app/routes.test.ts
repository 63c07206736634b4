import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from '../../../../dashboard/src/routes.ts';

describe('dashboard routes', () => {
  it.each<[string, Route]>([
    ['', { page: 'actions' }],
    ['#/', { page: 'actions' }],
    ['#/actions', { page: 'actions' }],
    ['#/actions/new', { page: 'new-action' }],
    ['#/actions/act_1', { page: 'action', actionId: 'act_1', tab: 'code' }],
    ['#/actions/act_1/versions', { page: 'action', actionId: 'act_1', tab: 'versions' }],
    ['#/flows', { page: 'flows' }],
    ['#/flows/post-login', { page: 'flows', triggerId: 'post-login' }],
    ['#/executions/01J', { page: 'executions', executionId: '01J' }],
    ['#/logs', { page: 'logs' }],
  ])('reads %j as a page', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each(['#/actions/a/b/c', '#/actions/act_1/nope', '#/settings', '#/logs/x'])(
    'answers not-found for %j instead of guessing',
    (hash) => {
      expect(parseRoute(hash).page).toBe('not-found');
    },
  );

  it('writes links that read back as the same route, ids encoded', () => {
    const routes: Route[] = [
      { page: 'actions' },
      { page: 'new-action' },
      { page: 'action', actionId: 'a b/c', tab: 'code' },
      { page: 'action', actionId: 'x', tab: 'test' },
      { page: 'flows', triggerId: 'send-phone-message' },
      { page: 'executions', executionId: '01J?x' },
      { page: 'logs' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });
});
