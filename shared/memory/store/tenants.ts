/** Tenants and their API tokens, in memory (DynamoDB: shared/aws/dynamo/tenants.ts). */

import { ConflictError } from '../../errors.ts';
import type { TenantRecord, TokenRecord } from '../../model/tenants.ts';
import type { TenantStore, TokenStore } from '../../ports/store.ts';
import { byString, RecordTable } from './records.ts';

export function memoryTenants(): TenantStore {
  const tenants = new RecordTable<TenantRecord>();
  return {
    async create(tenant) {
      if (tenants.get(tenant.id)) throw new ConflictError(`Tenant '${tenant.id}' already exists.`);
      tenants.put(tenant.id, tenant);
    },
    get: async (id) => tenants.get(id),
    list: async () =>
      tenants.select(
        () => true,
        byString((tenant) => tenant.id),
      ),
  };
}

export function memoryTokens(): TokenStore {
  const tokens = new RecordTable<TokenRecord>();
  return {
    put: async (token) => tokens.put(token.hash, token),
    // Expiry is the authorizer's to judge (TokenRecord.expires_at), as on DynamoDB.
    find: async (hash) => tokens.get(hash),
    listForTenant: async (tenantId) =>
      tokens.select(
        (token) => token.tenant_id === tenantId,
        byString((token) => token.created_at),
      ),
    async delete(hash) {
      tokens.delete(hash);
    },
  };
}
