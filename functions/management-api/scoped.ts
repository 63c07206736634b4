/** What every management route is given, and the one gate each passes: a tenant's token and a scope. */
import type { ActionsContext } from '../../shared/actions/context.ts';
import type { TenantLogSink } from '../../shared/ports/tenant-logs.ts';
import type { Authorizer, Principal } from '../../shared/tenancy/authorize.ts';
import type { ApiRequest, ApiResponse, Route } from '../http/router.ts';

export interface ManagementContext {
  actions: ActionsContext;
  authorizer: Authorizer;
  logs: TenantLogSink;
  /** Moves the async-trigger DLQ back to its queue; returns how many messages moved. */
  redriveTriggers: () => Promise<number>;
}

type Handler = (request: ApiRequest, principal: Principal, ctx: ManagementContext) => Promise<ApiResponse>;

/** Authenticates, checks one of the scopes, then runs the handler. */
export function scoped(scope: string | 'operator', handler: Handler): Route<ManagementContext>['handle'] {
  return async (request, ctx) => {
    const principal = await ctx.authorizer.authenticate(request.headers.authorization);
    if (scope === 'operator') ctx.authorizer.requireOperator(principal);
    else ctx.authorizer.requireScope(principal, scope);
    return handler(request, principal, ctx);
  };
}
