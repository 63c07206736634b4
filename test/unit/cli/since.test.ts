import { describe, expect, it } from 'vitest';
import { durationMs, parseSince } from '../../../cli/logs/since.ts';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');

describe('--since', () => {
  it.each([
    ['30s', NOW - 30_000],
    ['10m', NOW - 600_000],
    ['1h', NOW - 3_600_000],
    ['2d', NOW - 172_800_000],
    ['1.5h', NOW - 5_400_000],
    ['500ms', NOW - 500],
  ])('reads the duration %s', (value, expected) => {
    expect(parseSince(value, NOW)).toBe(expected);
  });

  it('reads ISO dates and epoch milliseconds', () => {
    expect(parseSince('2025-06-01T11:00:00Z', NOW)).toBe(NOW - 3_600_000);
    expect(parseSince('2025-06-01', NOW)).toBe(Date.parse('2025-06-01'));
    expect(parseSince(String(NOW - 1000), NOW)).toBe(NOW - 1000);
  });

  it.each(['10', 'ten minutes', '5y', 'June'])('refuses %s with the accepted forms', (value) => {
    expect(() => parseSince(value, NOW)).toThrow(/neither a duration nor a date/);
  });
});

describe('durationMs (token lifetimes)', () => {
  it.each([
    ['90s', 90_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
  ])('%s is %d ms', (value, ms) => {
    expect(durationMs(value)).toBe(ms);
  });

  it('is undefined for what is not a duration', () => {
    expect(durationMs('tomorrow')).toBeUndefined();
    expect(durationMs('2025-01-01')).toBeUndefined();
  });
});
