/** The Auth0 Management API v2 actions subset, plus Hookchain's operator endpoints. */

import { z } from 'zod';
import { getBindings, updateBindings } from '../../shared/actions/bindings.ts';
import {
  createAction,
  deleteAction,
  listActions,
  requireAction,
  updateAction,
} from '../../shared/actions/drafts.ts';
import { deployLive, rollbackLive } from '../../shared/actions/go-live.ts';
import {
  actionView,
  bindingView,
  page,
  triggersView,
  versionView,
} from '../../shared/actions/representation.ts';
import {
  createActionBody,
  deleteActionQuery,
  listActionsQuery,
  pagingQuery,
  parseInput,
  rollbackBody,
  testBody,
  updateActionBody,
  updateBindingsBody,
} from '../../shared/actions/schemas.ts';
import { testDraft } from '../../shared/actions/test-draft.ts';
import { getVersion, listVersions } from '../../shared/actions/versions.ts';
import { executionView } from '../../shared/dispatch/execution-view.ts';
import { NotFoundError, UnknownTriggerError } from '../../shared/errors.ts';
import { catalogLookup } from '../../shared/integrations/catalog.ts';
import {
  createTenant,
  issueToken,
  listTokens,
  MAX_TOKEN_LIFETIME_SECONDS,
  revokeToken,
} from '../../shared/tenancy/service.ts';
import { isTriggerId, type TriggerId } from '../../shared/triggers/ids.ts';
import type { ApiRequest, ApiResponse, Route } from '../http/router.ts';
import { integrationRoutes } from './integration-routes.ts';
import { moduleRoutes } from './module-routes.ts';
import { type ManagementContext, scoped } from './scoped.ts';

function triggerParam(request: ApiRequest): TriggerId {
  const trigger = request.params.triggerId as string;
  if (!isTriggerId(trigger)) throw new UnknownTriggerError(trigger);
  return trigger;
}

const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });

const BASE = '/api/v2/actions';

export const managementRoutes: Route<ManagementContext>[] = [
  {
    method: 'GET',
    path: `${BASE}/actions`,
    handle: scoped('read:actions', async (req, p, ctx) => {
      const query = parseInput(listActionsQuery, req.query, 'query');
      const { items, ...paging } = page(await listActions(ctx.actions, p.tenantId, query), query);
      const catalog = await catalogLookup(ctx.actions, items);
      return ok({ ...paging, actions: items.map((a) => actionView(a, undefined, catalog(a))) });
    }),
  },
  {
    method: 'POST',
    path: `${BASE}/actions`,
    handle: scoped('create:actions', async (req, p, ctx) => {
      const action = await createAction(ctx.actions, p.tenantId, parseInput(createActionBody, req.body));
      return ok(actionView(action), 201);
    }),
  },
  {
    method: 'GET',
    path: `${BASE}/actions/{id}`,
    handle: scoped('read:actions', async (req, p, ctx) => {
      const action = await requireAction(ctx.actions, p.tenantId, req.params.id as string);
      const [live, catalog] = await Promise.all([
        action.deployed
          ? ctx.actions.store.versions.get(p.tenantId, action.id, action.deployed.version_id)
          : undefined,
        catalogLookup(ctx.actions, [action]),
      ]);
      return ok(actionView(action, live, catalog(action)));
    }),
  },
  {
    method: 'PATCH',
    path: `${BASE}/actions/{id}`,
    handle: scoped('update:actions', async (req, p, ctx) => {
      const action = await updateAction(
        ctx.actions,
        p.tenantId,
        req.params.id as string,
        parseInput(updateActionBody, req.body),
      );
      return ok(actionView(action, undefined, (await catalogLookup(ctx.actions, [action]))(action)));
    }),
  },
  {
    method: 'DELETE',
    path: `${BASE}/actions/{id}`,
    handle: scoped('delete:actions', async (req, p, ctx) => {
      const { force } = parseInput(deleteActionQuery, req.query, 'query');
      await deleteAction(ctx.actions, p.tenantId, req.params.id as string, force ?? false);
      return { status: 204 };
    }),
  },
  {
    method: 'POST',
    path: `${BASE}/actions/{id}/deploy`,
    handle: scoped('update:actions', async (req, p, ctx) => {
      const version = await deployLive(ctx.actions, p.tenantId, req.params.id as string);
      const action = await requireAction(ctx.actions, p.tenantId, version.action_id);
      return ok(versionView(version, action));
    }),
  },
  {
    method: 'POST',
    path: `${BASE}/actions/{id}/test`,
    handle: scoped('update:actions', async (req, p, ctx) =>
      ok(
        await testDraft(
          ctx.actions,
          p.tenantId,
          req.params.id as string,
          parseInput(testBody, req.body).payload,
        ),
      ),
    ),
  },
  {
    method: 'GET',
    path: `${BASE}/actions/{id}/versions`,
    handle: scoped('read:actions', async (req, p, ctx) => {
      const query = parseInput(pagingQuery, req.query, 'query');
      const { action, versions } = await listVersions(ctx.actions, p.tenantId, req.params.id as string);
      const { items, ...paging } = page(versions, query);
      return ok({ ...paging, versions: items.map((v) => versionView(v, action)) });
    }),
  },
  {
    method: 'GET',
    path: `${BASE}/actions/{id}/versions/{versionId}`,
    handle: scoped('read:actions', async (req, p, ctx) => {
      const { action, version } = await getVersion(
        ctx.actions,
        p.tenantId,
        req.params.id as string,
        req.params.versionId as string,
      );
      return ok(versionView(version, action));
    }),
  },
  {
    method: 'POST',
    path: `${BASE}/actions/{id}/versions/{versionId}/deploy`,
    handle: scoped('update:actions', async (req, p, ctx) => {
      const options = parseInput(rollbackBody, req.body ?? {});
      const version = await rollbackLive(
        ctx.actions,
        p.tenantId,
        req.params.id as string,
        req.params.versionId as string,
        options,
      );
      const action = await requireAction(ctx.actions, p.tenantId, version.action_id);
      return ok(versionView(version, action));
    }),
  },
  {
    method: 'GET',
    path: `${BASE}/triggers`,
    handle: scoped('read:actions', async () => ok(triggersView())),
  },
  {
    method: 'GET',
    path: `${BASE}/triggers/{triggerId}/bindings`,
    handle: scoped('read:actions', async (req, p, ctx) => {
      const trigger = triggerParam(req);
      const query = parseInput(pagingQuery, req.query, 'query');
      const { bindings } = await getBindings(ctx.actions, p.tenantId, trigger);
      const { items, ...paging } = page(bindings, query);
      const catalog = await catalogLookup(
        ctx.actions,
        items.map((b) => b.action),
      );
      return ok({
        ...paging,
        bindings: items.map((b) => bindingView(b.binding, trigger, b.action, catalog(b.action))),
      });
    }),
  },
  {
    method: 'PATCH',
    path: `${BASE}/triggers/{triggerId}/bindings`,
    handle: scoped('update:actions', async (req, p, ctx) => {
      const trigger = triggerParam(req);
      const resolved = await updateBindings(
        ctx.actions,
        p.tenantId,
        trigger,
        parseInput(updateBindingsBody, req.body),
      );
      const catalog = await catalogLookup(
        ctx.actions,
        resolved.map((b) => b.action),
      );
      return ok({
        bindings: resolved.map((b) => bindingView(b.binding, trigger, b.action, catalog(b.action))),
      });
    }),
  },
  {
    method: 'GET',
    path: `${BASE}/executions/{id}`,
    handle: scoped('read:actions', async (req, p, ctx) => {
      const execution = await ctx.actions.store.executions.get(
        p.tenantId,
        req.params.id as string,
        Math.floor(Date.now() / 1000),
      );
      if (!execution) throw new NotFoundError('That execution does not exist.');
      return ok(executionView(execution));
    }),
  },
  {
    method: 'GET',
    path: `${BASE}/logs`,
    handle: scoped('read:logs', async (req, p, ctx) => {
      const query = parseInput(logsQuery, req.query, 'query');
      const page = await ctx.logs.query(p.tenantId, query);
      // CloudWatch's read quota is spent: a short page, and when to ask again (clients honour it).
      return page.retry_after === undefined
        ? ok(page)
        : { status: 200, body: page, headers: { 'retry-after': String(page.retry_after) } };
    }),
  },
  ...moduleRoutes(BASE),
  ...integrationRoutes('/api/v2/hookchain'),
  ...operatorRoutes(),
];

// Filters become a CloudWatch filter pattern (at most 1024 characters): keep each to what it names.
const logsQuery = z.strictObject({
  action: z.string().max(256, { error: 'action must be at most 256 characters' }).optional(),
  trigger: z.string().max(64, { error: 'trigger must be at most 64 characters' }).optional(),
  execution: z.string().max(64, { error: 'execution must be at most 64 characters' }).optional(),
  /** ISO-8601 or epoch milliseconds. */
  since: z
    .string()
    .transform((value, ctx) => {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: 'custom', message: 'since must be an ISO-8601 date or epoch milliseconds' });
        return z.NEVER;
      }
      return ms;
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  next_token: z.string().max(4096, { error: 'next_token must be at most 4096 characters' }).optional(),
});

const tenantBody = z.strictObject({ id: z.string(), name: z.string().max(128).optional() });
const tokenBody = z.strictObject({
  name: z.string().min(1).max(128),
  scopes: z.array(z.string()).optional(),
  /** Lifetime in seconds; without it the token never expires. */
  expires_in: z
    .number()
    .int({ error: 'expires_in must be a whole number of seconds' })
    .min(1, { error: 'expires_in must be at least 1 second' })
    .max(MAX_TOKEN_LIFETIME_SECONDS, { error: 'expires_in must be at most ten years' })
    .optional(),
});

function operatorRoutes(): Route<ManagementContext>[] {
  const OPS = '/api/v2/hookchain';
  return [
    {
      method: 'GET',
      path: `${OPS}/tenants`,
      handle: scoped('operator', async (_req, _p, ctx) =>
        ok({ tenants: await ctx.actions.store.tenants.list() }),
      ),
    },
    {
      method: 'POST',
      path: `${OPS}/tenants`,
      handle: scoped('operator', async (req, _p, ctx) =>
        ok(
          await createTenant({ store: ctx.actions.store, logs: ctx.logs }, parseInput(tenantBody, req.body)),
          201,
        ),
      ),
    },
    {
      method: 'GET',
      path: `${OPS}/tenants/{tenantId}/tokens`,
      handle: scoped('operator', async (req, _p, ctx) =>
        ok({ tokens: await listTokens(ctx.actions.store, req.params.tenantId as string) }),
      ),
    },
    {
      method: 'POST',
      path: `${OPS}/tenants/{tenantId}/tokens`,
      handle: scoped('operator', async (req, _p, ctx) => {
        const input = parseInput(tokenBody, req.body);
        return ok(
          await issueToken(ctx.actions.store, { tenant_id: req.params.tenantId as string, ...input }),
          201,
        );
      }),
    },
    {
      method: 'POST',
      path: `${OPS}/queues/triggers/redrive`,
      handle: scoped('operator', async (_req, _p, ctx) => ok({ moved: await ctx.redriveTriggers() })),
    },
    {
      method: 'DELETE',
      path: `${OPS}/tenants/{tenantId}/tokens/{tokenId}`,
      handle: scoped('operator', async (req, _p, ctx) => {
        await revokeToken(ctx.actions.store, req.params.tenantId as string, req.params.tokenId as string);
        return { status: 204 };
      }),
    },
  ];
}
