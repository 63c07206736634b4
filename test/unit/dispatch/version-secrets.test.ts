/**
 * What a live version runs with (shared/dispatch/version-secrets.ts): its own secrets and its
 * modules', decrypted once per version id in a container (versions are immutable).
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_CACHED_VERSIONS,
  type VersionSecrets,
  versionSecrets,
} from '../../../shared/dispatch/version-secrets.ts';
import { localKeyCipher } from '../../../shared/memory/key-cipher.ts';
import type { ResolvedAction } from '../../../shared/model/executions.ts';
import type { SecretCipher } from '../../../shared/ports/secrets.ts';

const key = localKeyCipher(Buffer.alloc(32, 3).toString('base64'));

/** The local cipher, with its decryptions counted (and, while `failNext` is set, the next one failing). */
function countingCipher() {
  const counter = { decrypts: 0, failNext: false };
  const cipher: SecretCipher = {
    encrypt: (plaintext) => key.encrypt(plaintext),
    decrypt: async (ciphertext) => {
      counter.decrypts++;
      if (counter.failNext) {
        counter.failNext = false;
        throw new Error('KMS throttled');
      }
      return key.decrypt(ciphertext);
    },
  };
  return { cipher, counter };
}

const sealed = (values: Record<string, string>) => key.encrypt(JSON.stringify(values));

async function resolvedAction(changes: Partial<ResolvedAction> = {}): Promise<ResolvedAction> {
  return {
    action_id: 'act-1',
    action_name: 'mailer',
    version_id: 'act-1-v1',
    version_number: 1,
    function_name: 'hc-tenant-a-act-1-1',
    secrets_ciphertext: await sealed({ API_KEY: 'sk_mailer' }),
    ...changes,
  };
}

describe('a version’s secrets', () => {
  it('are its own, decrypted, and each pinned module’s by module name (none for a module without secrets)', async () => {
    const { cipher } = countingCipher();
    const action = await resolvedAction({
      modules: [
        { name: 'billing', secrets_ciphertext: await sealed({ STRIPE_KEY: 'sk_billing' }) },
        { name: 'helpers', secrets_ciphertext: null },
      ],
    });

    expect(await versionSecrets(cipher, new Map(), action)).toEqual({
      secrets: { API_KEY: 'sk_mailer' },
      modules: { billing: { STRIPE_KEY: 'sk_billing' }, helpers: {} },
    });
  });

  it('are empty for a version without secrets, and the cipher is not asked', async () => {
    const { cipher, counter } = countingCipher();

    expect(
      await versionSecrets(cipher, new Map(), await resolvedAction({ secrets_ciphertext: null })),
    ).toEqual({
      secrets: {},
      modules: {},
    });
    expect(counter.decrypts).toBe(0);
  });

  it('are decrypted once per version id, and again for a new version', async () => {
    const { cipher, counter } = countingCipher();
    const cache = new Map<string, Promise<VersionSecrets>>();
    const v1 = await resolvedAction();

    await versionSecrets(cipher, cache, v1);
    await versionSecrets(cipher, cache, v1);
    expect(counter.decrypts).toBe(1);

    const v2 = await resolvedAction({ version_id: 'act-1-v2', version_number: 2 });
    await versionSecrets(cipher, cache, v2);
    expect(counter.decrypts).toBe(2);
  });

  it('are not kept when decrypting fails: the next execution decrypts again', async () => {
    const { cipher, counter } = countingCipher();
    const cache = new Map<string, Promise<VersionSecrets>>();
    const action = await resolvedAction();
    counter.failNext = true;

    await expect(versionSecrets(cipher, cache, action)).rejects.toThrow('KMS throttled');
    expect((await versionSecrets(cipher, cache, action)).secrets).toEqual({ API_KEY: 'sk_mailer' });
    expect(counter.decrypts).toBe(2);
  });

  it('are kept for a bounded number of versions, however many are deployed', async () => {
    const { cipher } = countingCipher();
    const cache = new Map<string, Promise<VersionSecrets>>();
    const action = await resolvedAction();
    for (let n = 1; n <= MAX_CACHED_VERSIONS + 10; n++) {
      await versionSecrets(cipher, cache, { ...action, version_id: `act-1-v${n}`, version_number: n });
    }

    expect(cache.size).toBeLessThanOrEqual(MAX_CACHED_VERSIONS);
    expect(cache.has(`act-1-v${MAX_CACHED_VERSIONS + 10}`)).toBe(true);
  });
});
