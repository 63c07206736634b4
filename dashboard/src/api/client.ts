/**
 * The dashboard's one door to Hookchain: the public management API, with the signed-in token.
 * Every failure becomes an `ApiError` carrying Auth0's error fields, so pages show the server's
 * own message.
 */
import type {
  Action,
  ActionList,
  ActionUpdate,
  ActionVersion,
  Binding,
  BindingInput,
  Execution,
  LogFilters,
  LogPage,
  TestOutcome,
  TriggerRef,
  VersionList,
} from './types.ts';

const ACTIONS = '/api/v2/actions';
/** The API's largest page. */
const PAGE_SIZE = 100;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }

  /** The token is missing, wrong or expired: the user must sign in again. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** The parts of the page's `location` the base is read from. */
export interface PageAddress {
  origin: string;
  pathname: string;
}

/** Where the API serves the dashboard: the page lives at `<api base>/dashboard/...`. */
const DASHBOARD_SEGMENT = '/dashboard/';

/**
 * The API's base URL, from where the page was served: everything before `/dashboard/`. On API
 * Gateway that keeps the stage (`https://<id>.execute-api.<region>.amazonaws.com/dev`) or a custom
 * domain's base path; served elsewhere (Vite's dev server) it is the page's origin.
 */
export function apiBaseFrom(location: PageAddress): string {
  const at = location.pathname.lastIndexOf(DASHBOARD_SEGMENT);
  return at < 0 ? location.origin : `${location.origin}${location.pathname.slice(0, at)}`;
}

export interface ApiClientOptions {
  token: string;
  /** Where the API lives; by default derived from the page's address (apiBaseFrom). */
  baseUrl?: string;
  /** Told when the API refuses the token. */
  onUnauthorized?: () => void;
}

export class ApiClient {
  readonly #token: string;
  readonly #baseUrl: string;
  readonly #onUnauthorized: (() => void) | undefined;

  constructor(options: ApiClientOptions) {
    this.#token = options.token;
    const page = (globalThis as { location?: PageAddress }).location;
    const pageBase = page ? apiBaseFrom(page) : '';
    this.#baseUrl = (options.baseUrl ?? pageBase).replace(/\/$/, '');
    this.#onUnauthorized = options.onUnauthorized;
  }

  /** Every action of the tenant, following the pages. */
  listActions(): Promise<Action[]> {
    return this.#allPages<ActionList, Action>(`${ACTIONS}/actions`, (page) => page.actions);
  }

  /** One cheap authenticated read: does the API accept this token for reading actions? */
  async checkToken(): Promise<void> {
    await this.#request('GET', `${ACTIONS}/actions?per_page=1`);
  }

  getAction(id: string): Promise<Action> {
    return this.#request('GET', `${ACTIONS}/actions/${encodeURIComponent(id)}`);
  }

  createAction(body: {
    name: string;
    supported_triggers: TriggerRef[];
    code: string;
    runtime?: string;
  }): Promise<Action> {
    return this.#request('POST', `${ACTIONS}/actions`, body);
  }

  updateAction(id: string, body: ActionUpdate): Promise<Action> {
    return this.#request('PATCH', `${ACTIONS}/actions/${encodeURIComponent(id)}`, body);
  }

  deleteAction(id: string): Promise<void> {
    return this.#request('DELETE', `${ACTIONS}/actions/${encodeURIComponent(id)}?force=true`);
  }

  deployAction(id: string): Promise<ActionVersion> {
    return this.#request('POST', `${ACTIONS}/actions/${encodeURIComponent(id)}/deploy`);
  }

  testAction(id: string, event: unknown): Promise<TestOutcome> {
    return this.#request('POST', `${ACTIONS}/actions/${encodeURIComponent(id)}/test`, {
      payload: { event },
    });
  }

  /** Every version of an action, following the pages. */
  listVersions(id: string): Promise<ActionVersion[]> {
    return this.#allPages<VersionList, ActionVersion>(
      `${ACTIONS}/actions/${encodeURIComponent(id)}/versions`,
      (page) => page.versions,
    );
  }

  getVersion(actionId: string, versionId: string): Promise<ActionVersion> {
    return this.#request(
      'GET',
      `${ACTIONS}/actions/${encodeURIComponent(actionId)}/versions/${encodeURIComponent(versionId)}`,
    );
  }

  rollback(actionId: string, versionId: string): Promise<ActionVersion> {
    return this.#request(
      'POST',
      `${ACTIONS}/actions/${encodeURIComponent(actionId)}/versions/${encodeURIComponent(versionId)}/deploy`,
      {},
    );
  }

  async getBindings(triggerId: string): Promise<Binding[]> {
    const page = await this.#request<{ bindings: Binding[] }>(
      'GET',
      `${ACTIONS}/triggers/${encodeURIComponent(triggerId)}/bindings?per_page=100`,
    );
    return page.bindings;
  }

  async setBindings(triggerId: string, bindings: BindingInput[]): Promise<Binding[]> {
    const body = await this.#request<{ bindings: Binding[] }>(
      'PATCH',
      `${ACTIONS}/triggers/${encodeURIComponent(triggerId)}/bindings`,
      { bindings },
    );
    return body.bindings;
  }

  getExecution(id: string): Promise<Execution> {
    return this.#request('GET', `${ACTIONS}/executions/${encodeURIComponent(id)}`);
  }

  queryLogs(filters: LogFilters): Promise<LogPage> {
    return this.#request('GET', `${ACTIONS}/logs${queryString(filters)}`);
  }

  /** Auth0's offset paging (`page`, `per_page` ≤ 100, `total`), read to the end. */
  async #allPages<Page extends { total: number }, Item>(
    path: string,
    itemsOf: (page: Page) => Item[],
  ): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 0; ; page++) {
      const body = await this.#request<Page>('GET', `${path}${queryString({ page, per_page: PAGE_SIZE })}`);
      const batch = itemsOf(body);
      items.push(...batch);
      if (batch.length < PAGE_SIZE || items.length >= body.total) return items;
    }
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiError(0, `Hookchain cannot be reached (${(error as Error).message}).`, 'network_error');
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : parseJson(text);
    if (!response.ok) {
      const detail = (parsed ?? {}) as { message?: unknown; errorCode?: unknown };
      const error = new ApiError(
        response.status,
        typeof detail.message === 'string' ? detail.message : `${response.status} ${response.statusText}`,
        typeof detail.errorCode === 'string' ? detail.errorCode : undefined,
      );
      if (error.unauthorized) this.#onUnauthorized?.();
      throw error;
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `?a=1&b=x` from the defined values, or '' when there are none. */
export function queryString(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
