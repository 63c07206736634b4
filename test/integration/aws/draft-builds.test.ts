/**
 * Every revision of an action's draft builds into the one `-draft` function. On AWS the builder
 * runs several jobs at once (and SQS may deliver one twice), so the build of an older revision can
 * finish after the build of a newer one. It must then leave the function alone: otherwise the
 * action says `built` at the newer revision while its draft function runs the older code, and a
 * draft test silently tests the wrong thing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployOutcome, FunctionHost } from '../../../shared/ports/functions.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { createAction, waitForBuild } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;
beforeAll(async () => {
  hc = await startTestHookchain();
});
afterAll(() => hc?.stop());

const CLAIM = 'https://acme.test/revision';
const code = (revision: string) =>
  `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('${CLAIM}', '${revision}'); };`;

/**
 * Holds the builder's next deploy until `release()`: `entered` resolves when it arrives, `done`
 * with what the real deploy made of it once released.
 */
function holdNextDeploy(functions: FunctionHost) {
  const realDeploy = functions.deploy.bind(functions);
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered!: () => void;
  const arrived = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let done!: (outcome: Promise<DeployOutcome>) => void;
  const finished = new Promise<DeployOutcome>((resolve) => {
    done = resolve;
  });
  let held = false;
  functions.deploy = async (spec, options) => {
    if (held) return realDeploy(spec, options);
    held = true;
    entered();
    await released;
    const outcome = realDeploy(spec, options);
    done(outcome);
    return outcome;
  };
  return {
    entered: arrived,
    release,
    done: finished,
    restore: () => {
      functions.deploy = realDeploy;
    },
  };
}

describe('two builds of one draft that finish out of order', () => {
  it('leaves the draft function with the newest revision’s code', async () => {
    const created = await createAction(hc, { name: 'draft-race', code: code('zero') });
    expect((await waitForBuild(hc, created.id)).status).toBe('built');

    const hold = holdNextDeploy(hc.stack.platforms.builder.actions.functions);
    let olderBuild: DeployOutcome;
    try {
      const path = `/api/v2/actions/actions/${created.id}`;
      expect((await hc.api('PATCH', path, { code: code('one') })).status).toBe(200);
      await hold.entered; // revision "one" is bundled; its deploy waits

      expect((await hc.api('PATCH', path, { code: code('two') })).status).toBe(200);
      const built = await waitForBuild(hc, created.id);
      expect(built).toMatchObject({ status: 'built', code: code('two') });

      hold.release(); // the older build reaches the function last
      olderBuild = await hold.done;
    } finally {
      hold.restore();
    }

    const tested = await hc.api<{ payload: { result: { id_token_claims?: Record<string, string> } } }>(
      'POST',
      `/api/v2/actions/actions/${created.id}/test`,
      { payload: { event: sampleEvent('post-login') } },
    );
    expect(tested.status).toBe(200);
    expect(tested.body.payload.result.id_token_claims?.[CLAIM]).toBe('two');
    expect(olderBuild).toBe('superseded');
  });
});
