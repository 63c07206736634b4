/** How an execution's outcome reads for people: the status, why, and what the caller must apply. */

import type { TriggerOutcome } from '../../shared/client/index.ts';
import { block, outcomeStatus } from '../format.ts';
import type { Colors } from '../output.ts';

/**
 * Drops what the caller has nothing to do about (empty objects and arrays, nulls, `false` flags
 * such as `access.denied`), so only what it must apply remains. People see this; --json keeps all.
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (value === false || value === null) return undefined;
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([key, v]) => [key, pruneEmpty(v)] as const)
    .filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** One line per top-level field (`id_token_claims  {...}`), pretty-printed only when long. */
export function describeFields(c: Colors, value: unknown): string[] {
  if (value === undefined || typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, v]) => {
    const compact = JSON.stringify(v);
    const text = compact.length <= 100 ? compact : `\n${block(v, '    ')}`;
    return `  ${c.cyan(key.padEnd(width))}  ${text}`;
  });
}

/** Non-zero when the identity service would have to stop: denied or failed. */
export const failedOutcome = (status: string) => status === 'denied' || status === 'failed';

export function describeOutcome(c: Colors, trigger: string, outcome: TriggerOutcome): string[] {
  const lines: string[] = [];
  const result = outcome.result ?? {};
  const access = result.access as { denied?: boolean; reason?: string } | undefined;
  let why = '';
  if (outcome.status === 'denied') why = access?.reason ? `: ${access.reason}` : '';
  if (outcome.status === 'failed' && outcome.error) {
    const who = outcome.error.action_name ? `${outcome.error.action_name}: ` : '';
    why = `: ${who}${outcome.error.name ? `${outcome.error.name}: ` : ''}${outcome.error.message}`;
  }
  lines.push(
    `${c.bold(trigger)} → ${outcomeStatus(c, outcome.status)}${why}  ${c.dim(`execution ${outcome.execution_id}`)}`,
  );
  lines.push(...describeFields(c, pruneEmpty(result)));
  return lines;
}
