/**
 * The integration catalog (Hookchain's own, under `/api/v2/hookchain`): operators publish,
 * tenants browse, install and upgrade. Installed actions are then managed through the ordinary
 * actions endpoints (their code hidden and closed).
 */
import { actionView } from '../../shared/actions/representation.ts';
import { parseInput } from '../../shared/actions/schemas.ts';
import {
  catalogLookup,
  listCatalog,
  publishIntegration,
  requireIntegration,
  requireRelease,
} from '../../shared/integrations/catalog.ts';
import { installIntegration, upgradeInstalledAction } from '../../shared/integrations/install.ts';
import { integrationView, releaseView } from '../../shared/integrations/representation.ts';
import {
  installIntegrationBody,
  publishIntegrationBody,
  upgradeBody,
} from '../../shared/integrations/schemas.ts';
import type { Principal } from '../../shared/tenancy/authorize.ts';
import { OPERATOR_SCOPE } from '../../shared/tenancy/tokens.ts';
import type { ApiRequest, ApiResponse, Route } from '../http/router.ts';
import { type ManagementContext, scoped } from './scoped.ts';

const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });

/** The catalog is readable by tenants (to install) and by operators (to check what they published). */
function readers(
  handler: (request: ApiRequest, principal: Principal, ctx: ManagementContext) => Promise<ApiResponse>,
): Route<ManagementContext>['handle'] {
  return async (request, ctx) => {
    const principal = await ctx.authorizer.authenticate(request.headers.authorization);
    ctx.authorizer.requireScope(principal, 'read:actions', OPERATOR_SCOPE);
    return handler(request, principal, ctx);
  };
}

export function integrationRoutes(base: string): Route<ManagementContext>[] {
  const CATALOG = `${base}/integrations`;

  /** An installed action as the actions endpoints show it, with its catalog entry. */
  const installedView = async (ctx: ManagementContext, action: Parameters<typeof actionView>[0]) =>
    actionView(action, undefined, (await catalogLookup(ctx.actions, [action]))(action));

  return [
    {
      method: 'GET',
      path: CATALOG,
      handle: readers(async (_req, _p, ctx) => {
        const integrations = await listCatalog(ctx.actions);
        return ok({ total: integrations.length, integrations: integrations.map((i) => integrationView(i)) });
      }),
    },
    {
      method: 'POST',
      path: CATALOG,
      handle: scoped('operator', async (req, _p, ctx) => {
        const { integration, release } = await publishIntegration(
          ctx.actions,
          parseInput(publishIntegrationBody, req.body),
        );
        return ok(integrationView(integration, release), 201);
      }),
    },
    {
      method: 'GET',
      path: `${CATALOG}/{id}`,
      handle: readers(async (req, _p, ctx) => {
        const integration = await requireIntegration(ctx.actions, req.params.id as string);
        return ok(integrationView(integration, await requireRelease(ctx.actions, integration)));
      }),
    },
    {
      method: 'GET',
      path: `${CATALOG}/{id}/releases`,
      handle: readers(async (req, _p, ctx) => {
        const integration = await requireIntegration(ctx.actions, req.params.id as string);
        const releases = await ctx.actions.store.integrations.listReleases(integration.id);
        const trigger = integration.supported_triggers[0];
        return ok({ total: releases.length, releases: releases.map((r) => releaseView(r, trigger)) });
      }),
    },
    {
      method: 'POST',
      path: `${CATALOG}/{id}/install`,
      handle: scoped('create:actions', async (req, p, ctx) => {
        const action = await installIntegration(
          ctx.actions,
          p.tenantId,
          req.params.id as string,
          parseInput(installIntegrationBody, req.body),
        );
        return ok(await installedView(ctx, action), 201);
      }),
    },
    {
      method: 'POST',
      path: `${base}/actions/{id}/upgrade`,
      handle: scoped('update:actions', async (req, p, ctx) => {
        const action = await upgradeInstalledAction(
          ctx.actions,
          p.tenantId,
          req.params.id as string,
          parseInput(upgradeBody, req.body ?? {}),
        );
        return ok(await installedView(ctx, action));
      }),
    },
  ];
}
