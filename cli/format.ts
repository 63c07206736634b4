/** Small renderings shared by commands: times, statuses, JSON blocks. */

import type { Action } from '../shared/client/index.ts';
import type { Colors } from './output.ts';

/** `2025-01-31 12:00:00` (UTC): sortable, and short enough for tables. */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}`;
}

export function buildStatus(c: Colors, status: string): string {
  if (status === 'built') return c.green(status);
  if (status === 'failed') return c.red(status);
  return c.yellow(status);
}

/** The outcome of an execution or test, coloured by what it means for the caller. */
export function outcomeStatus(c: Colors, status: string): string {
  if (status === 'final') return c.green(status);
  if (status === 'denied' || status === 'failed') return c.red(status);
  return c.yellow(status);
}

export function liveVersion(c: Colors, action: Action): string {
  const live = action.deployed_version?.number;
  if (live === undefined) return c.dim('not deployed');
  return action.all_changes_deployed ? `v${live}` : `v${live} ${c.yellow('(draft changed)')}`;
}

/** Indented, pretty JSON for people. */
export function block(value: unknown, indent = '  '): string {
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}
