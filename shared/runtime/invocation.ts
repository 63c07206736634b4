/**
 * Checks an invocation at the one boundary inside the action's bundle, by hand: a validation
 * library here would ship in every action version and be parsed on every cold start. The
 * dispatcher builds invocations itself; this guards against anything else calling the function.
 */
import type { ActionInvocation } from './protocol.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStringRecord = (value: unknown): boolean =>
  isRecord(value) && Object.values(value).every((v) => typeof v === 'string');

/** What is wrong with the request, field by field; empty when it is a well-formed invocation. */
export function invocationProblems(request: unknown): string[] {
  if (!isRecord(request)) return ['(root): expected an object'];
  const problems: string[] = [];
  const expect = (field: string, ok: boolean, what: string) => {
    if (!ok) problems.push(`${field}: expected ${what}`);
  };
  const optional = (field: string, ok: (value: unknown) => boolean, what: string) => {
    if (request[field] !== undefined) expect(field, ok(request[field]), what);
  };
  expect('trigger', typeof request.trigger === 'string', 'a string');
  expect('entrypoint', typeof request.entrypoint === 'string', 'a string');
  expect('event', isRecord(request.event), 'an object');
  expect('secrets', isStringRecord(request.secrets), 'an object of strings');
  expect('configuration', isStringRecord(request.configuration), 'an object of strings');
  optional(
    'module_secrets',
    (v) => isRecord(v) && Object.values(v).every(isStringRecord),
    'an object of objects of strings',
  );
  expect(
    'cache',
    isRecord(request.cache) &&
      Object.values(request.cache).every(
        (entry) => isRecord(entry) && typeof entry.value === 'string' && typeof entry.expires_at === 'number',
      ),
    'an object of { value: string, expires_at: number }',
  );
  expect(
    'deadline_ms',
    typeof request.deadline_ms === 'number' && request.deadline_ms > 0,
    'a positive number',
  );
  expect('execution_id', typeof request.execution_id === 'string', 'a string');
  optional('continue_state', (v) => typeof v === 'string', 'a string');
  return problems;
}

export function isInvocation(request: unknown): request is ActionInvocation {
  return invocationProblems(request).length === 0;
}
