/** The action's bundle checks an invocation by hand before running anything. */
import { describe, expect, it } from 'vitest';
import { invocationProblems, isInvocation } from '../../../shared/runtime/invocation.ts';
import { invocation } from './helpers.ts';

describe('an invocation, checked inside the action', () => {
  it('passes as the dispatcher builds it, with or without its optional fields', () => {
    expect(invocationProblems(invocation())).toEqual([]);
    expect(
      isInvocation(
        invocation({
          module_secrets: { shared: { URL: 'https://example.com' } },
          continue_state: 'state',
          cache: { k: { value: 'v', expires_at: 1 } },
        }),
      ),
    ).toBe(true);
  });

  it('names every field that is wrong', () => {
    const broken = {
      ...invocation(),
      trigger: 1,
      event: [],
      secrets: { KEY: 2 },
      cache: { k: { value: 'v' } },
      deadline_ms: 0,
      module_secrets: { shared: 'x' },
    };
    expect(invocationProblems(broken)).toEqual([
      'trigger: expected a string',
      'event: expected an object',
      'secrets: expected an object of strings',
      'module_secrets: expected an object of objects of strings',
      'cache: expected an object of { value: string, expires_at: number }',
      'deadline_ms: expected a positive number',
    ]);
  });

  it('refuses what is not an object at all', () => {
    expect(invocationProblems(null)).toEqual(['(root): expected an object']);
    expect(isInvocation([])).toBe(false);
  });
});
