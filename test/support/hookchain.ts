/** Boots the whole platform on random loopback ports in a temp dir, with a small HTTP client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsFidelity, type Fidelity, fidelityFromEnv } from '../../infra/local/fidelity.ts';
import { type HookchainLocal, startHookchain } from '../../infra/local/hookchain.ts';

export interface ApiReply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface TestHookchain {
  stack: HookchainLocal;
  url: string;
  token: string;
  operatorToken: string;
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<ApiReply<T>>;
  /** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
  until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The AWS-faithful mode with only API Gateway's stage prefix on (every other behaviour at 0, off):
 * for suites that check what the prefix changes (the dashboard in a browser, the CLI) and nothing else.
 */
export function stagePrefixOnly(stage = 'dev'): Fidelity {
  return awsFidelity({
    gateway: { stage },
    dynamodb: { staleReadMs: 0 },
    sqs: { duplicateEvery: 0 },
    lambda: { pendingMs: 0, throttleEvery: 0, resetAfterRunEvery: 0 },
    logs: { filterLogEventsPerSecond: 0, abortCreateLogGroupEvery: 0 },
  });
}

export interface TestHookchainOptions {
  npmRegistry?: string;
  /** Configuration over the environment's, e.g. `{ HOOKCHAIN_CHAIN_BUDGET_MS: '3000' }`. */
  config?: Record<string, string>;
  /** The built dashboard served under /dashboard, e.g. a fixture (test/support/dashboard-fixture.ts). */
  dashboardRoot?: string;
  /** How kind the stack is; by default HOOKCHAIN_FIDELITY's (the `aws` test project sets it). */
  fidelity?: Fidelity;
}

export async function startTestHookchain(options: TestHookchainOptions = {}): Promise<TestHookchain> {
  const stateDir = await mkdtemp(join(tmpdir(), 'hookchain-test-'));
  const stack = await startHookchain({
    stateDir,
    port: 0,
    logLevel: 'silent',
    fidelity: fidelityFromEnv(process.env),
    ...options,
  });
  const api: TestHookchain['api'] = async (method, path, body, token = stack.bootstrap.token) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  return {
    stack,
    url: stack.url,
    token: stack.bootstrap.token,
    operatorToken: stack.operatorToken,
    api,
    async until(what, check, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      await stack.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
