/**
 * The one request path to Hookchain's HTTP API: bearer token, JSON bodies, error bodies turned into
 * ApiError, network failures into UnreachableError, and Auth0's offset pages read to the end.
 * Runs in Node (the CLI) and in the browser (the dashboard): `fetch` and nothing platform-bound.
 */
import { ApiError, UnreachableError } from './errors.ts';

export interface HttpOptions {
  /** The API's base URL, before `/api/v2` (a stage prefix such as `/dev` is kept). */
  url: string;
  token?: string;
  /** Per request; a sync trigger may take its whole 20 s budget, so the default is generous. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told before a 401 is thrown, e.g. so the dashboard can ask to sign in again. */
  onUnauthorized?: () => void;
}

/** Query values; undefined and empty ones are left out. (A type, so any plain record fits.) */
export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Statuses answered without throwing (e.g. 404 while probing for an action by id). */
  allow?: number[];
}

export interface Reply<T> {
  status: number;
  body: T;
}

/** The API's largest page. */
export const PAGE_SIZE = 100;

/** `?a=1&b=x` from the defined, non-empty values, or '' when there are none. */
export function queryString(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The errno-style codes of a connection that never got an answer (Node names them; browsers do not). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

/** A failed fetch is a network failure: a TypeError in every runtime, a TimeoutError on our bound. */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError');
}

function parseBody(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

export class HttpClient {
  readonly url: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #onUnauthorized: (() => void) | undefined;

  constructor(options: HttpOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    // Bound late: a browser's fetch must be called with globalThis as `this`.
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#onUnauthorized = options.onUnauthorized;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const target = `${this.url}${path}${queryString(options.query ?? {})}`;
    const hasBody = options.body !== undefined;
    let response: Response;
    try {
      response = await this.#fetch(target, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        },
        ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const code = networkCode(error);
      if (code || isNetworkFailure(error)) {
        throw new UnreachableError(this.url, this.#token !== undefined, code, { cause: error });
      }
      throw error;
    }
    const body = parseBody(await response.text());
    if (response.ok || options.allow?.includes(response.status))
      return { status: response.status, body: body as T };
    const detail = body as { message?: unknown; errorCode?: unknown };
    const error = new ApiError(
      response.status,
      typeof detail.message === 'string' ? detail.message : `HTTP ${response.status}`,
      typeof detail.errorCode === 'string' ? detail.errorCode : undefined,
      this.url,
      this.#token !== undefined,
    );
    if (error.unauthorized) this.#onUnauthorized?.();
    throw error;
  }

  /** The answer's body (any 2xx). */
  async call<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(method, path, options)).body;
  }

  /** Every item of an Auth0 offset-paged list (`page`, `per_page` ≤ 100, `total`), read to the end. */
  async allPages<Item, Key extends string>(path: string, key: Key, query: Query = {}): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 0; ; page++) {
      const body = await this.call<{ total: number } & Record<Key, Item[]>>('GET', path, {
        query: { ...query, page, per_page: PAGE_SIZE },
      });
      const batch = body[key];
      items.push(...batch);
      if (batch.length < PAGE_SIZE || items.length >= body.total) return items;
    }
  }
}
