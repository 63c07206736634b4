/**
 * Resolves a tenant's chain for a trigger: the flow item, then the bound actions' live versions in
 * one BatchGetItem. Cached in memory for a few seconds: at most two round trips on a miss, none on
 * a hit, no scans. A deploy or binding change is seen within the cache lifetime.
 */

import type { ResolvedAction } from '../model/executions.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../ports/store.ts';
import type { TriggerId } from '../triggers/ids.ts';

export interface ResolvedChain {
  revision: number;
  actions: ResolvedAction[];
}

export const CHAIN_CACHE_MS = 3_000;

export function createChainResolver(store: Store, options: { cacheMs?: number; now?: Clock } = {}) {
  const cacheMs = options.cacheMs ?? CHAIN_CACHE_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { chain: Promise<ResolvedChain>; until: number }>();

  async function load(tenantId: string, triggerId: TriggerId): Promise<ResolvedChain> {
    const flow = await store.flows.get(tenantId, triggerId);
    if (flow.bindings.length === 0) return { revision: flow.revision, actions: [] };
    const actions = await store.actions.getMany(
      tenantId,
      flow.bindings.map((b) => b.action_id),
    );
    const resolved: ResolvedAction[] = [];
    for (const binding of flow.bindings) {
      const action = actions.get(binding.action_id);
      // An action deleted (or never deployed) since it was bound is skipped, as Auth0 unbinds it.
      if (!action?.deployed) continue;
      resolved.push({
        action_id: action.id,
        action_name: action.name,
        version_id: action.deployed.version_id,
        version_number: action.deployed.number,
        function_name: action.deployed.function_name,
        secrets_ciphertext: action.deployed.secrets_ciphertext ?? null,
        ...(action.deployed.modules?.length
          ? {
              modules: action.deployed.modules.map((m) => ({
                name: m.module_name,
                secrets_ciphertext: m.secrets_ciphertext,
              })),
            }
          : {}),
        ...(action.deployed.configuration ? { configuration: action.deployed.configuration } : {}),
      });
    }
    return { revision: flow.revision, actions: resolved };
  }

  return {
    resolve(tenantId: string, triggerId: TriggerId): Promise<ResolvedChain> {
      const key = `${tenantId}\u0000${triggerId}`;
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.chain;
      // Concurrent misses share one load; a failed load is not cached.
      const chain = load(tenantId, triggerId);
      cache.set(key, { chain, until: now() + cacheMs });
      chain.catch(() => cache.delete(key));
      if (cache.size > 10_000) cache.clear();
      return chain;
    },
    invalidate(): void {
      cache.clear();
    },
  };
}

export type ChainResolver = ReturnType<typeof createChainResolver>;
