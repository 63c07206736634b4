/**
 * Secret values are encrypted at rest as one JSON object per draft or version, and decrypted only
 * to hand them to an action inside an invocation (the cipher: shared/ports/secrets.ts).
 */
import { ValidationError } from '../errors.ts';
import type { SecretName, StoredSecrets } from '../model/actions.ts';
import type { Clock } from '../ports/clock.ts';
import type { SecretCipher } from '../ports/secrets.ts';

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
      throw new ValidationError(`Secret '${name}' has no value: send one the first time it is set.`);
    }
    next[name] = value ?? (kept as string);
    const unchanged = value === undefined || value === kept;
    names.push({ name, updated_at: unchanged ? (previous.get(name) ?? now) : now });
  }
  return { names, ciphertext: names.length > 0 ? await cipher.encrypt(JSON.stringify(next)) : null };
}

/** `replaceSecrets` at the present moment: how drafts of actions, modules and installed integrations change theirs. */
export function changeSecrets(
  ctx: { cipher: SecretCipher; now: Clock },
  current: StoredSecrets,
  input: readonly SecretInput[],
): Promise<StoredSecrets> {
  return replaceSecrets(ctx.cipher, current, input, new Date(ctx.now()).toISOString());
}
