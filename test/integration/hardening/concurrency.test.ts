/**
 * Concurrent writers on the local stack, with no transactions to lean on (DESIGN §6): 20 deploys
 * of one action at once get 20 consecutive, unique version numbers from the atomic counter, every
 * version is recorded, and the live pointer only ever moves to one of them, ending on the newest;
 * 10 binding updates at once leave the flow equal to one submitted list, and the writers that lost
 * the conditional write get a clear 409 they can retry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { createAction, deployedAction, waitForBuild } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;

beforeAll(async () => {
  hc = await startTestHookchain();
});
afterAll(async () => {
  await hc?.stop();
});

const A = '/api/v2/actions';

describe('20 parallel deploys of one action', () => {
  // Each deploy answers once its version, or a newer one, is live: twenty builds in turn.
  it('number the versions 1..20 uniquely, record each, and go live only on one of them — the newest', {
    timeout: 120_000,
  }, async () => {
    const created = await createAction(hc, {
      name: 'deployed-twenty-times',
      code: `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://c.test/x', 1); };`,
    });
    expect((await waitForBuild(hc, created.id)).status).toBe('built');

    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        hc.api<{ id: string; number: number }>('POST', `${A}/actions/${created.id}/deploy`),
      ),
    );
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const numbers = replies.map((r) => r.body.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const ids = new Set(replies.map((r) => r.body.id));
    expect(ids.size).toBe(20);

    // While the builds land, the live version is always one of the twenty; in the end the newest.
    const seen = new Set<number>();
    const live = await hc.until(
      'version 20 to go live',
      async () => {
        const { body } = await hc.api<{ deployed_version?: { id: string; number: number } }>(
          'GET',
          `${A}/actions/${created.id}`,
        );
        const current = body.deployed_version;
        if (current) {
          expect(ids.has(current.id)).toBe(true);
          seen.add(current.number);
        }
        return current?.number === 20 ? current : undefined;
      },
      90_000,
    );
    expect(live.number).toBe(20);
    // Live numbers only ever grow: an older build never replaces a newer live version.
    expect([...seen]).toEqual([...seen].sort((a, b) => a - b));

    const versions = await hc.api<{ versions: Array<{ id: string; number: number }> }>(
      'GET',
      `${A}/actions/${created.id}/versions?per_page=100`,
    );
    expect(versions.body.versions.map((v) => v.number).sort((a, b) => a - b)).toEqual(numbers);
    expect(new Set(versions.body.versions.map((v) => v.id))).toEqual(ids);
  });
});

describe('10 parallel binding updates', () => {
  it('leave the flow equal to one of the submitted lists; the losers get a clear 409', async () => {
    const names = ['order-a', 'order-b', 'order-c', 'order-d'];
    await Promise.all(
      names.map((name) =>
        deployedAction(hc, {
          name,
          code: `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://c.test/${name}', 1); };`,
        }),
      ),
    );
    // Ten different orders and lengths.
    const lists = [
      ['order-a', 'order-b', 'order-c', 'order-d'],
      ['order-d', 'order-c', 'order-b', 'order-a'],
      ['order-b', 'order-a'],
      ['order-c'],
      ['order-d', 'order-a', 'order-c'],
      ['order-a', 'order-c', 'order-b', 'order-d'],
      ['order-b', 'order-d'],
      ['order-c', 'order-a', 'order-d', 'order-b'],
      ['order-d'],
      ['order-a', 'order-d', 'order-b'],
    ];
    const replies = await Promise.all(
      lists.map((list) =>
        hc.api<{ bindings?: Array<{ action: { name: string } }> } & Record<string, unknown>>(
          'PATCH',
          `${A}/triggers/post-login/bindings`,
          { bindings: list.map((value) => ({ ref: { type: 'action_name', value } })) },
        ),
      ),
    );

    const won: string[][] = [];
    replies.forEach((reply, i) => {
      if (reply.status === 200) {
        expect(reply.body.bindings?.map((b) => b.action.name)).toEqual(lists[i]);
        won.push(lists[i] as string[]);
      } else {
        expect(reply).toEqual({
          status: 409,
          body: {
            statusCode: 409,
            error: 'Conflict',
            message: 'The resource was modified concurrently; retry the request.',
            errorCode: 'concurrent_modification',
          },
        });
      }
    });
    expect(won.length).toBeGreaterThan(0);

    const stored = await hc.api<{ bindings: Array<{ action: { name: string } }> }>(
      'GET',
      `${A}/triggers/post-login/bindings`,
    );
    const flow = stored.body.bindings.map((b) => b.action.name);
    expect(won).toContainEqual(flow);

    // And the chain that runs is that flow, in that order.
    const run = await hc.api<{ status: string; result: { id_token_claims: Record<string, number> } }>(
      'POST',
      `${A}/triggers/post-login/execute`,
      { event: sampleEvent('post-login') },
    );
    expect(run.body.status).toBe('final');
    expect(Object.keys(run.body.result.id_token_claims)).toEqual(
      flow.map((name) => `https://c.test/${name}`),
    );
  });
});
