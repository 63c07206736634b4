/**
 * One line per log event: each console line an action wrote, each action error, and a dim line
 * for a run that wrote nothing (so every execution shows up). Multi-line messages are folded onto
 * their line (`\n` shown as ⏎) so that `grep` and `tail` keep working on the output.
 */

import type { ActionRunLog } from '../../shared/client/index.ts';
import type { Colors } from '../output.ts';

function clock(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().slice(11, 23);
}

const fold = (text: string) => text.replace(/\r?\n/g, ' ⏎ ');

function level(c: Colors, name: string): string {
  const label = name.toUpperCase().padEnd(5);
  switch (name) {
    case 'error':
      return c.red(label);
    case 'warn':
      return c.yellow(label);
    case 'debug':
    case 'trace':
      return c.gray(label);
    default:
      return c.green(label);
  }
}

export function formatRun(c: Colors, event: ActionRunLog): string[] {
  const who = c.cyan(`${event.trigger_id}/${event.action_name}`);
  const lines = event.logs.map((l) => `${c.dim(clock(l.at))} ${level(c, l.level)} ${who} ${fold(l.message)}`);
  if (event.error) {
    lines.push(
      `${c.dim(clock(event.timestamp + event.duration_ms))} ${level(c, 'error')} ${who} ${c.red(fold(`${event.error.name}: ${event.error.message} (${event.error.class})`))}`,
    );
  }
  if (lines.length === 0) {
    lines.push(
      c.dim(
        `${clock(event.timestamp)} ${'RUN'.padEnd(5)} ${event.trigger_id}/${event.action_name} ${fold(event.message)}`,
      ),
    );
  }
  return lines;
}
