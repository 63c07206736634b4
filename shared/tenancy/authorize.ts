/**
 * Resolves a bearer token to the tenant it belongs to and checks scopes and expiry. Lookups are
 * cached for a few seconds so the hot path pays one GetItem per token per container, not per request.
 */

import { InsufficientScopeError, UnauthorizedError } from '../errors.ts';
import type { TokenRecord } from '../model/tenants.ts';
import type { Clock } from '../ports/clock.ts';
import type { TokenStore } from '../ports/store.ts';
import { hashToken, OPERATOR_SCOPE } from './tokens.ts';

export interface Principal {
  tenantId: string;
  scopes: ReadonlySet<string>;
}

const CACHE_MS = 5_000;

export function createAuthorizer(tokens: TokenStore, now: Clock = Date.now) {
  const cache = new Map<string, { record: TokenRecord | undefined; until: number }>();

  async function lookup(hash: string): Promise<TokenRecord | undefined> {
    const hit = cache.get(hash);
    if (hit && hit.until > now()) return hit.record;
    const record = await tokens.find(hash);
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { record, until: now() + CACHE_MS });
    return record;
  }

  return {
    /** `authorization` is the raw header; throws 401/403 errors, never returns an unauthenticated principal. */
    async authenticate(authorization: string | undefined): Promise<Principal> {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match)
        throw new UnauthorizedError('Missing authentication: send an Authorization: Bearer <token> header.');
      const record = await lookup(hashToken(match[1] as string));
      if (!record) throw new UnauthorizedError('Invalid token.');
      // Checked on every request, cached or not: a token stops working the second it expires.
      if (record.expires_at !== undefined && record.expires_at * 1000 <= now())
        throw new UnauthorizedError('Token expired.', 'token_expired');
      return { tenantId: record.tenant_id, scopes: new Set(record.scopes) };
    },

    /** Passes when the principal holds any of the scopes (Auth0's "expected any of"). */
    requireScope(principal: Principal, ...anyOf: string[]): void {
      if (anyOf.some((scope) => principal.scopes.has(scope))) return;
      throw new InsufficientScopeError(anyOf);
    },

    requireOperator(principal: Principal): void {
      if (!principal.scopes.has(OPERATOR_SCOPE)) throw new InsufficientScopeError([OPERATOR_SCOPE]);
    },

    /** Forget cached lookups (after a token is revoked). */
    forget(token: string): void {
      cache.delete(hashToken(token));
    },
  };
}

export type Authorizer = ReturnType<typeof createAuthorizer>;
