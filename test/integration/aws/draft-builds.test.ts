/**
 * Every revision of an action's draft builds into the one `-draft` function. On AWS the builder
 * runs several jobs at once (and SQS may deliver one twice), so the build of an older revision can
 * finish after the build of a newer one. It must then leave the function alone: otherwise the
 * action says `built` at the newer revision while its draft function runs the older code, and a
 * draft test silently tests the wrong thing.
 *
 * The same job delivered again must also finish what the first delivery left undone: a builder
 * that stopped between recording `built` and deploying owes the deploy-on-build.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuilderHandler } from '../../../functions/builder/handler.ts';
import type { BuildJob } from '../../../shared/actions/context.ts';
import type { DeployOutcome, FunctionHost } from '../../../shared/ports/functions.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { createAction, waitForBuild, waitForLive } from '../../support/actions.ts';
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

/** The builder's job as SQS hands it over again (a redelivery after the first one failed). */
async function redeliver(job: BuildJob, receives: number) {
  const handler = createBuilderHandler(() => hc.stack.platforms.builder);
  const event = {
    Records: [
      {
        messageId: `redelivered-${receives}`,
        receiptHandle: `rh-${receives}`,
        body: JSON.stringify(job),
        attributes: { ApproximateReceiveCount: String(receives) },
      },
    ],
  } as unknown as SQSEvent;
  const context = { functionName: 'builder', getRemainingTimeInMillis: () => 300_000 } as unknown as Context;
  return handler(event, context);
}

/** Where the builder stops: it throws there once, as a crash would end the delivery. */
type StopPoint =
  | 'before the version is numbered'
  | 'after the version is written, before its build is queued';

/** Makes the builder stop once at `where`; resolves with the tenant it stopped for. */
function stopBuilderOnce(where: StopPoint) {
  const ctx = hc.stack.platforms.builder.actions;
  let stoppedFor: string | undefined;
  if (where === 'before the version is numbered') {
    const real = ctx.store.actions.nextVersionNumber.bind(ctx.store.actions);
    ctx.store.actions.nextVersionNumber = async (tenantId) => {
      ctx.store.actions.nextVersionNumber = real;
      stoppedFor = tenantId;
      throw new Error('the builder stopped');
    };
  } else {
    const real = ctx.builds.send.bind(ctx.builds);
    ctx.builds.send = async (job, options) => {
      if (job.kind !== 'version') return real(job, options);
      ctx.builds.send = real;
      stoppedFor = job.tenant_id;
      throw new Error('the builder stopped');
    };
  }
  return hc.until('the builder to stop', async () => stoppedFor);
}

describe.each<StopPoint>([
  'before the version is numbered',
  'after the version is written, before its build is queued',
])('an action created with deploy: true whose builder stops %s', (where) => {
  it('goes live when the build job is delivered again, and only once however often it is', async () => {
    const stopped = stopBuilderOnce(where);
    const { status, body: created } = await hc.api<{ id: string }>('POST', '/api/v2/actions/actions', {
      name: `deploy-on-build-resumes-${where.length}`,
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: code('resumed'),
      deploy: true,
    });
    expect(status).toBe(201);
    const tenantId = await stopped;
    expect((await waitForBuild(hc, created.id)).status).toBe('built');
    const versionsPath = `/api/v2/actions/actions/${created.id}/versions`;
    const live = async () =>
      (await hc.api('GET', `/api/v2/actions/actions/${created.id}`)).body.deployed_version;
    expect(await live()).toBeUndefined();

    const job: BuildJob = { kind: 'draft', tenant_id: tenantId, action_id: created.id, revision: 1 };
    expect(await redeliver(job, 2)).toEqual({ batchItemFailures: [] });
    expect(await redeliver(job, 3)).toEqual({ batchItemFailures: [] }); // and once more: a duplicate

    await waitForLive(hc, created.id, 1);
    const { body } = await hc.api<{ versions: Array<{ number: number }> }>('GET', versionsPath);
    expect(body.versions.map((version) => version.number)).toEqual([1]);
  });
});
