/**
 * Encrypts secret values at rest. An envelope behind an interface: KMS data keys on AWS
 * (shared/aws/kms-cipher.ts), AES-256-GCM with a local key on the local stack and in tests
 * (shared/memory/key-cipher.ts).
 */
export interface SecretCipher {
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertext: string): Promise<string>;
}
