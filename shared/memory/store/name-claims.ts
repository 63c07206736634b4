/**
 * Unique names per tenant (actions, modules): a name belongs to the entity that claimed it until
 * that entity releases it. A claim whose owner no longer exists may be taken over, as on DynamoDB.
 */
import { keyOf } from './records.ts';

export function nameClaims(options: {
  ownerExists: (tenantId: string, ownerId: string) => boolean;
  taken: (name: string) => Error;
}) {
  const owners = new Map<string, string>();
  return {
    owner: (tenantId: string, name: string): string | undefined => owners.get(keyOf(tenantId, name)),
    /** Takes the name for `ownerId`; the error from `taken` if another existing entity holds it. */
    claim(tenantId: string, name: string, ownerId: string): void {
      const holder = owners.get(keyOf(tenantId, name));
      if (holder !== undefined && holder !== ownerId && options.ownerExists(tenantId, holder)) {
        throw options.taken(name);
      }
      owners.set(keyOf(tenantId, name), ownerId);
    },
    /** Gives the name up, only if `ownerId` still holds it. */
    release(tenantId: string, name: string, ownerId: string): void {
      if (owners.get(keyOf(tenantId, name)) === ownerId) owners.delete(keyOf(tenantId, name));
    },
  };
}
