/** The secrets port with a key held in the process: the local stack's cipher, and the tests'. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../ports/secrets.ts';

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
