/**
 * The secrets envelope on AWS. Each value is encrypted locally with AES-256-GCM under a KMS data
 * key; only the data key's encrypted form is stored, next to the ciphertext. The plaintext data
 * key lives in memory only: a fresh one is asked for every minute or so (a burst of writes costs
 * one GenerateDataKey), and decrypted keys are remembered per encrypted key (a warm dispatcher
 * costs KMS nothing).
 *
 * Every KMS call carries the same encryption context, so the key policy can allow exactly this
 * use and CloudTrail shows what each call was for.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { SecretCipher } from '../ports/secrets.ts';

export const SECRETS_ENCRYPTION_CONTEXT: Readonly<Record<string, string>> = {
  'hookchain:purpose': 'action-secrets',
};

/** `kms1:<encrypted data key>:<iv>:<tag>:<ciphertext>`, each part base64. */
const FORMAT = 'kms1';

export interface KmsCipherOptions {
  /** Key id, ARN or alias of the symmetric key. */
  keyId: string;
  client?: KMSClient;
  /** How long one data key keeps encrypting new values; default 60 s. */
  dataKeyTtlMs?: number;
  /** How long a decrypted data key is remembered; default 15 minutes. */
  decryptedKeyTtlMs?: number;
  /** How many decrypted data keys are remembered; default 500. */
  decryptedKeyLimit?: number;
  now?: () => number;
}

interface CachedKey {
  plaintext: Promise<Buffer>;
  until: number;
}

export function kmsCipher(options: KmsCipherOptions): SecretCipher {
  const client = options.client ?? new KMSClient({});
  const now = options.now ?? Date.now;
  const dataKeyTtl = options.dataKeyTtlMs ?? 60_000;
  const decryptedTtl = options.decryptedKeyTtlMs ?? 15 * 60_000;
  const decryptedLimit = options.decryptedKeyLimit ?? 500;
  const context = { ...SECRETS_ENCRYPTION_CONTEXT };

  let current: { plaintext: Promise<{ key: Buffer; encrypted: string }>; until: number } | undefined;
  const decrypted = new Map<string, CachedKey>();

  function dataKey() {
    if (current && current.until > now()) return current.plaintext;
    const plaintext = client
      .send(
        new GenerateDataKeyCommand({ KeyId: options.keyId, KeySpec: 'AES_256', EncryptionContext: context }),
      )
      .then(({ Plaintext, CiphertextBlob }) => {
        if (!Plaintext || !CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key material.');
        const key = Buffer.from(Plaintext);
        const encrypted = Buffer.from(CiphertextBlob).toString('base64');
        // The key is also good for decrypting what it just encrypted.
        remember(encrypted, Promise.resolve(key));
        return { key, encrypted };
      });
    const entry = { plaintext, until: now() + dataKeyTtl };
    current = entry;
    // A failed request must not be cached: the next encryption asks again.
    plaintext.catch(() => {
      if (current === entry) current = undefined;
    });
    return plaintext;
  }

  function remember(encrypted: string, plaintext: Promise<Buffer>) {
    if (decrypted.size >= decryptedLimit) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = decrypted.keys().next().value;
      if (oldest !== undefined) decrypted.delete(oldest);
    }
    decrypted.set(encrypted, { plaintext, until: now() + decryptedTtl });
  }

  function decryptKey(encrypted: string): Promise<Buffer> {
    const hit = decrypted.get(encrypted);
    if (hit && hit.until > now()) return hit.plaintext;
    const plaintext = client
      .send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(encrypted, 'base64'),
          // Pinning the key makes KMS refuse a data key that some other key produced.
          KeyId: options.keyId,
          EncryptionContext: context,
        }),
      )
      .then(({ Plaintext }) => {
        if (!Plaintext) throw new Error('KMS Decrypt returned no plaintext.');
        return Buffer.from(Plaintext);
      });
    remember(encrypted, plaintext);
    plaintext.catch(() => decrypted.delete(encrypted));
    return plaintext;
  }

  return {
    async encrypt(plaintext) {
      const { key, encrypted } = await dataKey();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${FORMAT}:${encrypted}`));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        FORMAT,
        encrypted,
        iv.toString('base64'),
        cipher.getAuthTag().toString('base64'),
        body.toString('base64'),
      ].join(':');
    },

    async decrypt(ciphertext) {
      const [format, encrypted, iv, tag, body] = ciphertext.split(':');
      if (format !== FORMAT || !encrypted || !iv || !tag || body === undefined) {
        throw new Error(
          format === 'v1'
            ? 'These secrets were encrypted with a local key, not KMS: set them again on this installation.'
            : 'Unrecognised secrets ciphertext.',
        );
      }
      const key = await decryptKey(encrypted);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(`${FORMAT}:${encrypted}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
