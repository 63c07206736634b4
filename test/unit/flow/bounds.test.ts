/** What an action's function answers is bounded again by the dispatcher: tenant code may forge it. */
import { describe, expect, it } from 'vitest';
import { boundedResult, MAX_ERROR_MESSAGE_CHARS } from '../../../shared/flow/bounds.ts';
import { MAX_LOG_BYTES, MAX_LOG_LINES } from '../../../shared/runtime/console-capture.ts';

const result = (extra: object) => ({
  commands: [],
  cache_ops: [],
  logs: [],
  stats: { boot_ms: 0, duration_ms: 1 },
  ...extra,
});

describe('boundedResult', () => {
  it('cuts error messages and says how much', () => {
    const bounded = boundedResult(
      result({ error: { class: 'action_error', name: 'Error', message: 'E'.repeat(1_000_000) } }),
    );
    expect(bounded.error?.message).toHaveLength(
      MAX_ERROR_MESSAGE_CHARS + `… [${1_000_000 - MAX_ERROR_MESSAGE_CHARS} characters cut]`.length,
    );
  });

  it('keeps logs within the runtime’s caps, with a note', () => {
    const big = Array.from({ length: 10 }, (_, i) => ({
      level: 'log' as const,
      message: 'x'.repeat(MAX_LOG_BYTES / 4),
      at: i,
    }));
    const bounded = boundedResult(result({ logs: big }));
    expect(bounded.logs).toHaveLength(5);
    expect(bounded.logs.at(-1)?.message).toBe('[hookchain] 6 log lines over the limits dropped.');

    const many = Array.from({ length: MAX_LOG_LINES * 2 }, (_, i) => ({
      level: 'log' as const,
      message: '',
      at: i,
    }));
    expect(boundedResult(result({ logs: many })).logs).toHaveLength(MAX_LOG_LINES + 2);
  });

  it('leaves a result within the bounds as it is', () => {
    const fine = result({ logs: [{ level: 'log', message: 'hi', at: 1 }] });
    expect(boundedResult(fine)).toEqual(fine);
  });
});
