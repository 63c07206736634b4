/**
 * A typed client for Hookchain's management, trigger, logs and operator APIs: one method per
 * endpoint, lists read to the end. The CLI and the dashboard both talk to the server through it.
 */
import { HttpClient, type Reply } from './http.ts';
import type {
  Action,
  ActionCreate,
  ActionList,
  ActionUpdate,
  ActionVersion,
  Binding,
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
} from './wire.ts';

const ACTIONS = '/api/v2/actions/actions';
const TRIGGERS = '/api/v2/actions/triggers';
const MODULES = '/api/v2/actions/modules';
const INTEGRATIONS = '/api/v2/hookchain/integrations';
const TENANTS = '/api/v2/hookchain/tenants';

/** One path segment, escaped: ids may hold `/` or spaces. */
const at = (base: string, ...ids: string[]) => [base, ...ids.map(encodeURIComponent)].join('/');

export class HookchainClient extends HttpClient {
  // -- Actions ---------------------------------------------------------------------------------

  listActionsPage(query: { actionName?: string; page?: number; per_page?: number }): Promise<ActionList> {
    return this.call('GET', ACTIONS, { query });
  }

  /** Every action of the tenant, following the pages. */
  listActions(query: { actionName?: string; triggerId?: string } = {}): Promise<Action[]> {
    return this.allPages(ACTIONS, 'actions', query);
  }

  async findActionByName(name: string): Promise<Action | undefined> {
    return (await this.listActionsPage({ actionName: name, per_page: 1 })).actions[0];
  }

  /** One cheap authenticated read: does the API accept this token for reading actions? */
  async checkToken(): Promise<void> {
    await this.listActionsPage({ per_page: 1 });
  }

  getAction(id: string): Promise<Action> {
    return this.call('GET', at(ACTIONS, id));
  }

  /** The action with this id, or undefined when there is none (404, or 400 for an id of the wrong form). */
  async probeAction(id: string): Promise<Action | undefined> {
    const reply = await this.request<Action>('GET', at(ACTIONS, id), { allow: [404, 400] });
    return reply.status === 200 ? reply.body : undefined;
  }

  /** The body as ActionCreate describes it (actions as code builds it field by field). */
  createAction(body: ActionCreate | Record<string, unknown>): Promise<Action> {
    return this.call('POST', ACTIONS, { body });
  }

  updateAction(id: string, body: ActionUpdate | Record<string, unknown>): Promise<Action> {
    return this.call('PATCH', at(ACTIONS, id), { body });
  }

  /** `force` unbinds it from its trigger first; without it a bound action answers 409. */
  async deleteAction(id: string, force: boolean): Promise<void> {
    await this.call('DELETE', at(ACTIONS, id), { query: force ? { force: 'true' } : {} });
  }

  deployAction(id: string): Promise<ActionVersion> {
    return this.call('POST', `${at(ACTIONS, id)}/deploy`);
  }

  testAction(id: string, event: unknown): Promise<TestOutcome> {
    return this.call('POST', `${at(ACTIONS, id)}/test`, { body: { payload: { event } } });
  }

  /** Every version of an action, newest first. */
  listVersions(id: string): Promise<ActionVersion[]> {
    return this.allPages(`${at(ACTIONS, id)}/versions`, 'versions');
  }

  getVersion(actionId: string, versionId: string): Promise<ActionVersion> {
    return this.call('GET', at(`${at(ACTIONS, actionId)}/versions`, versionId));
  }

  /** Deploys a copy of an earlier version; `updateDraft` also makes it the draft. */
  rollback(actionId: string, versionId: string, updateDraft = false): Promise<ActionVersion> {
    return this.call('POST', `${at(`${at(ACTIONS, actionId)}/versions`, versionId)}/deploy`, {
      body: updateDraft ? { update_draft: true } : {},
    });
  }

  // -- Triggers, bindings, executions, logs -----------------------------------------------------

  async listTriggers(): Promise<TriggerInfo[]> {
    return (await this.call<{ triggers: TriggerInfo[] }>('GET', TRIGGERS)).triggers;
  }

  async getBindings(trigger: string): Promise<Binding[]> {
    const path = `${at(TRIGGERS, trigger)}/bindings`;
    return (await this.call<BindingList>('GET', path, { query: { per_page: 100 } })).bindings;
  }

  async setBindings(trigger: string, bindings: BindingInput[]): Promise<Binding[]> {
    const path = `${at(TRIGGERS, trigger)}/bindings`;
    return (await this.call<BindingList>('PATCH', path, { body: { bindings } })).bindings;
  }

  getExecution(id: string): Promise<Execution> {
    return this.call('GET', at('/api/v2/actions/executions', id));
  }

  queryLogs(query: LogQuery): Promise<LogPage> {
    return this.call('GET', '/api/v2/actions/logs', { query });
  }

  /** Runs a trigger's flow: 200 with the outcome, or 202 for an async trigger. */
  execute(trigger: string, event: unknown): Promise<Reply<TriggerOutcome>> {
    return this.request('POST', `${at(TRIGGERS, trigger)}/execute`, { body: { event } });
  }

  // -- Actions Modules -------------------------------------------------------------------------

  /** Every module, following the pages. */
  listModules(): Promise<Module[]> {
    return this.allPages(MODULES, 'modules');
  }

  getModule(id: string): Promise<Module> {
    return this.call('GET', at(MODULES, id));
  }

  createModule(body: Record<string, unknown>): Promise<Module> {
    return this.call('POST', MODULES, { body });
  }

  updateModule(id: string, body: Record<string, unknown>): Promise<Module> {
    return this.call('PATCH', at(MODULES, id), { body });
  }

  async deleteModule(id: string): Promise<void> {
    await this.call('DELETE', at(MODULES, id));
  }

  publishModule(id: string): Promise<ModuleVersion> {
    return this.call('POST', `${at(MODULES, id)}/versions`);
  }

  /** Every version, newest first. */
  listModuleVersions(id: string): Promise<ModuleVersion[]> {
    return this.allPages(`${at(MODULES, id)}/versions`, 'versions');
  }

  getModuleVersion(id: string, versionId: string): Promise<ModuleVersion> {
    return this.call('GET', at(`${at(MODULES, id)}/versions`, versionId));
  }

  rollbackModule(id: string, versionId: string): Promise<Module> {
    return this.call('POST', `${at(MODULES, id)}/rollback`, { body: { module_version_id: versionId } });
  }

  /** The actions pinning a version of this module. */
  listModuleActions(id: string): Promise<ModuleUse[]> {
    return this.allPages(`${at(MODULES, id)}/actions`, 'actions');
  }

  // -- Integrations ----------------------------------------------------------------------------

  publishIntegration(body: unknown): Promise<Integration> {
    return this.call('POST', INTEGRATIONS, { body });
  }

  async listIntegrations(): Promise<Integration[]> {
    return (await this.call<{ integrations: Integration[] }>('GET', INTEGRATIONS)).integrations;
  }

  getIntegration(id: string): Promise<Integration> {
    return this.call('GET', at(INTEGRATIONS, id));
  }

  async listIntegrationReleases(id: string): Promise<IntegrationRelease[]> {
    const path = `${at(INTEGRATIONS, id)}/releases`;
    return (await this.call<{ releases: IntegrationRelease[] }>('GET', path)).releases;
  }

  installIntegration(id: string, body: Record<string, unknown>): Promise<Action> {
    return this.call('POST', `${at(INTEGRATIONS, id)}/install`, { body });
  }

  upgradeAction(id: string, body: Record<string, unknown>): Promise<Action> {
    return this.call('POST', `${at('/api/v2/hookchain/actions', id)}/upgrade`, { body });
  }

  // -- Operator API ----------------------------------------------------------------------------

  async listTenants(): Promise<Tenant[]> {
    return (await this.call<{ tenants: Tenant[] }>('GET', TENANTS)).tenants;
  }

  createTenant(id: string, name?: string): Promise<Tenant> {
    return this.call('POST', TENANTS, { body: { id, ...(name ? { name } : {}) } });
  }

  async listTokens(tenant: string): Promise<TokenInfo[]> {
    return (await this.call<{ tokens: TokenInfo[] }>('GET', `${at(TENANTS, tenant)}/tokens`)).tokens;
  }

  createToken(
    tenant: string,
    name: string,
    scopes?: string[],
    expiresInSeconds?: number,
  ): Promise<TokenInfo> {
    return this.call('POST', `${at(TENANTS, tenant)}/tokens`, {
      body: {
        name,
        ...(scopes && scopes.length > 0 ? { scopes } : {}),
        ...(expiresInSeconds === undefined ? {} : { expires_in: expiresInSeconds }),
      },
    });
  }

  async revokeToken(tenant: string, tokenId: string): Promise<void> {
    await this.call('DELETE', at(`${at(TENANTS, tenant)}/tokens`, tokenId));
  }

  redriveTriggers(): Promise<{ moved: number }> {
    return this.call('POST', '/api/v2/hookchain/queues/triggers/redrive');
  }
}
