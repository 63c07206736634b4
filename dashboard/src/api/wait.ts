/**
 * Builds and deploys settle asynchronously: these wait for them by polling the API, the way a
 * person would refresh, and fail with the platform's own reason.
 */
import { isBuilding } from '../action-status.ts';
import type { ApiClient } from './client.ts';
import type { Action, ActionVersion } from './types.ts';

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
}

export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  what: string,
  { intervalMs = 400, timeoutMs = 120_000 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The draft once its build settled; a failed build is an error with the builder's messages. */
export async function untilBuilt(api: ApiClient, actionId: string, options?: WaitOptions): Promise<Action> {
  const action = await pollUntil(
    async () => {
      const current = await api.getAction(actionId);
      return isBuilding(current.status) ? undefined : current;
    },
    'the build',
    options,
  );
  if (action.status === 'failed') {
    const reasons = (action.errors ?? []).map((e) => e.msg).join('; ');
    throw new Error(`The draft failed to build${reasons ? `: ${reasons}` : '.'}`);
  }
  return action;
}

/** The version once it serves traffic; a version whose build failed is an error. */
export async function untilLive(
  api: ApiClient,
  version: ActionVersion,
  options?: WaitOptions,
): Promise<ActionVersion> {
  const live = await pollUntil(
    async () => {
      const current = await api.getVersion(version.action_id, version.id);
      return current.deployed || current.status === 'failed' ? current : undefined;
    },
    `version ${version.number} to go live`,
    options,
  );
  if (!live.deployed) {
    const reasons = (live.errors ?? []).map((e) => e.msg).join('; ');
    throw new Error(`Version ${version.number} failed to deploy${reasons ? `: ${reasons}` : '.'}`);
  }
  return live;
}
