/** The trigger API: what the identity service calls at each trigger point. */
import { continueTrigger, type DispatchContext, executeTrigger } from '../../shared/dispatch/dispatcher.ts';
import type { Authorizer } from '../../shared/tenancy/authorize.ts';
import type { Route } from '../http/router.ts';

export interface DispatcherContext {
  dispatch: DispatchContext;
  authorizer: Authorizer;
}

const BASE = '/api/v2/actions/triggers/{triggerId}';

async function principalFor(ctx: DispatcherContext, authorization: string | undefined) {
  const principal = await ctx.authorizer.authenticate(authorization);
  ctx.authorizer.requireScope(principal, 'execute:triggers');
  return principal;
}

export const dispatcherRoutes: Route<DispatcherContext>[] = [
  {
    method: 'POST',
    path: `${BASE}/execute`,
    async handle(req, ctx) {
      const { tenantId } = await principalFor(ctx, req.headers.authorization);
      const response = await executeTrigger(ctx.dispatch, tenantId, req.params.triggerId as string, req.body);
      return { status: response.status, body: response.body };
    },
  },
  {
    method: 'POST',
    path: `${BASE}/continue`,
    async handle(req, ctx) {
      const { tenantId } = await principalFor(ctx, req.headers.authorization);
      const response = await continueTrigger(
        ctx.dispatch,
        tenantId,
        req.params.triggerId as string,
        req.body,
      );
      return { status: response.status, body: response.body };
    },
  },
];
