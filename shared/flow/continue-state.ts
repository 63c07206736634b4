/** Presents a suspension to the caller: the redirect URL gets Auth0's `state` parameter appended. */
import type { JsonObject } from '../triggers/framework.ts';
import { isPlainObject } from '../triggers/values.ts';

export function withContinueState(result: JsonObject, state: string): JsonObject {
  const next = { ...result };
  if (isPlainObject(result.redirect)) {
    const redirect = result.redirect as { url: string; query?: Record<string, string> };
    const url = new URL(redirect.url);
    for (const [key, value] of Object.entries(redirect.query ?? {})) url.searchParams.set(key, value);
    url.searchParams.set('state', state);
    next.redirect = { ...redirect, url: url.toString(), state };
  }
  if (isPlainObject(result.prompt)) next.prompt = { ...result.prompt, state };
  return next;
}
