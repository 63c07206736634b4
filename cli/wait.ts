/**
 * Builds and deploys are asynchronous on the server (as in Auth0): these helpers wait for them,
 * so from the user's side `deploy` simply finishes, or fails saying why. Polling every 250 ms
 * keeps the wait close to the real build time (about a second locally). They need only the two
 * reads below, so the dashboard's API client waits with them too.
 */
import type { Action, ActionVersion } from './api-types.ts';
import { CliError } from './errors.ts';

/** What waiting reads: any client of the management API (the CLI's, the dashboard's). */
export interface ActionReader {
  getAction(id: string): Promise<Action>;
  listVersions(id: string): Promise<ActionVersion[]>;
}

export const POLL_MS = 250;
const BUILD_TIMEOUT_MS = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class BuildFailedError extends CliError {
  override name = 'BuildFailedError';
  constructor(
    readonly actionName: string,
    readonly errors: Array<{ id: string; msg: string }>,
  ) {
    super(
      `The build of '${actionName}' failed:\n${errors.map((e) => `  - ${e.msg}`).join('\n') || '  (no details)'}`,
      'Fix the code or dependencies and push (or `hookchain actions update`) again.',
    );
  }
}

function timedOut(what: string): CliError {
  return new CliError(
    `Timed out waiting for ${what}.`,
    'The builder may be stuck or busy: check the server logs, then retry.',
  );
}

/** Waits until the draft's build settles; throws BuildFailedError when it fails. */
export async function waitForBuild(
  client: ActionReader,
  actionId: string,
  onStatus?: (action: Action) => void,
): Promise<Action> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    const action = await client.getAction(actionId);
    onStatus?.(action);
    if (action.status === 'built') return action;
    if (action.status === 'failed') throw new BuildFailedError(action.name, action.errors ?? []);
    if (Date.now() > deadline) throw timedOut(`the build of '${action.name}'`);
    await sleep(POLL_MS);
  }
}

/** Deploys the built draft and waits until the new version serves. */
export async function deployAndWait(
  client: ActionReader & { deployAction(id: string): Promise<ActionVersion> },
  action: Action,
): Promise<ActionVersion> {
  const version = await client.deployAction(action.id);
  await waitForLive(client, action, version);
  return version;
}

/** Waits until `version` is the action's live version; fails if the version's build fails. */
export async function waitForLive(
  client: ActionReader,
  action: Pick<Action, 'id' | 'name'>,
  version: Pick<ActionVersion, 'id' | 'number'>,
): Promise<Action> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (let tick = 0; ; tick++) {
    const current = await client.getAction(action.id);
    if (current.deployed_version?.number === version.number) return current;
    // Every second, look at the version itself: a version whose build failed never goes live.
    if (tick % 4 === 3) {
      const versions = await client.listVersions(action.id);
      const mine = versions.find((v) => v.id === version.id);
      if (mine?.status === 'failed') throw new BuildFailedError(action.name, mine.errors ?? []);
    }
    if (Date.now() > deadline) throw timedOut(`version ${version.number} of '${action.name}' to go live`);
    await sleep(POLL_MS);
  }
}

/** Build status as a word for progress lines. */
export function describeStatus(action: Action): string {
  return action.status === 'built' ? 'built' : `${action.status}…`;
}
