/**
 * A sync action runs at most once (issue 14, B2). On AWS an Invoke can fail after the function
 * ran (a reset connection, a 5xx): retrying it would run the action twice. Only a throttle, which
 * Lambda answers before running anything, is retried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { bind, deployedAction } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain | undefined;
let witness: Server | undefined;
afterEach(async () => {
  await hc?.stop();
  await new Promise((resolve) => (witness ? witness.close(resolve) : resolve(undefined)));
  hc = undefined;
  witness = undefined;
});

/** A loopback server the action calls each time it runs: the count of its runs. */
async function startWitness(): Promise<{ url: string; runs: () => number }> {
  let runs = 0;
  witness = createServer((_req, res) => {
    runs += 1;
    res.end('ok');
  });
  await new Promise<void>((resolve) => witness?.listen(0, '127.0.0.1', resolve));
  const { port } = witness.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/ran`, runs: () => runs };
}

async function deployWitnessedAction(stack: TestHookchain, url: string): Promise<void> {
  await deployedAction(stack, {
    name: 'witnessed',
    code: `exports.onExecutePostLogin = async (event, api) => {
      await fetch(${JSON.stringify(url)});
      api.idToken.setCustomClaim('https://w.test/ran', true);
    };`,
  });
  await bind(stack, 'post-login', ['witnessed']);
}

function execute(stack: TestHookchain) {
  return stack.api<{ status: string; error?: { class?: string; message?: string } }>(
    'POST',
    '/api/v2/actions/triggers/post-login/execute',
    { event: sampleEvent('post-login') },
  );
}

describe('a sync invoke whose connection resets after the action ran', () => {
  it('is not retried: the action runs once and the execution fails with a platform error', async () => {
    // The builder's warm-up is the 1st sync invoke; the execution's is the 2nd, and is reset.
    hc = await startTestHookchain({ fidelity: awsFidelity({ lambda: { resetAfterRunEvery: 2 } }) });
    const { url, runs } = await startWitness();
    await deployWitnessedAction(hc, url);

    const { status, body } = await execute(hc);
    expect(runs()).toBe(1);
    expect(status).toBe(200);
    expect(body.status).toBe('failed');
    expect(body.error?.class).toBe('platform_error');
    expect(body.error?.message).toMatch(/answer was lost.*may have run/);
  });
});

describe('a throttled sync invoke', () => {
  it('is retried, since Lambda ran nothing: the chain succeeds with one run', async () => {
    hc = await startTestHookchain({ fidelity: awsFidelity({ lambda: { throttleEvery: 2 } }) });
    const { url, runs } = await startWitness();
    await deployWitnessedAction(hc, url);

    const { body } = await execute(hc);
    expect(body.status).toBe('final');
    expect(runs()).toBe(1);
  });
});
