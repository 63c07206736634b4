/** Turns whatever an action threw into the wire's error shape. */
import { inspect } from 'node:util';
import type { ActionError, ErrorClass } from './protocol.ts';

const MAX_STACK_CHARS = 8 * 1024;

export function toActionError(thrown: unknown, errorClass: ErrorClass = 'action_error'): ActionError {
  if (thrown instanceof Error) {
    return {
      class: errorClass,
      name: typeof thrown.name === 'string' ? thrown.name : 'Error',
      message: typeof thrown.message === 'string' ? thrown.message : String(thrown.message),
      ...(typeof thrown.stack === 'string' ? { stack: thrown.stack.slice(0, MAX_STACK_CHARS) } : {}),
    };
  }
  // Actions can throw anything: a string, an object, undefined. Say what it was.
  return {
    class: errorClass,
    name: 'Error',
    message: `Action threw a non-Error value: ${inspect(thrown, { depth: 2, breakLength: Number.POSITIVE_INFINITY }).slice(0, 1024)}`,
  };
}

export class ActionTimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(limitMs: number) {
    super(`Action did not complete within its time limit of ${Math.round(limitMs)} ms.`);
  }
}
