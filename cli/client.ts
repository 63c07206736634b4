/**
 * A typed client for the management, trigger and operator APIs. Every failure becomes a CliError
 * that says what to do next: start the stack, log in, ask for a scope, check a name.
 */
import type {
  Action,
  ActionList,
  ActionVersion,
  BindingInput,
  BindingList,
  Execution,
  Integration,
  IntegrationRelease,
  LogPage,
  LogQuery,
  Module,
  ModuleUse,
  ModuleVersion,
  Tenant,
  TestOutcome,
  TokenInfo,
  TriggerInfo,
  TriggerOutcome,
  VersionList,
} from './api-types.ts';
import { ApiError, UnreachableError } from './errors.ts';

const MODULES = '/api/v2/actions/modules';
const INTEGRATIONS = '/api/v2/hookchain/integrations';

export interface ClientOptions {
  url: string;
  token?: string;
  /** Per request; a sync trigger may take its whole 20 s budget, so the default is generous. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Statuses answered without throwing (e.g. 404 while probing for an action by id). */
  allow?: number[];
}

export interface Reply<T> {
  status: number;
  body: T;
}

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
    const code = (e as NodeJS.ErrnoException).code;
    if (code && NETWORK_CODES.has(code)) return code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

function parseBody(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

export class HookchainClient {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const target = `${this.url}${path}${search.size > 0 ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await this.fetchImpl(target, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const code = networkCode(error);
      if (code || error instanceof TypeError) {
        throw new UnreachableError(
          `Could not reach Hookchain at ${this.url} — is \`npm start\` running?${code ? ` (${code})` : ''}`,
          'Start the local stack with `npm start`, or point the CLI at another server with --url, HOOKCHAIN_URL or `hookchain login`.',
        );
      }
      throw error;
    }
    const body = parseBody(await response.text());
    if (response.ok || options.allow?.includes(response.status))
      return { status: response.status, body: body as T };
    throw this.apiError(response.status, body as Record<string, unknown>);
  }

  private apiError(status: number, body: Record<string, unknown>): ApiError {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    const code = typeof body.errorCode === 'string' ? body.errorCode : undefined;
    if (status === 401) {
      return new ApiError(
        status,
        `${this.url} refused the token: ${message}`,
        code,
        this.token
          ? 'Run `hookchain login --url <url> --token <token>` with a valid token, or set HOOKCHAIN_TOKEN.'
          : 'No token was sent: run `hookchain login --url <url> --token <token>`, or set HOOKCHAIN_TOKEN.',
      );
    }
    if (status === 403) {
      return new ApiError(
        status,
        message,
        code,
        'Use a token with that scope; an operator can issue one with `hookchain tokens create <tenant> --name <name>`.',
      );
    }
    if (status === 429)
      return new ApiError(status, message, code, 'Too many requests: wait a moment and retry.');
    if (status >= 500) {
      return new ApiError(
        status,
        `Hookchain failed (${status}): ${message}`,
        code,
        'This is a server problem, not your input; check the server logs (the `npm start` terminal locally).',
      );
    }
    return new ApiError(status, message, code);
  }

  private async call<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(method, path, options)).body;
  }

  // -- Management API --------------------------------------------------------------------------

  listActionsPage(query: Query): Promise<ActionList> {
    return this.call('GET', '/api/v2/actions/actions', { query });
  }

  /** Every action, following the pages. */
  async listActions(query: Query = {}): Promise<Action[]> {
    const all: Action[] = [];
    for (let page = 0; ; page++) {
      const reply = await this.listActionsPage({ ...query, page, per_page: 100 });
      all.push(...reply.actions);
      if (reply.actions.length < 100 || all.length >= reply.total) return all;
    }
  }

  async findActionByName(name: string): Promise<Action | undefined> {
    return (await this.listActionsPage({ actionName: name, per_page: 1 })).actions[0];
  }

  getAction(id: string): Promise<Action> {
    return this.call('GET', `/api/v2/actions/actions/${encodeURIComponent(id)}`);
  }

  /** The action with this id, or undefined when there is none (404). */
  async probeAction(id: string): Promise<Action | undefined> {
    const reply = await this.request<Action>('GET', `/api/v2/actions/actions/${encodeURIComponent(id)}`, {
      allow: [404, 400],
    });
    return reply.status === 200 ? reply.body : undefined;
  }

  createAction(body: Record<string, unknown>): Promise<Action> {
    return this.call('POST', '/api/v2/actions/actions', { body });
  }

  updateAction(id: string, body: Record<string, unknown>): Promise<Action> {
    return this.call('PATCH', `/api/v2/actions/actions/${encodeURIComponent(id)}`, { body });
  }

  async deleteAction(id: string, force: boolean): Promise<void> {
    await this.call('DELETE', `/api/v2/actions/actions/${encodeURIComponent(id)}`, {
      query: force ? { force: 'true' } : {},
    });
  }

  deployAction(id: string): Promise<ActionVersion> {
    return this.call('POST', `/api/v2/actions/actions/${encodeURIComponent(id)}/deploy`);
  }

  testAction(id: string, event: unknown): Promise<TestOutcome> {
    return this.call('POST', `/api/v2/actions/actions/${encodeURIComponent(id)}/test`, {
      body: { payload: { event } },
    });
  }

  async listVersions(id: string): Promise<ActionVersion[]> {
    const all: ActionVersion[] = [];
    for (let page = 0; ; page++) {
      const reply = await this.call<VersionList>(
        'GET',
        `/api/v2/actions/actions/${encodeURIComponent(id)}/versions`,
        { query: { page, per_page: 100 } },
      );
      all.push(...reply.versions);
      if (reply.versions.length < 100 || all.length >= reply.total) return all;
    }
  }

  rollback(id: string, versionId: string, updateDraft: boolean): Promise<ActionVersion> {
    return this.call(
      'POST',
      `/api/v2/actions/actions/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}/deploy`,
      { body: updateDraft ? { update_draft: true } : {} },
    );
  }

  async listTriggers(): Promise<TriggerInfo[]> {
    return (await this.call<{ triggers: TriggerInfo[] }>('GET', '/api/v2/actions/triggers')).triggers;
  }

  async getBindings(trigger: string): Promise<BindingList['bindings']> {
    const path = `/api/v2/actions/triggers/${encodeURIComponent(trigger)}/bindings`;
    return (await this.call<BindingList>('GET', path, { query: { per_page: 100 } })).bindings;
  }

  async setBindings(trigger: string, bindings: BindingInput[]): Promise<BindingList['bindings']> {
    const path = `/api/v2/actions/triggers/${encodeURIComponent(trigger)}/bindings`;
    return (await this.call<BindingList>('PATCH', path, { body: { bindings } })).bindings;
  }

  getExecution(id: string): Promise<Execution> {
    return this.call('GET', `/api/v2/actions/executions/${encodeURIComponent(id)}`);
  }

  queryLogs(query: LogQuery): Promise<LogPage> {
    return this.call('GET', '/api/v2/actions/logs', { query });
  }

  // -- Actions Modules -------------------------------------------------------------------------

  /** Every module, following the pages. */
  async listModules(): Promise<Module[]> {
    const all: Module[] = [];
    for (let page = 0; ; page++) {
      const reply = await this.call<{ total: number; modules: Module[] }>('GET', MODULES, {
        query: { page, per_page: 100 },
      });
      all.push(...reply.modules);
      if (reply.modules.length < 100 || all.length >= reply.total) return all;
    }
  }

  getModule(id: string): Promise<Module> {
    return this.call('GET', `${MODULES}/${encodeURIComponent(id)}`);
  }

  createModule(body: Record<string, unknown>): Promise<Module> {
    return this.call('POST', MODULES, { body });
  }

  updateModule(id: string, body: Record<string, unknown>): Promise<Module> {
    return this.call('PATCH', `${MODULES}/${encodeURIComponent(id)}`, { body });
  }

  async deleteModule(id: string): Promise<void> {
    await this.call('DELETE', `${MODULES}/${encodeURIComponent(id)}`);
  }

  publishModule(id: string): Promise<ModuleVersion> {
    return this.call('POST', `${MODULES}/${encodeURIComponent(id)}/versions`);
  }

  /** Every version, newest first. */
  async listModuleVersions(id: string): Promise<ModuleVersion[]> {
    const all: ModuleVersion[] = [];
    for (let page = 0; ; page++) {
      const reply = await this.call<{ total: number; versions: ModuleVersion[] }>(
        'GET',
        `${MODULES}/${encodeURIComponent(id)}/versions`,
        { query: { page, per_page: 100 } },
      );
      all.push(...reply.versions);
      if (reply.versions.length < 100 || all.length >= reply.total) return all;
    }
  }

  getModuleVersion(id: string, versionId: string): Promise<ModuleVersion> {
    return this.call('GET', `${MODULES}/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}`);
  }

  rollbackModule(id: string, versionId: string): Promise<Module> {
    return this.call('POST', `${MODULES}/${encodeURIComponent(id)}/rollback`, {
      body: { module_version_id: versionId },
    });
  }

  async listModuleActions(id: string): Promise<ModuleUse[]> {
    const all: ModuleUse[] = [];
    for (let page = 0; ; page++) {
      const reply = await this.call<{ total: number; actions: ModuleUse[] }>(
        'GET',
        `${MODULES}/${encodeURIComponent(id)}/actions`,
        { query: { page, per_page: 100 } },
      );
      all.push(...reply.actions);
      if (reply.actions.length < 100 || all.length >= reply.total) return all;
    }
  }

  // -- Integrations ----------------------------------------------------------------------------

  publishIntegration(body: unknown): Promise<Integration> {
    return this.call('POST', INTEGRATIONS, { body });
  }

  async listIntegrations(): Promise<Integration[]> {
    return (await this.call<{ integrations: Integration[] }>('GET', INTEGRATIONS)).integrations;
  }

  getIntegration(id: string): Promise<Integration> {
    return this.call('GET', `${INTEGRATIONS}/${encodeURIComponent(id)}`);
  }

  async listIntegrationReleases(id: string): Promise<IntegrationRelease[]> {
    const path = `${INTEGRATIONS}/${encodeURIComponent(id)}/releases`;
    return (await this.call<{ releases: IntegrationRelease[] }>('GET', path)).releases;
  }

  installIntegration(id: string, body: Record<string, unknown>): Promise<Action> {
    return this.call('POST', `${INTEGRATIONS}/${encodeURIComponent(id)}/install`, { body });
  }

  upgradeAction(id: string, body: Record<string, unknown>): Promise<Action> {
    return this.call('POST', `/api/v2/hookchain/actions/${encodeURIComponent(id)}/upgrade`, { body });
  }

  // -- Trigger API -----------------------------------------------------------------------------

  async execute(trigger: string, event: unknown): Promise<Reply<TriggerOutcome>> {
    return this.request('POST', `/api/v2/actions/triggers/${encodeURIComponent(trigger)}/execute`, {
      body: { event },
    });
  }

  // -- Operator API ----------------------------------------------------------------------------

  async listTenants(): Promise<Tenant[]> {
    return (await this.call<{ tenants: Tenant[] }>('GET', '/api/v2/hookchain/tenants')).tenants;
  }

  createTenant(id: string, name?: string): Promise<Tenant> {
    return this.call('POST', '/api/v2/hookchain/tenants', { body: { id, ...(name ? { name } : {}) } });
  }

  async listTokens(tenant: string): Promise<TokenInfo[]> {
    const path = `/api/v2/hookchain/tenants/${encodeURIComponent(tenant)}/tokens`;
    return (await this.call<{ tokens: TokenInfo[] }>('GET', path)).tokens;
  }

  createToken(
    tenant: string,
    name: string,
    scopes?: string[],
    expiresInSeconds?: number,
  ): Promise<TokenInfo> {
    return this.call('POST', `/api/v2/hookchain/tenants/${encodeURIComponent(tenant)}/tokens`, {
      body: {
        name,
        ...(scopes && scopes.length > 0 ? { scopes } : {}),
        ...(expiresInSeconds === undefined ? {} : { expires_in: expiresInSeconds }),
      },
    });
  }

  async revokeToken(tenant: string, tokenId: string): Promise<void> {
    await this.call(
      'DELETE',
      `/api/v2/hookchain/tenants/${encodeURIComponent(tenant)}/tokens/${encodeURIComponent(tokenId)}`,
    );
  }

  redriveTriggers(): Promise<{ moved: number }> {
    return this.call('POST', '/api/v2/hookchain/queues/triggers/redrive');
  }
}
