/** Tenants and their tokens: what an operator manages, and how a fresh installation bootstraps. */

import type { TokenInfo } from '../client/wire.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { TokenRecord } from '../model/tenants.ts';
import type { Store } from '../ports/store.ts';
import type { TenantLogSink } from '../ports/tenant-logs.ts';
import { generateToken, hashToken, OPERATOR_SCOPE, TENANT_SCOPES } from './tokens.ts';

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,30}$/;
/** The pseudo-tenant operator tokens belong to; it owns no actions. */
export const OPERATOR_TENANT = '_operator';

/** A token as the wire shows it, with its secret: shown once, Hookchain keeps only its hash. */
export type IssuedToken = TokenInfo & { token: string };

/** The longest lifetime `expires_in` may ask for: ten years, in seconds. */
export const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

function tokenView(record: TokenRecord): TokenInfo {
  return {
    id: record.hash,
    tenant_id: record.tenant_id,
    name: record.name,
    scopes: record.scopes,
    created_at: record.created_at,
    ...(record.expires_at === undefined
      ? {}
      : { expires_at: new Date(record.expires_at * 1000).toISOString() }),
  };
}

export interface TenancyContext {
  store: Store;
  logs: Pick<TenantLogSink, 'createTenantGroup'>;
}

/**
 * A tenant and its log group (with retention). The group comes first and is idempotent: if it
 * cannot be made, no tenant exists yet and the operator simply retries; a repeat of an existing
 * tenant's creation is a conflict that leaves its group as it was. The hot path never creates
 * groups for tenants made here, so CloudWatch refusing a CreateLogGroup cannot fail a login.
 */
export async function createTenant(
  ctx: TenancyContext,
  input: { id: string; name?: string },
  now = new Date(),
) {
  if (!TENANT_ID.test(input.id)) {
    throw new ValidationError(
      'Tenant ids are 1-31 lowercase letters, digits or dashes, starting with a letter or digit.',
    );
  }
  await ctx.logs.createTenantGroup(input.id);
  const tenant = { id: input.id, name: input.name ?? input.id, created_at: now.toISOString() };
  await ctx.store.tenants.create(tenant);
  return tenant;
}

export async function issueToken(
  store: Store,
  input: {
    tenant_id: string;
    name: string;
    scopes?: readonly string[];
    token?: string;
    /** Lifetime in seconds from now; the token never expires without it. */
    expires_in?: number;
  },
  now = new Date(),
): Promise<IssuedToken> {
  const operator = input.tenant_id === OPERATOR_TENANT;
  if (!operator && !(await store.tenants.get(input.tenant_id)))
    throw new NotFoundError('That tenant does not exist.');
  const allowed: readonly string[] = operator ? [OPERATOR_SCOPE] : TENANT_SCOPES;
  const scopes = [...(input.scopes ?? allowed)];
  const unknown = scopes.filter((s) => !allowed.includes(s));
  if (unknown.length > 0)
    throw new ValidationError(`Unknown scopes: ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
  const { expires_in } = input;
  if (
    expires_in !== undefined &&
    !(Number.isInteger(expires_in) && expires_in >= 1 && expires_in <= MAX_TOKEN_LIFETIME_SECONDS)
  ) {
    throw new ValidationError(
      `expires_in must be a whole number of seconds between 1 and ${MAX_TOKEN_LIFETIME_SECONDS}.`,
    );
  }
  const token = input.token ?? generateToken();
  const record: TokenRecord = {
    hash: hashToken(token),
    tenant_id: input.tenant_id,
    scopes,
    name: input.name,
    created_at: now.toISOString(),
    ...(expires_in === undefined ? {} : { expires_at: Math.floor(now.getTime() / 1000) + expires_in }),
  };
  await store.tokens.put(record);
  return { token, ...tokenView(record) };
}

export async function listTokens(store: Store, tenantId: string) {
  // Like issuing and revoking, an unknown tenant is a 404, not an empty list.
  if (tenantId !== OPERATOR_TENANT && !(await store.tenants.get(tenantId)))
    throw new NotFoundError('That tenant does not exist.');
  return (await store.tokens.listForTenant(tenantId)).map(tokenView);
}

export async function revokeToken(store: Store, tenantId: string, id: string) {
  const record = await store.tokens.find(id);
  if (!record || record.tenant_id !== tenantId) throw new NotFoundError('That token does not exist.');
  await store.tokens.delete(id);
}

/**
 * First start of an installation: creates the tenant and registers the given tokens (the local
 * stack generates them and keeps them in .hookchain/local.json). Safe to run on every start; each
 * start also makes sure the tenant's log group exists, but a start never fails for it (a warning;
 * the first log write creates a missing group).
 */
export async function bootstrap(
  ctx: TenancyContext & { logger: { warn(message: string, fields: Record<string, unknown>): void } },
  input: { tenant: string; token: string; operatorToken?: string },
) {
  const { store } = ctx;
  const logs = {
    createTenantGroup: (tenantId: string) =>
      ctx.logs.createTenantGroup(tenantId).catch((error: unknown) => {
        ctx.logger.warn('Could not create the tenant log group; its first log write will', {
          tenant_id: tenantId,
          error,
        });
      }),
  };
  try {
    await createTenant({ store, logs }, { id: input.tenant });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await logs.createTenantGroup(input.tenant);
  }
  if (!(await store.tokens.find(hashToken(input.token)))) {
    await issueToken(store, { tenant_id: input.tenant, name: 'bootstrap', token: input.token });
  }
  if (input.operatorToken && !(await store.tokens.find(hashToken(input.operatorToken)))) {
    await issueToken(store, { tenant_id: OPERATOR_TENANT, name: 'operator', token: input.operatorToken });
  }
}
