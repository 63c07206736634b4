/** Tenants, and the API tokens that act for one. */

export interface TenantRecord {
  id: string;
  name: string;
  created_at: string;
}

export interface TokenRecord {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  hash: string;
  tenant_id: string;
  scopes: string[];
  name: string;
  created_at: string;
  /**
   * When the token stops working, in epoch seconds (absent: never). The table's TTL attribute,
   * so DynamoDB also deletes it eventually; the authorizer refuses it from this second on.
   */
  expires_at?: number;
}
