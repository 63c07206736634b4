/**
 * Secret values are encrypted at rest as one JSON object per draft or version, and decrypted only
 * to hand them to an action inside an invocation. The cipher is an envelope behind an interface:
 * AES-256-GCM with a local key on the local stack, KMS data keys on AWS.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretName, StoredSecrets } from './model.ts';

export interface SecretCipher {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertext: string): Promise<string>;
}

/** AES-256-GCM with a fixed 32-byte key; the format carries a version tag for future rotation. */
export function localKeyCipher(keyBase64: string): SecretCipher {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('The secrets key must be 32 bytes, base64-encoded.');
  return {
    async encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64'),
        cipher.getAuthTag().toString('base64'),
        body.toString('base64'),
      ].join(':');
    },
    async decrypt(ciphertext) {
      const [version, iv, tag, body] = ciphertext.split(':');
      if (version !== 'v1' || !iv || !tag || body === undefined)
        throw new Error('Unrecognised secrets ciphertext.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

export const NO_SECRETS: StoredSecrets = { names: [], ciphertext: null };

export async function readSecrets(
  cipher: SecretCipher,
  stored: StoredSecrets,
): Promise<Record<string, string>> {
  if (!stored.ciphertext) return {};
  return JSON.parse(await cipher.decrypt(stored.ciphertext)) as Record<string, string>;
}

export interface SecretInput {
  name: string;
  /** Omitted: keep the value already stored under this name (actions-as-code pushes rely on it). */
  value?: string;
}

/**
 * The new secret set is exactly the names given (Auth0 replaces the list); a name sent without a
 * value keeps its current value, and `updated_at` moves only for values that changed.
 */
export async function replaceSecrets(
  cipher: SecretCipher,
  current: StoredSecrets,
  input: readonly SecretInput[],
  now: string,
): Promise<StoredSecrets> {
  const values = await readSecrets(cipher, current);
  const previous = new Map(current.names.map((s) => [s.name, s.updated_at]));
  const next: Record<string, string> = {};
  const names: SecretName[] = [];
  for (const { name, value } of input) {
    const kept = values[name];
    if (value === undefined && kept === undefined) {
      throw new MissingSecretValueError(name);
    }
    next[name] = value ?? (kept as string);
    const unchanged = value === undefined || value === kept;
    names.push({ name, updated_at: unchanged ? (previous.get(name) ?? now) : now });
  }
  return { names, ciphertext: names.length > 0 ? await cipher.encrypt(JSON.stringify(next)) : null };
}

export class MissingSecretValueError extends Error {
  constructor(readonly secretName: string) {
    super(`Secret '${secretName}' has no value: send one the first time it is set.`);
  }
}
