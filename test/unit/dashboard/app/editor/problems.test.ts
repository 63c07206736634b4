import { describe, expect, it } from 'vitest';
import { problemSummary, toProblems } from '../../../../../dashboard/src/editor/problems.ts';

const marker = (severity: number, line: number, message = `m${line}`) => ({
  severity,
  message,
  startLineNumber: line,
  startColumn: 1,
});

describe('editor problems', () => {
  it('lists errors first, then warnings, each by position; hints are not problems', () => {
    const problems = toProblems([
      marker(4, 1),
      marker(8, 9),
      marker(1, 2, 'may be an ES module'),
      marker(8, 3),
    ]);
    expect(problems.map((p) => `${p.severity}@${p.line}`)).toEqual(['error@3', 'error@9', 'warning@1']);
  });

  it('summarises counts in words', () => {
    expect(problemSummary([])).toBe('No problems');
    expect(problemSummary(toProblems([marker(8, 1)]))).toBe('1 error');
    expect(problemSummary(toProblems([marker(8, 1), marker(8, 2), marker(4, 3)]))).toBe(
      '2 errors, 1 warning',
    );
    expect(problemSummary(toProblems([marker(2, 1)]))).toBe('No problems');
  });
});
