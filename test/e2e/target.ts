/**
 * Where the end-to-end suite runs. With HOOKCHAIN_URL and HOOKCHAIN_TOKEN set, against that
 * deployment (AWS, LocalStack, a local stack started elsewhere); otherwise it starts the local
 * stack itself. Everything after this talks plain HTTP.
 *
 * With HOOKCHAIN_OPERATOR_TOKEN (or on the local stack) the suite creates a tenant of its own,
 * so it never touches anyone's actions or bindings.
 */
export interface ApiReply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface Target {
  /** Where the URL came from, for messages. */
  kind: 'local stack' | 'HOOKCHAIN_URL';
  url: string;
  token: string;
  operatorToken?: string;
  stop(): Promise<void>;
}

export async function connect(): Promise<Target> {
  const url = process.env.HOOKCHAIN_URL;
  if (url) {
    const token = process.env.HOOKCHAIN_TOKEN;
    if (!token) throw new Error('HOOKCHAIN_URL is set: set HOOKCHAIN_TOKEN (a tenant token) too.');
    const operatorToken = process.env.HOOKCHAIN_OPERATOR_TOKEN;
    return {
      kind: 'HOOKCHAIN_URL',
      url: url.replace(/\/+$/, ''),
      token,
      ...(operatorToken ? { operatorToken } : {}),
      stop: async () => {},
    };
  }
  // Loaded only here, so a run against a deployment never imports the local stack.
  const { startTestHookchain } = await import('../support/hookchain.ts');
  const local = await startTestHookchain();
  return {
    kind: 'local stack',
    url: local.url,
    token: local.token,
    operatorToken: local.operatorToken,
    stop: () => local.stop(),
  };
}

export function client(url: string) {
  return async function api<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<ApiReply<T>> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: response.status, body: parsed as T };
  };
}

/** Polls until `check` returns a value; deployed builds take seconds to a minute. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = Number(process.env.HOOKCHAIN_E2E_WAIT_MS ?? 180_000),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2_000);
  }
}
