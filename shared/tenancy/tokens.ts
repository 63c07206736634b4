/** Opaque bearer tokens: random strings shown once, stored only as SHA-256 hashes. */
import { createHash, randomBytes } from 'node:crypto';

export const TENANT_SCOPES = [
  'read:actions',
  'create:actions',
  'update:actions',
  'delete:actions',
  'execute:triggers',
  'read:logs',
] as const;
export const OPERATOR_SCOPE = 'operator';

export type Scope = (typeof TENANT_SCOPES)[number] | typeof OPERATOR_SCOPE;

export function generateToken(): string {
  return `hc_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
