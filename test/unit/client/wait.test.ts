/** Waiting for builds and deploys, against an in-memory reader that moves one step per read. */
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type ActionReader,
  type ActionVersion,
  BuildFailedError,
  waitForBuild,
  waitForLive,
} from '../../../shared/client/index.ts';

const action = (change: Partial<Action>): Action => ({
  id: 'act_1',
  name: 'greet',
  supported_triggers: [{ id: 'post-login', version: 'v3' }],
  all_changes_deployed: false,
  code: '',
  dependencies: [],
  runtime: 'node22',
  secrets: [],
  status: 'pending',
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...change,
});

/** Answers `getAction` with each of `states` in turn, then the last one for ever. */
function reader(states: Action[], versions: ActionVersion[] = []): ActionReader & { reads: number } {
  return {
    reads: 0,
    async getAction() {
      return states[Math.min(this.reads++, states.length - 1)] as Action;
    },
    async listVersions() {
      return versions;
    },
  };
}

const version = (change: Partial<ActionVersion>): ActionVersion => ({
  id: 'ver_2',
  action_id: 'act_1',
  number: 2,
  status: 'built',
  deployed: false,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  ...change,
});

describe('waiting for a build', () => {
  it('returns the action once its draft is built, telling each status seen', async () => {
    const seen: string[] = [];
    const client = reader([action({ status: 'building' }), action({ status: 'built' })]);
    const built = await waitForBuild(client, 'act_1', (a) => seen.push(a.status));
    expect(built.status).toBe('built');
    expect(seen).toEqual(['building', 'built']);
  });

  it("throws BuildFailedError with the server's errors when the build fails", async () => {
    const client = reader([
      action({ status: 'failed', errors: [{ id: 'bundle', msg: 'Unexpected token' }] }),
    ]);
    const failure = await waitForBuild(client, 'act_1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BuildFailedError);
    expect(failure).toMatchObject({
      actionName: 'greet',
      message: "The build of 'greet' failed:\n  - Unexpected token",
    });
  });
});

describe('waiting for a version to go live', () => {
  it('returns once the action serves the version', async () => {
    const live = action({
      deployed_version: { id: 'ver_2', number: 2, deployed: true, status: 'built', created_at: '' },
    });
    const client = reader([action({}), live]);
    expect(await waitForLive(client, live, version({}))).toBe(live);
  });

  it('stops with BuildFailedError when the version it waits for failed to build', async () => {
    const failed = version({ status: 'failed', errors: [{ id: 'e', msg: 'no such package' }] });
    const client = reader([action({})], [failed]);
    await expect(waitForLive(client, action({}), failed)).rejects.toMatchObject({
      name: 'BuildFailedError',
      errors: [{ id: 'e', msg: 'no such package' }],
    });
  });
});
