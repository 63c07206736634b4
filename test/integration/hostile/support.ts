/**
 * Shared by the hostile-action suites: a stack with short limits, tenants holding a well-behaved
 * action next to hostile ones (each case binds its own chain), and a bystander tenant whose own
 * chain must keep serving throughout.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { expect } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { type ActionBody, bind, createAction } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

/** Short limits keep the suite quick: a chain gets 3 s; a function is killed at 5 s. */
export const BUDGET_MS = 3_000;
export const FUNCTION_TIMEOUT_SECONDS = 5;
/** API Gateway's integration timeout: a hung action must never make the caller wait this long. */
export const GATEWAY_TIMEOUT_MS = 29_000;

export function startHostileStack(): Promise<TestHookchain> {
  return startTestHookchain({
    config: {
      HOOKCHAIN_CHAIN_BUDGET_MS: String(BUDGET_MS),
      HOOKCHAIN_ACTION_TIMEOUT_SECONDS: String(FUNCTION_TIMEOUT_SECONDS),
      HOOKCHAIN_ACTION_MEMORY_MB: '128',
    },
  });
}

export interface Outcome {
  execution_id: string;
  status: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read deep fields of the combined result.
  result: Record<string, any>;
  error?: { class: string; action_name: string; name: string; message: string };
}

export interface Tenant {
  id: string;
  token: string;
}

export async function createTenant(hc: TestHookchain, id: string): Promise<Tenant> {
  const created = await hc.api('POST', '/api/v2/hookchain/tenants', { id }, hc.operatorToken);
  if (created.status !== 201)
    throw new Error(`tenant ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const issued = await hc.api<{ token: string }>(
    'POST',
    `/api/v2/hookchain/tenants/${id}/tokens`,
    { name: 'hostile-suite' },
    hc.operatorToken,
  );
  return { id, token: issued.body.token };
}

export async function execute(
  hc: TestHookchain,
  tenant: Tenant,
  trigger = 'post-login',
  event: Record<string, unknown> = sampleEvent(trigger as 'post-login'),
) {
  const started = Date.now();
  const reply = await hc.api<Outcome>(
    'POST',
    `/api/v2/actions/triggers/${trigger}/execute`,
    { event },
    tenant.token,
  );
  return { ...reply, elapsedMs: Date.now() - started };
}

/** The well-behaved action every chain carries: one claim, nothing else. */
export const WELL_BEHAVED = `exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://hookchain.test/greeting', 'hello ' + event.user.user_id);
};`;
export const GREETING = 'hello auth0|64b7f2c9e1a2b3c4d5e6f708';

/** A hostile action: its code, and the secrets it is given. */
export interface HostileAction {
  code: string;
  secrets?: Array<{ name: string; value: string }>;
}

/**
 * A tenant holding the well-behaved action `greet` and a set of hostile actions, all deployed.
 * Its cases run one after another, each binding `greet` and its hostile action(s) in turn.
 */
export interface HostileGroup extends Tenant {
  trigger: string;
  /** Each action's function (`/aws/lambda/<name>` is its log group). */
  functionOf(action: string): string;
}

export async function hostileGroup(
  hc: TestHookchain,
  id: string,
  actions: Record<string, string | HostileAction>,
  trigger = 'post-login',
): Promise<HostileGroup> {
  const tenant = await createTenant(hc, id);
  const all: Array<[string, HostileAction]> = [
    ['greet', { code: wellBehaved(trigger) }],
    ...Object.entries(actions).map(([name, action]): [string, HostileAction] => [
      name,
      typeof action === 'string' ? { code: action } : action,
    ]),
  ];
  const deployed = await Promise.all(all.map(([name, action]) => deploy(hc, tenant, name, trigger, action)));
  const functions = new Map(deployed);
  return { ...tenant, trigger, functionOf: (action) => functions.get(action) as string };
}

/** Binds `greet` followed by the given hostile actions as the group's chain. */
export async function chain(hc: TestHookchain, group: HostileGroup, ...names: string[]): Promise<void> {
  await bind(hc, group.trigger, ['greet', ...names], group.token);
}

/**
 * Create, build, deploy, go live; answers the function's name. Builds queue behind each other on
 * a busy machine, so the waits are longer than the shared helpers'.
 */
async function deploy(
  hc: TestHookchain,
  tenant: Tenant,
  name: string,
  trigger: string,
  action: HostileAction,
): Promise<[string, string]> {
  const created = await createAction(hc, { name, trigger, ...action }, tenant.token);
  const read = () =>
    hc.api<ActionBody>('GET', `/api/v2/actions/actions/${created.id}`, undefined, tenant.token);
  const built = await hc.until(
    `build of ${name}`,
    async () => {
      const { body } = await read();
      return body.status === 'built' || body.status === 'failed' ? body : undefined;
    },
    BUILD_WAIT_MS,
  );
  if (built.status !== 'built') throw new Error(`build of ${name} failed: ${JSON.stringify(built.errors)}`);
  const { status, body } = await hc.api<{ number?: number; errorCode?: string }>(
    'POST',
    `/api/v2/actions/actions/${created.id}/deploy`,
    undefined,
    tenant.token,
  );
  // Many actions deploy at once here: past deploy's 20 s bound it answers 409 deploy_in_progress,
  // and the version (this action's first) goes live when its build lands.
  const inProgress = status === 409 && body.errorCode === 'deploy_in_progress';
  if (status !== 200 && !inProgress)
    throw new Error(`deploy of ${name} failed: ${status} ${JSON.stringify(body)}`);
  await hc.until(
    `${name} to go live`,
    async () => {
      const live = (await read()).body.deployed_version as { number?: number } | undefined;
      return live?.number !== undefined && (inProgress || live.number === body.number) ? true : undefined;
    },
    BUILD_WAIT_MS,
  );
  const record = await hc.stack.platform.store.actions.get(tenant.id, created.id);
  return [name, record?.deployed?.function_name as string];
}

const BUILD_WAIT_MS = 120_000;

function wellBehaved(trigger: string): string {
  if (trigger === 'post-login') return WELL_BEHAVED;
  const handler = `onExecute${trigger
    .split('-')
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('')}`;
  return `exports.${handler} = async (event) => { console.log('well behaved', event.user.user_id); };`;
}

/** Rebinds the tenant's chain to the well-behaved action alone and runs it: it must be unaffected. */
export async function expectWellBehavedNext(hc: TestHookchain, tenant: Tenant): Promise<void> {
  await bind(hc, 'post-login', ['greet'], tenant.token);
  const { status, body } = await execute(hc, tenant);
  expect(status).toBe(200);
  expect(body.status).toBe('final');
  expect(body.result.id_token_claims).toEqual({ 'https://hookchain.test/greeting': GREETING });
}

/** The bystander tenant: another tenant's chain that must keep answering, whatever runs next door. */
export async function bystanderTenant(hc: TestHookchain): Promise<HostileGroup> {
  const tenant = await hostileGroup(hc, 'bystander', {});
  await chain(hc, tenant);
  return tenant;
}

export async function expectBystanderServes(hc: TestHookchain, bystander: Tenant): Promise<void> {
  const { status, body } = await execute(hc, bystander);
  expect(status).toBe(200);
  expect(body.status).toBe('final');
  expect(body.result.id_token_claims).toEqual({ 'https://hookchain.test/greeting': GREETING });
}

/**
 * Runs `hostile` while the bystander executes its chain over and over: every one of those
 * executions must succeed while the hostile one is in flight. Answers the hostile outcome.
 */
export async function whileBystanderServes<T>(
  hc: TestHookchain,
  bystander: Tenant,
  hostile: Promise<T>,
): Promise<{ outcome: T; served: number }> {
  let done = false;
  const settled = hostile.finally(() => {
    done = true;
  });
  let served = 0;
  const loop = (async () => {
    do {
      await expectBystanderServes(hc, bystander);
      served++;
    } while (!done);
  })();
  const [outcome] = await Promise.all([settled, loop]);
  return { outcome, served };
}

export async function expectHealthy(hc: TestHookchain): Promise<void> {
  const res = await fetch(`${hc.url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok' });
}

/** Lines of a function's own log group (`/aws/lambda/<name>`) matching a filter pattern. */
export async function functionLog(
  hc: TestHookchain,
  functionName: string,
  pattern: string,
): Promise<string[]> {
  const logs = new CloudWatchLogsClient(hc.stack.clientConfig('logs'));
  try {
    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: pattern }),
    );
    return (out.events ?? []).map((e) => e.message ?? '');
  } finally {
    logs.destroy();
  }
}
