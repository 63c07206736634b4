/** `--since`: a duration back from now (`90s`, `10m`, `1h`, `2d`), an ISO-8601 date, or epoch ms. */
import { UsageError } from '../errors.ts';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Milliseconds in a duration such as `90s`, `10m`, `12h` or `30d`; undefined when it is not one. */
export function durationMs(value: string): number | undefined {
  const duration = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i.exec(value.trim());
  if (!duration) return undefined;
  return Math.round(Number(duration[1]) * (UNITS[(duration[2] as string).toLowerCase()] as number));
}

/** Epoch ms the value stands for. */
export function parseSince(value: string, now: number = Date.now()): number {
  const text = value.trim();
  const back = durationMs(text);
  if (back !== undefined) return now - back;
  if (/^\d{12,}$/.test(text)) return Number(text);
  // Dates only: Date.parse would also take "10" or "June".
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(
    `--since '${value}' is neither a duration nor a date.`,
    'Use a duration such as 30s, 10m, 1h or 2d, an ISO-8601 date (2025-01-31T12:00:00Z), or epoch milliseconds.',
  );
}
