/** Creating, building and deploying actions through the management API, for integration tests. */
import type { TestHookchain } from './hookchain.ts';

export interface ActionInput {
  name: string;
  trigger?: string;
  code: string;
  secrets?: Array<{ name: string; value?: string }>;
  dependencies?: Array<{ name: string; version: string }>;
}

export type ActionBody = Record<string, unknown> & { id: string; status: string };

export async function createAction(
  hc: TestHookchain,
  input: ActionInput,
  token?: string,
): Promise<ActionBody> {
  const { status, body } = await hc.api<ActionBody>(
    'POST',
    '/api/v2/actions/actions',
    {
      name: input.name,
      supported_triggers: [{ id: input.trigger ?? 'post-login', version: 'v3' }],
      code: input.code,
      ...(input.secrets ? { secrets: input.secrets } : {}),
      ...(input.dependencies ? { dependencies: input.dependencies } : {}),
    },
    token,
  );
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls the draft until its build settles (`built` or `failed`). */
export function waitForBuild(
  hc: TestHookchain,
  id: string,
  token?: string,
  timeoutMs?: number,
): Promise<ActionBody> {
  return hc.until(
    `build of ${id}`,
    async () => {
      const { body } = await hc.api<ActionBody>('GET', `/api/v2/actions/actions/${id}`, undefined, token);
      return body.status === 'built' || body.status === 'failed' ? body : undefined;
    },
    timeoutMs,
  );
}

/** Polls until the action serves version `number`. */
export function waitForLive(
  hc: TestHookchain,
  id: string,
  number: number,
  token?: string,
): Promise<ActionBody> {
  return hc.until(`version ${number} of ${id} to go live`, async () => {
    const { body } = await hc.api<ActionBody>('GET', `/api/v2/actions/actions/${id}`, undefined, token);
    const live = body.deployed_version as { number?: number } | undefined;
    return live?.number === number ? body : undefined;
  });
}

/** Create, build, deploy and wait until it is live: the way to get a bindable action. */
export async function deployedAction(
  hc: TestHookchain,
  input: ActionInput,
  token?: string,
): Promise<ActionBody> {
  const created = await createAction(hc, input, token);
  const built = await waitForBuild(hc, created.id, token);
  if (built.status !== 'built') throw new Error(`build failed: ${JSON.stringify(built.errors)}`);
  const { status, body } = await hc.api<{ number: number }>(
    'POST',
    `/api/v2/actions/actions/${created.id}/deploy`,
    undefined,
    token,
  );
  if (status !== 200) throw new Error(`deploy failed: ${status} ${JSON.stringify(body)}`);
  return waitForLive(hc, created.id, body.number, token);
}

export async function bind(hc: TestHookchain, trigger: string, names: string[], token?: string) {
  const reply = await hc.api(
    'PATCH',
    `/api/v2/actions/triggers/${trigger}/bindings`,
    { bindings: names.map((value) => ({ ref: { type: 'action_name', value } })) },
    token,
  );
  if (reply.status !== 200) throw new Error(`bind failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
