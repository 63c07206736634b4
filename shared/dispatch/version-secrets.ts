/**
 * Decrypts what a live version runs with: the action's secrets and those of each module it pins.
 * Once per version id per container: versions are immutable, so an entry never goes stale, and the
 * ciphertexts come from the action item the resolver already read (no extra round trip).
 */
import { readSecrets } from '../actions/secrets.ts';
import type { ResolvedAction } from '../model/executions.ts';
import type { SecretCipher } from '../ports/secrets.ts';

export interface VersionSecrets {
  secrets: Record<string, string>;
  /** By module name: `actions.secrets` inside each module. */
  modules: Record<string, Record<string, string>>;
}

async function decrypt(cipher: SecretCipher, action: ResolvedAction): Promise<VersionSecrets> {
  const [secrets, ...modules] = await Promise.all([
    readSecrets(cipher, { names: [], ciphertext: action.secrets_ciphertext }),
    ...(action.modules ?? []).map((m) =>
      readSecrets(cipher, { names: [], ciphertext: m.secrets_ciphertext }),
    ),
  ]);
  return {
    secrets: secrets ?? {},
    modules: Object.fromEntries((action.modules ?? []).map((m, i) => [m.name, modules[i] ?? {}])),
  };
}

/**
 * Versions a container keeps decrypted. Deploys add versions for as long as the process lives (the
 * local stack, a long-lived container): past this many, start again rather than grow.
 */
export const MAX_CACHED_VERSIONS = 1_000;

export function versionSecrets(
  cipher: SecretCipher,
  cache: Map<string, Promise<VersionSecrets>>,
  action: ResolvedAction,
): Promise<VersionSecrets> {
  let entry = cache.get(action.version_id);
  if (!entry) {
    entry = decrypt(cipher, action);
    if (cache.size >= MAX_CACHED_VERSIONS) cache.clear();
    cache.set(action.version_id, entry);
    entry.catch(() => cache.delete(action.version_id));
  }
  return entry;
}
