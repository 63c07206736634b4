import { describe, expect, it } from 'vitest';
import { MAX_SHOWN, matchesLocal, mergeRuns } from '../../../../../dashboard/src/logs/tail.ts';
import type { ActionRunLog } from '../../../../../shared/client/index.ts';

const run = (timestamp: number, over: Partial<ActionRunLog> = {}): ActionRunLog => ({
  tenant_id: 'dev',
  entrypoint: 'onExecutePostLogin',
  trigger_id: 'post-login',
  execution_id: `exec-${timestamp}`,
  action_id: 'act',
  action_name: 'greeter',
  level: 'info',
  message: 'greeter ran in 3 ms',
  duration_ms: 3,
  logs: [],
  timestamp,
  ...over,
});

describe('the live log tail', () => {
  it('adds each run once, oldest first, however often a poll returns it', () => {
    const first = mergeRuns([], [run(2), run(1)]);
    const second = mergeRuns(first, [run(2), run(3), run(1)]);
    expect(second.map((r) => r.timestamp)).toEqual([1, 2, 3]);
  });

  it('keeps the shown list as is when a poll brings nothing new (no re-render churn)', () => {
    const shown = mergeRuns([], [run(1)]);
    expect(mergeRuns(shown, [run(1)])).toBe(shown);
  });

  it(`keeps at most ${MAX_SHOWN} runs, dropping the oldest`, () => {
    const many = Array.from({ length: MAX_SHOWN + 20 }, (_, i) => run(i));
    const shown = mergeRuns([], many);
    expect(shown).toHaveLength(MAX_SHOWN);
    expect(shown[0]?.timestamp).toBe(20);
  });

  it('filters by text in the message, action, execution or console output, and by level', () => {
    const noisy = run(1, { logs: [{ level: 'log', message: 'User ada signed in', at: '' }] });
    const failed = run(2, { level: 'error', message: 'greeter failed (Error): boom' });
    expect(matchesLocal(noisy, { text: 'ADA', errorsOnly: false })).toBe(true);
    expect(matchesLocal(noisy, { text: 'exec-1', errorsOnly: false })).toBe(true);
    expect(matchesLocal(noisy, { text: 'bob', errorsOnly: false })).toBe(false);
    expect(matchesLocal(noisy, { text: '', errorsOnly: true })).toBe(false);
    expect(matchesLocal(failed, { text: 'boom', errorsOnly: true })).toBe(true);
  });
});
