/**
 * Deploy means live: when deploy (or a rollback) answers, the new version serves. A bindings PATCH
 * and an execute sent right after, with no sleep and no polling in between, see it: through plain
 * HTTP and through the official auth0 SDK. Runs in both modes; in the AWS-faithful one functions
 * stay Pending for a while, reads may be stale and two dispatcher containers keep their own chain
 * caches.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ManagementClient } from 'auth0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;

beforeAll(async () => {
  hc = await startTestHookchain();
});
afterAll(() => hc?.stop());

const CLAIM = 'https://acme.test/release';
const code = (release: string) =>
  `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('${CLAIM}', '${release}'); };`;

interface Execution {
  status: string;
  result: { id_token_claims?: Record<string, string> };
}

/** Executes post-login twice, so both dispatcher containers of the AWS-faithful mode answer. */
async function releasesServed(): Promise<string[]> {
  const served: string[] = [];
  for (let i = 0; i < 2; i++) {
    const run = await hc.api<Execution>('POST', '/api/v2/actions/triggers/post-login/execute', {
      event: sampleEvent('post-login'),
    });
    expect(run.status).toBe(200);
    served.push(run.body.result.id_token_claims?.[CLAIM] ?? `(status ${run.body.status}, no claim)`);
  }
  return served;
}

/**
 * Executes over and over while `work` runs, so every dispatcher's chain cache is fresh when it
 * answers: what the next execute sees is then what the deploy guaranteed, not an expired cache.
 */
async function whileExecuting<T>(work: () => Promise<T>): Promise<T> {
  let busy = true;
  const keeper = (async () => {
    while (busy) {
      await releasesServed();
      await sleep(20);
    }
  })();
  try {
    return await work();
  } finally {
    busy = false;
    await keeper;
  }
}

async function bind(...names: string[]) {
  const bound = await hc.api('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
    bindings: names.map((value) => ({ ref: { type: 'action_name', value } })),
  });
  expect(bound.status, JSON.stringify(bound.body)).toBe(200);
}

// Each deploy builds and starts a function: patient on a busy machine.
describe('deploy means live', { timeout: 90_000 }, () => {
  it('over HTTP: create → deploy → bind → execute, then a second deploy and a rollback, each served by the very next execute', async () => {
    const created = await hc.api<{ id: string }>('POST', '/api/v2/actions/actions', {
      name: 'live-http',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: code('one'),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    // No wait for `built`: deploy waits for the draft's build itself.
    const first = await hc.api<{ id: string; number: number; deployed: boolean; status: string }>(
      'POST',
      `/api/v2/actions/actions/${id}/deploy`,
    );
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ number: 1, deployed: true, status: 'built' });
    await bind('live-http');
    expect(await releasesServed()).toEqual(['one', 'one']);

    const patched = await hc.api('PATCH', `/api/v2/actions/actions/${id}`, { code: code('two') });
    expect(patched.status).toBe(200);
    const second = await whileExecuting(() =>
      hc.api<{ number: number }>('POST', `/api/v2/actions/actions/${id}/deploy`),
    );
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.number).toBe(2);
    expect(await releasesServed()).toEqual(['two', 'two']);

    const rolledBack = await whileExecuting(() =>
      hc.api<{ number: number }>(
        'POST',
        `/api/v2/actions/actions/${id}/versions/${first.body.id}/deploy`,
        {},
      ),
    );
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    expect(rolledBack.body.number).toBe(3);
    expect(await releasesServed()).toEqual(['one', 'one']);
  });

  it('with the official auth0 SDK: actions.deploy → triggers.bindings.updateMany → execute', async () => {
    const domain = 'acme.hookchain.test';
    const auth0 = new ManagementClient({
      domain,
      token: hc.token,
      fetch: (input, init) =>
        fetch(
          String(input instanceof Request ? input.url : input).replace(`https://${domain}`, hc.url),
          init,
        ),
      maxRetries: 0,
    });
    const created = await auth0.actions.create({
      name: 'live-sdk',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: code('sdk-one'),
    });
    const id = created.id as string;
    const version = await auth0.actions.deploy(id);
    expect(version).toMatchObject({ number: 1, deployed: true });
    await auth0.actions.triggers.bindings.updateMany('post-login', {
      bindings: [{ ref: { type: 'action_name', value: 'live-sdk' } }],
    });
    expect(await releasesServed()).toEqual(['sdk-one', 'sdk-one']);

    await auth0.actions.update(id, { code: code('sdk-two') });
    expect((await auth0.actions.deploy(id)).number).toBe(2);
    expect(await releasesServed()).toEqual(['sdk-two', 'sdk-two']);
  });

  it('a draft test right after a code change runs the new code or says the draft is still building', async () => {
    const created = await hc.api<{ id: string }>('POST', '/api/v2/actions/actions', {
      name: 'live-draft',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: code('draft-one'),
    });
    const id = created.body.id;
    for (const release of ['draft-two', 'draft-three']) {
      await hc.api('PATCH', `/api/v2/actions/actions/${id}`, { code: code(release) });
      const tested = await hc.api<{ payload?: { result?: { id_token_claims?: Record<string, string> } } }>(
        'POST',
        `/api/v2/actions/actions/${id}/test`,
        { payload: { event: sampleEvent('post-login') } },
      );
      if (tested.status === 200) {
        expect(tested.body.payload?.result?.id_token_claims?.[CLAIM]).toBe(release);
      } else {
        expect(tested.body).toMatchObject({ statusCode: 400, errorCode: 'draft_not_built' });
      }
    }
  });
});
