import { describe, expect, it } from 'vitest';
import {
  compileFilterPattern,
  InvalidFilterPatternError,
} from '../../../../infra/local/logs-server/filter-pattern.ts';

const matches = (pattern: string | undefined, message: string): boolean =>
  compileFilterPattern(pattern)(message);

describe('CloudWatch filter patterns (subset)', () => {
  it('matches everything without a pattern', () => {
    expect(matches(undefined, 'anything')).toBe(true);
    expect(matches('  ', 'anything')).toBe(true);
  });

  it('requires every term, case-sensitively', () => {
    expect(matches('ERROR timeout', 'ERROR: upstream timeout')).toBe(true);
    expect(matches('ERROR timeout', 'ERROR: upstream failure')).toBe(false);
    expect(matches('error', 'ERROR')).toBe(false);
  });

  it('matches quoted phrases exactly, and supports ?optional and -excluded terms', () => {
    expect(matches('"timed out"', 'Task timed out after 3.00 seconds')).toBe(true);
    expect(matches('"out timed"', 'Task timed out after 3.00 seconds')).toBe(false);
    expect(matches('?WARN ?ERROR', 'WARN slow')).toBe(true);
    expect(matches('?WARN ?ERROR', 'INFO fine')).toBe(false);
    expect(matches('ERROR -retry', 'ERROR will retry')).toBe(false);
    expect(matches('ERROR -retry', 'ERROR final')).toBe(true);
  });

  it('compares JSON fields with =, !=, numbers, wildcards, && and ||', () => {
    const line = JSON.stringify({ level: 'error', ms: 250, user: { id: 'u1' }, tags: ['a'], ok: false });
    expect(matches('{ $.level = "error" }', line)).toBe(true);
    expect(matches('{ $.level != "error" }', line)).toBe(false);
    expect(matches('{ $.user.id = "u1" && $.ms >= 250 }', line)).toBe(true);
    expect(matches('{ $.ms < 100 || $.tags[0] = "a" }', line)).toBe(true);
    expect(matches('{ $.level = "err*" }', line)).toBe(true);
    expect(matches('{ $.ok = false }', line)).toBe(true);
    expect(matches('{ $.missing = "x" }', line)).toBe(false);
    expect(matches('{ $.level = "error" }', 'not json')).toBe(false);
  });

  it('rejects what it cannot parse', () => {
    expect(() => compileFilterPattern('{ level = "x" }')).toThrow(InvalidFilterPatternError);
    expect(() => compileFilterPattern('{ $.level = "x"')).toThrow(InvalidFilterPatternError);
  });
});
