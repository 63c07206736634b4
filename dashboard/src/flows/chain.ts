/** Editing a trigger's ordered chain: pure list operations the flow page's drag, drop and buttons share. */

export interface ChainLink {
  actionId: string;
  /** The action's name, shown and sent as the binding's display name. */
  name: string;
  /** The live version, for display. */
  version?: number;
}

/** Inserts `link` before position `at` (the end when `at` is past it); an action is bound once. */
export function insertLink(chain: readonly ChainLink[], link: ChainLink, at: number): ChainLink[] {
  const without = chain.filter((l) => l.actionId !== link.actionId);
  const index = Math.max(0, Math.min(at, without.length));
  return [...without.slice(0, index), link, ...without.slice(index)];
}

/**
 * Moves the link at `from` so that it lands before what is now at `to` (drop semantics: `to` is
 * counted in the list before the move; `chain.length` means the end).
 */
export function moveLink(chain: readonly ChainLink[], from: number, to: number): ChainLink[] {
  const link = chain[from];
  if (!link || from === to) return [...chain];
  const rest = chain.filter((_, i) => i !== from);
  const target = to > from ? to - 1 : to;
  return [...rest.slice(0, target), link, ...rest.slice(target)];
}

export function removeLink(chain: readonly ChainLink[], index: number): ChainLink[] {
  return chain.filter((_, i) => i !== index);
}

export function sameChain(a: readonly ChainLink[], b: readonly ChainLink[]): boolean {
  return a.length === b.length && a.every((link, i) => link.actionId === b[i]?.actionId);
}

/** The bindings PATCH body for a chain. */
export function bindingsBody(chain: readonly ChainLink[]) {
  return chain.map((link) => ({
    ref: { type: 'action_id' as const, value: link.actionId },
    display_name: link.name,
  }));
}
