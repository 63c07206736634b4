/** `api.cache`: present on every trigger; reads and writes go through the action's cache session. */
import type { Namespace } from '../framework.ts';

export function cache<R>(): Namespace<R> {
  return { commands: [], build: (ctx) => ctx.cache };
}
