/**
 * The KMS envelope against a small KMS stand-in speaking the real JSON protocol
 * (test/support/kms-stand-in.ts; the SDK client is the real one): round trips, the encryption
 * context, pinning the key, and how often KMS is asked (data keys reused briefly, decrypted keys
 * remembered).
 */
import { randomBytes } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsCipher, SECRETS_ENCRYPTION_CONTEXT } from '../../../shared/aws/kms-cipher.ts';
import { localKeyCipher } from '../../../shared/memory/key-cipher.ts';
import { KEY_ARN, type KmsStandIn, OTHER_KEY_ARN, startKmsStandIn } from '../../support/kms-stand-in.ts';

let kms: KmsStandIn;
let client: KMSClient;

beforeAll(async () => {
  kms = await startKmsStandIn();
  client = kms.client;
});
afterAll(() => kms?.stop());

describe('kmsCipher', () => {
  it('round-trips values; the stored form holds no plaintext and names its format', async () => {
    const cipher = kmsCipher({ keyId: KEY_ARN, client });
    const secret = JSON.stringify({ API_KEY: 'sk_live_123', EMPTY: '', UNICODE: 'ключ 🔑' });
    const stored = await cipher.encrypt(secret);
    expect(stored.startsWith('kms1:')).toBe(true);
    expect(stored).not.toContain('sk_live_123');
    expect(await cipher.decrypt(stored)).toBe(secret);
    // A second container (nothing cached) decrypts it through KMS.
    expect(await kmsCipher({ keyId: KEY_ARN, client }).decrypt(stored)).toBe(secret);
  });

  it('sends the secrets encryption context and pins the key on every call', async () => {
    const before = kms.calls.length;
    const stored = await kmsCipher({ keyId: KEY_ARN, client }).encrypt('x');
    await kmsCipher({ keyId: KEY_ARN, client }).decrypt(stored);
    const calls = kms.calls.slice(before);
    expect(calls.map((c) => c.op)).toEqual(['GenerateDataKey', 'Decrypt']);
    for (const { body } of calls) {
      expect(body.KeyId).toBe(KEY_ARN);
      expect(body.EncryptionContext).toEqual(SECRETS_ENCRYPTION_CONTEXT);
    }
    expect(calls[0]?.body.KeySpec).toBe('AES_256');
  });

  it('reuses a data key briefly, then asks for a new one', async () => {
    let now = 1_000_000;
    const cipher = kmsCipher({ keyId: KEY_ARN, client, dataKeyTtlMs: 60_000, now: () => now });
    const before = kms.count('GenerateDataKey');
    const [a, b] = await Promise.all([cipher.encrypt('a'), cipher.encrypt('b')]);
    await cipher.encrypt('c');
    expect(kms.count('GenerateDataKey') - before).toBe(1);
    expect(a.split(':')[1]).toBe(b.split(':')[1]);
    now += 61_000;
    const d = await cipher.encrypt('d');
    expect(kms.count('GenerateDataKey') - before).toBe(2);
    expect(d.split(':')[1]).not.toBe(a.split(':')[1]);
    // What it encrypted it decrypts without asking KMS.
    const decrypts = kms.count('Decrypt');
    expect(await cipher.decrypt(a)).toBe('a');
    expect(kms.count('Decrypt')).toBe(decrypts);
  });

  it('asks KMS once per data key, even for concurrent first reads', async () => {
    const stored = await kmsCipher({ keyId: KEY_ARN, client }).encrypt('shared');
    const reader = kmsCipher({ keyId: KEY_ARN, client });
    const before = kms.count('Decrypt');
    const values = await Promise.all([
      reader.decrypt(stored),
      reader.decrypt(stored),
      reader.decrypt(stored),
    ]);
    await reader.decrypt(stored);
    expect(values).toEqual(['shared', 'shared', 'shared']);
    expect(kms.count('Decrypt') - before).toBe(1);
  });

  it('refuses a data key another KMS key produced, and tampered ciphertext', async () => {
    const stored = await kmsCipher({ keyId: OTHER_KEY_ARN, client }).encrypt('elsewhere');
    await expect(kmsCipher({ keyId: KEY_ARN, client }).decrypt(stored)).rejects.toThrow();

    const cipher = kmsCipher({ keyId: KEY_ARN, client });
    const parts = (await cipher.encrypt('original')).split(':');
    const body = Buffer.from(parts[4] as string, 'base64');
    body[0] = (body[0] as number) ^ 1;
    parts[4] = body.toString('base64');
    await expect(cipher.decrypt(parts.join(':'))).rejects.toThrow();
  });

  it('does not cache a failed KMS call', async () => {
    const stored = await kmsCipher({ keyId: OTHER_KEY_ARN, client }).encrypt('v');
    const reader = kmsCipher({ keyId: KEY_ARN, client });
    const before = kms.count('Decrypt');
    await expect(reader.decrypt(stored)).rejects.toThrow();
    await expect(reader.decrypt(stored)).rejects.toThrow();
    expect(kms.count('Decrypt') - before).toBe(2);
  });

  it('says so when given secrets the local key encrypted', async () => {
    const local = await localKeyCipher(randomBytes(32).toString('base64')).encrypt('v');
    await expect(kmsCipher({ keyId: KEY_ARN, client }).decrypt(local)).rejects.toThrow(/local key/);
    await expect(kmsCipher({ keyId: KEY_ARN, client }).decrypt('garbage')).rejects.toThrow(/Unrecognised/);
  });
});
