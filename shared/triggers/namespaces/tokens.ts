/** `api.idToken` and `api.accessToken`: custom claims and scope changes on the tokens the caller issues. */
import { z } from 'zod';
import { type ChainState, defineCommand, type Namespace } from '../framework.ts';
import { claimKey, jsonValue, lazy, scope } from '../values.ts';

export interface IdTokenSection {
  [key: string]: unknown;
  id_token_claims: Record<string, unknown>;
}

export interface AccessTokenSection {
  [key: string]: unknown;
  access_token_claims: Record<string, unknown>;
}

export interface AccessTokenScopesSection {
  [key: string]: unknown;
  access_token_scopes: { added: string[]; removed: string[] };
}

const claimFields = lazy(() => z.object({ key: claimKey(), value: jsonValue() }));

export function idToken(): Namespace<IdTokenSection> {
  const setCustomClaim = defineCommand({
    type: 'idToken.setCustomClaim',
    fields: claimFields,
    apply: (state: ChainState<IdTokenSection>, { key, value }) => {
      state.result.id_token_claims[key] = value;
    },
  });
  return {
    initial: () => ({ id_token_claims: {} }),
    commands: [setCustomClaim],
    build: (ctx) => ({
      setCustomClaim(key: string, value: unknown) {
        ctx.record(setCustomClaim, { key, value });
        return ctx.api;
      },
    }),
  };
}

/** `withScopes` adds `addScope`/`removeScope` (post-login); credentials-exchange has claims only. */
function accessTokenNamespace(options: {
  withScopes: boolean;
}): Namespace<AccessTokenSection & AccessTokenScopesSection> {
  type Section = AccessTokenSection & AccessTokenScopesSection;
  const setCustomClaim = defineCommand({
    type: 'accessToken.setCustomClaim',
    fields: claimFields,
    apply: (state: ChainState<Section>, { key, value }) => {
      state.result.access_token_claims[key] = value;
    },
  });
  const addScope = defineCommand({
    type: 'accessToken.addScope',
    fields: () => z.object({ scope: scope() }),
    apply: (state: ChainState<Section>, { scope: added }) => {
      const scopes = state.result.access_token_scopes;
      scopes.removed = scopes.removed.filter((s) => s !== added);
      if (!scopes.added.includes(added)) scopes.added.push(added);
    },
  });
  const removeScope = defineCommand({
    type: 'accessToken.removeScope',
    fields: () => z.object({ scope: scope() }),
    apply: (state: ChainState<Section>, { scope: removed }) => {
      const scopes = state.result.access_token_scopes;
      scopes.added = scopes.added.filter((s) => s !== removed);
      if (!scopes.removed.includes(removed)) scopes.removed.push(removed);
    },
  });

  return {
    initial: () =>
      options.withScopes
        ? { access_token_claims: {}, access_token_scopes: { added: [], removed: [] } }
        : { access_token_claims: {} },
    commands: options.withScopes ? [setCustomClaim, addScope, removeScope] : [setCustomClaim],
    build: (ctx) => {
      const api: Record<string, unknown> = {
        setCustomClaim(key: string, value: unknown) {
          ctx.record(setCustomClaim, { key, value });
          return ctx.api;
        },
      };
      if (options.withScopes) {
        api.addScope = (name: string) => {
          ctx.record(addScope, { scope: name });
          return ctx.api;
        };
        api.removeScope = (name: string) => {
          ctx.record(removeScope, { scope: name });
          return ctx.api;
        };
      }
      return api;
    },
  };
}

export const accessTokenWithScopes = () => accessTokenNamespace({ withScopes: true });
export const accessTokenClaims = () =>
  accessTokenNamespace({ withScopes: false }) as Namespace<AccessTokenSection>;
