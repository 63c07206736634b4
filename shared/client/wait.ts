/**
 * Builds and deploys are asynchronous on the server (as in Auth0): these helpers wait for them,
 * so from the user's side a deploy simply finishes, or fails saying why. Polling every 250 ms
 * keeps the wait close to the real build time (about a second locally).
 */
import { BuildFailedError, WaitTimeoutError } from './errors.ts';
import type { Action, ActionVersion } from './wire.ts';

/** What waiting reads: any client of the management API (a fake one in unit tests). */
export interface ActionReader {
  getAction(id: string): Promise<Action>;
  listVersions(id: string): Promise<ActionVersion[]>;
}

export const POLL_MS = 250;
const WAIT_BOUND_MS = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads the action every POLL_MS until `settled` returns it, throwing WaitTimeoutError naming
 * `awaited` past the bound. `settled` may throw to stop early (a failed build).
 */
export async function pollAction(
  client: Pick<ActionReader, 'getAction'>,
  actionId: string,
  awaited: (action: Action) => string,
  settled: (action: Action, poll: number) => Promise<boolean> | boolean,
): Promise<Action> {
  const deadline = Date.now() + WAIT_BOUND_MS;
  for (let poll = 0; ; poll++) {
    const action = await client.getAction(actionId);
    if (await settled(action, poll)) return action;
    if (Date.now() > deadline) throw new WaitTimeoutError(awaited(action));
    await sleep(POLL_MS);
  }
}

/** Waits until the draft's build settles; throws BuildFailedError when it fails. */
export function waitForBuild(
  client: Pick<ActionReader, 'getAction'>,
  actionId: string,
  onStatus?: (action: Action) => void,
): Promise<Action> {
  return pollAction(
    client,
    actionId,
    (action) => `the build of '${action.name}'`,
    (action) => {
      onStatus?.(action);
      if (action.status === 'failed') throw new BuildFailedError(action.name, action.errors ?? []);
      return action.status === 'built';
    },
  );
}

/** Waits until `version` is the action's live version; fails if the version's build fails. */
export function waitForLive(
  client: ActionReader,
  action: Pick<Action, 'id' | 'name'>,
  version: Pick<ActionVersion, 'id' | 'number'>,
): Promise<Action> {
  return pollAction(
    client,
    action.id,
    () => `version ${version.number} of '${action.name}' to go live`,
    async (current, poll) => {
      if (current.deployed_version?.number === version.number) return true;
      // Every second, look at the version itself: a version whose build failed never goes live.
      if (poll % 4 === 3) {
        const mine = (await client.listVersions(action.id)).find((v) => v.id === version.id);
        if (mine?.status === 'failed') throw new BuildFailedError(action.name, mine.errors ?? []);
      }
      return false;
    },
  );
}

/** Deploys the built draft and waits until the new version serves. */
export async function deployAndWait(
  client: ActionReader & { deployAction(id: string): Promise<ActionVersion> },
  action: Pick<Action, 'id' | 'name'>,
): Promise<ActionVersion> {
  const version = await client.deployAction(action.id);
  await waitForLive(client, action, version);
  return version;
}
