/**
 * The secrets port (shared/ports/secrets.ts), one specification over both adapters: the in-process
 * AES key (shared/memory/key-cipher.ts) and the KMS envelope (shared/aws/kms-cipher.ts) against a
 * KMS stand-in speaking the real JSON protocol (test/support/kms-stand-in.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsCipher } from '../../shared/aws/kms-cipher.ts';
import { localKeyCipher } from '../../shared/memory/key-cipher.ts';
import type { SecretCipher } from '../../shared/ports/secrets.ts';
import { KEY_ARN, type KmsStandIn, OTHER_KEY_ARN, startKmsStandIn } from '../support/kms-stand-in.ts';

let kms: KmsStandIn;
beforeAll(async () => {
  kms = await startKmsStandIn();
});
afterAll(() => kms?.stop());

interface CipherAdapter {
  name: string;
  /** A cipher on the installation's key; each call is a fresh instance (another container, nothing cached). */
  cipher(): SecretCipher;
  /** A cipher on some other installation's key. */
  otherKeyCipher(): SecretCipher;
}

const localKey = randomBytes(32).toString('base64');
const otherLocalKey = randomBytes(32).toString('base64');

const adapters: CipherAdapter[] = [
  {
    name: 'localKeyCipher (in memory)',
    cipher: () => localKeyCipher(localKey),
    otherKeyCipher: () => localKeyCipher(otherLocalKey),
  },
  {
    name: 'kmsCipher (KMS stand-in)',
    cipher: () => kmsCipher({ keyId: KEY_ARN, client: kms.client }),
    otherKeyCipher: () => kmsCipher({ keyId: OTHER_KEY_ARN, client: kms.client }),
  },
];

const SECRETS = JSON.stringify({ API_KEY: 'sk_live_123', EMPTY: '', UNICODE: 'ключ 🔑' });

/** The ciphertext with one bit of one of its base64 parts flipped. */
function tampered(ciphertext: string, part: number): string {
  const parts = ciphertext.split(':');
  const bytes = Buffer.from(parts[part] as string, 'base64');
  bytes[0] = (bytes[0] as number) ^ 1;
  parts[part] = bytes.toString('base64');
  return parts.join(':');
}

describe.each(adapters)('the secrets port: $name', (adapter) => {
  it('decrypts what it encrypted, whatever the characters', async () => {
    const cipher = adapter.cipher();
    expect(await cipher.decrypt(await cipher.encrypt(SECRETS))).toBe(SECRETS);
    expect(await cipher.decrypt(await cipher.encrypt(''))).toBe('');
  });

  it('stores no plaintext, and never the same ciphertext twice for one value', async () => {
    const cipher = adapter.cipher();
    const first = await cipher.encrypt(SECRETS);
    const second = await cipher.encrypt(SECRETS);
    expect(first).not.toContain('sk_live_123');
    expect(first).not.toBe(second);
  });

  it('decrypts in another instance on the same key (a different container)', async () => {
    const stored = await adapter.cipher().encrypt(SECRETS);
    expect(await adapter.cipher().decrypt(stored)).toBe(SECRETS);
  });

  it('refuses a ciphertext with any bit of its body or its tag changed', async () => {
    const cipher = adapter.cipher();
    const stored = await cipher.encrypt(SECRETS);
    const parts = stored.split(':').length;
    // The last part is the body, the one before it the authentication tag.
    await expect(cipher.decrypt(tampered(stored, parts - 1))).rejects.toThrow();
    await expect(cipher.decrypt(tampered(stored, parts - 2))).rejects.toThrow();
  });

  it('refuses what another key encrypted', async () => {
    const stored = await adapter.otherKeyCipher().encrypt(SECRETS);
    await expect(adapter.cipher().decrypt(stored)).rejects.toThrow();
  });

  it('refuses text that is no ciphertext of its own, saying so', async () => {
    await expect(adapter.cipher().decrypt('garbage')).rejects.toThrow(/Unrecognised secrets ciphertext/);
  });
});
