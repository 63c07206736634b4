/** Actions Modules: Auth0's `/api/v2/actions/modules` endpoints. */
import { page } from '../../shared/actions/representation.ts';
import { pagingQuery, parseInput } from '../../shared/actions/schemas.ts';
import {
  createModule,
  deleteModule,
  requireModule,
  rollbackModule,
  updateModule,
} from '../../shared/modules/modules.ts';
import { moduleActionView, moduleVersionView, moduleView } from '../../shared/modules/representation.ts';
import { createModuleBody, rollbackModuleBody, updateModuleBody } from '../../shared/modules/schemas.ts';
import { moduleUses } from '../../shared/modules/usage.ts';
import { getModuleVersion, listModuleVersions, publishModule } from '../../shared/modules/versions.ts';
import type { ApiResponse, Route } from '../http/router.ts';
import { type ManagementContext, scoped } from './scoped.ts';

const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });

export function moduleRoutes(base: string): Route<ManagementContext>[] {
  const MODULES = `${base}/modules`;

  /** A module with its usage count, and its latest version in full when `withLatest`. */
  const view = async (ctx: ManagementContext, tenantId: string, moduleId: string) => {
    const module = await requireModule(ctx.actions, tenantId, moduleId);
    const [actions, latest] = await Promise.all([
      ctx.actions.store.actions.list(tenantId),
      module.latest_version
        ? ctx.actions.store.moduleVersions.get(tenantId, module.id, module.latest_version.id)
        : undefined,
    ]);
    return moduleView(module, moduleUses(actions, module.id).length, latest);
  };

  return [
    {
      method: 'GET',
      path: MODULES,
      handle: scoped('read:actions', async (req, p, ctx) => {
        const query = parseInput(pagingQuery, req.query, 'query');
        const [modules, actions] = await Promise.all([
          ctx.actions.store.modules.list(p.tenantId),
          ctx.actions.store.actions.list(p.tenantId),
        ]);
        const sorted = modules.sort(
          (a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
        );
        const { items, ...paging } = page(sorted, query);
        return ok({
          ...paging,
          modules: items.map((m) => moduleView(m, moduleUses(actions, m.id).length)),
        });
      }),
    },
    {
      method: 'POST',
      path: MODULES,
      handle: scoped('create:actions', async (req, p, ctx) => {
        const module = await createModule(ctx.actions, p.tenantId, parseInput(createModuleBody, req.body));
        return ok(await view(ctx, p.tenantId, module.id), 201);
      }),
    },
    {
      method: 'GET',
      path: `${MODULES}/{id}`,
      handle: scoped('read:actions', async (req, p, ctx) =>
        ok(await view(ctx, p.tenantId, req.params.id as string)),
      ),
    },
    {
      method: 'PATCH',
      path: `${MODULES}/{id}`,
      handle: scoped('update:actions', async (req, p, ctx) => {
        const id = req.params.id as string;
        await updateModule(ctx.actions, p.tenantId, id, parseInput(updateModuleBody, req.body));
        return ok(await view(ctx, p.tenantId, id));
      }),
    },
    {
      method: 'DELETE',
      path: `${MODULES}/{id}`,
      handle: scoped('delete:actions', async (req, p, ctx) => {
        await deleteModule(ctx.actions, p.tenantId, req.params.id as string);
        return { status: 204 };
      }),
    },
    {
      method: 'GET',
      path: `${MODULES}/{id}/actions`,
      handle: scoped('read:actions', async (req, p, ctx) => {
        const query = parseInput(pagingQuery, req.query, 'query');
        const module = await requireModule(ctx.actions, p.tenantId, req.params.id as string);
        const uses = moduleUses(await ctx.actions.store.actions.list(p.tenantId), module.id);
        const { items, ...paging } = page(uses, query);
        return ok({ ...paging, actions: items.map(moduleActionView) });
      }),
    },
    {
      method: 'POST',
      path: `${MODULES}/{id}/rollback`,
      handle: scoped('update:actions', async (req, p, ctx) => {
        const id = req.params.id as string;
        const { module_version_id } = parseInput(rollbackModuleBody, req.body);
        await rollbackModule(ctx.actions, p.tenantId, id, module_version_id);
        return ok(await view(ctx, p.tenantId, id));
      }),
    },
    {
      method: 'GET',
      path: `${MODULES}/{id}/versions`,
      handle: scoped('read:actions', async (req, p, ctx) => {
        const query = parseInput(pagingQuery, req.query, 'query');
        const versions = await listModuleVersions(ctx.actions, p.tenantId, req.params.id as string);
        const { items, ...paging } = page(versions, query);
        return ok({ ...paging, versions: items.map(moduleVersionView) });
      }),
    },
    {
      method: 'POST',
      path: `${MODULES}/{id}/versions`,
      handle: scoped('update:actions', async (req, p, ctx) =>
        ok(moduleVersionView(await publishModule(ctx.actions, p.tenantId, req.params.id as string)), 201),
      ),
    },
    {
      method: 'GET',
      path: `${MODULES}/{id}/versions/{versionId}`,
      handle: scoped('read:actions', async (req, p, ctx) =>
        ok(
          moduleVersionView(
            await getModuleVersion(
              ctx.actions,
              p.tenantId,
              req.params.id as string,
              req.params.versionId as string,
            ),
          ),
        ),
      ),
    },
  ];
}
