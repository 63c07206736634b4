/**
 * `actions.secrets` inside an Actions Module. Module secrets travel in each invocation
 * (`module_secrets`, by module name) and live only for its duration, in an AsyncLocalStorage, so
 * concurrent executions never see each other's values. Each module's code gets its own `actions`
 * binding: in a bundle, a one-line prelude the builder adds looks it up through a well-known global
 * the runtime installs; the testing kit passes it as a wrapper parameter instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Secret values per module name, as the invocation carries them. */
export type ModuleSecrets = Record<string, Record<string, string>>;

export interface ModuleActions {
  /** This module's own secrets (not the action's): `actions.secrets.SERVICE_URL`. */
  readonly secrets: Record<string, string>;
}

const current = new AsyncLocalStorage<ModuleSecrets>();
const GLOBAL_KEY = 'hookchain.moduleActions';

/** Runs one execution with its modules' secrets; each gets a fresh copy it may not leak into the next. */
export function withModuleSecrets<T>(secrets: ModuleSecrets | undefined, run: () => T): T {
  const copies: ModuleSecrets = {};
  for (const [name, values] of Object.entries(secrets ?? {})) copies[name] = { ...values };
  return current.run(copies, run);
}

/** The `actions` object of one module: reads the running execution's values on every access. */
export function moduleActions(name: string): ModuleActions {
  return Object.freeze({
    get secrets(): Record<string, string> {
      const store = current.getStore();
      if (!store) return {};
      store[name] ??= {};
      return store[name];
    },
  });
}

/** Makes `moduleActions` reachable from bundled module code (see `modulePrelude`). */
export function installModuleActions(): void {
  const key = Symbol.for(GLOBAL_KEY);
  if (Object.hasOwn(globalThis, key)) return;
  Object.defineProperty(globalThis, key, { value: moduleActions, enumerable: false });
}

/**
 * Prepended on the module's first line by the builder, so its line numbers stay the tenant's.
 * Declaring `actions` itself at the module's top level is a SyntaxError, as with Auth0's wrapper.
 */
export function modulePrelude(name: string): string {
  return `var actions = globalThis[Symbol.for(${JSON.stringify(GLOBAL_KEY)})](${JSON.stringify(name)}); `;
}
