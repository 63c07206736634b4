/**
 * Async executions under SQS's at-least-once delivery: every message is delivered twice here
 * (the AWS-faithful mode, forced), and each execution's chain must still run exactly once.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { bind, deployedAction } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

/** How long the first run of an execution waits for a second, concurrent one that must not come. */
const SECOND_RUN_WINDOW_MS = 3_000;

let hc: TestHookchain;
let counter: Server;
/** Runs of the action, by the email of the execution's event. */
const runs = new Map<string, number>();
const held = new Map<string, ServerResponse>();

beforeAll(async () => {
  counter = createServer((req, res) => {
    const email = new URL(req.url ?? '/', 'http://x').searchParams.get('email') ?? '';
    const count = (runs.get(email) ?? 0) + 1;
    runs.set(email, count);
    if (count > 1) {
      held.get(email)?.end('again');
      res.end('again');
      return;
    }
    // The first run stays inside its chain, so a duplicate delivery meets it running.
    held.set(email, res);
    setTimeout(() => res.end('once'), SECOND_RUN_WINDOW_MS);
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  const port = (counter.address() as AddressInfo).port;

  hc = await startTestHookchain({ fidelity: awsFidelity({ sqs: { duplicateEvery: 1 } }) });
  await deployedAction(hc, {
    name: 'count-runs',
    trigger: 'post-user-registration',
    code: `exports.onExecutePostUserRegistration = async (event) => {
      await fetch('http://127.0.0.1:${port}/run?email=' + encodeURIComponent(event.user.email));
    };`,
  });
  await bind(hc, 'post-user-registration', ['count-runs']);
});
afterAll(async () => {
  await hc?.stop();
  counter?.closeAllConnections();
  await new Promise((resolve) => counter?.close(resolve));
});

async function register(email: string): Promise<string> {
  const base = sampleEvent('post-user-registration') as { user: Record<string, unknown> };
  const reply = await hc.api<{ execution_id: string }>(
    'POST',
    '/api/v2/actions/triggers/post-user-registration/execute',
    { event: { ...base, user: { ...base.user, email } } },
  );
  expect(reply.status).toBe(202);
  return reply.body.execution_id;
}

const settled = (id: string) =>
  hc.until('the execution to finish', async () => {
    const { body } = await hc.api<{ status?: string }>('GET', `/api/v2/actions/executions/${id}`);
    return body.status === 'final' || body.status === 'partial' ? body : undefined;
  });

describe('an async execution delivered twice', () => {
  it('runs its chain once, the duplicate meeting it running', async () => {
    const id = await register('twice@acme.test');
    expect((await settled(id)).status).toBe('final');
    expect(runs.get('twice@acme.test')).toBe(1);
  });

  it('is not run again when writing its logs fails after the chain ran', async () => {
    const ctx = hc.stack.platform.dispatch;
    const logs = ctx.logs;
    let failures = 0;
    ctx.logs = {
      ...logs,
      write: async (...args) => {
        if (failures++ === 0) throw new Error('CloudWatch Logs is unavailable');
        return logs.write(...args);
      },
    };
    try {
      const id = await register('logs-lost@acme.test');
      expect((await settled(id)).status).toBe('final');
      expect(runs.get('logs-lost@acme.test')).toBe(1);
    } finally {
      ctx.logs = logs;
    }
  });
});
