/** Turns whatever an action threw into the wire's error shape. */
import { inspect } from 'node:util';
import type { ActionError, ErrorClass } from './protocol.ts';

const MAX_STACK_CHARS = 8 * 1024;

/** Reads a property of a thrown value, which may be a hostile getter or proxy. */
function read(thrown: object, key: 'name' | 'message' | 'stack'): unknown {
  try {
    return (thrown as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function text(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return fallback;
  try {
    return String(value);
  } catch {
    return fallback;
  }
}

function isError(thrown: unknown): thrown is Error {
  try {
    return thrown instanceof Error;
  } catch {
    return false; // a proxy whose getPrototypeOf trap throws
  }
}

function describe(thrown: unknown): string {
  try {
    return inspect(thrown, { depth: 2, breakLength: Number.POSITIVE_INFINITY }).slice(0, 1024);
  } catch {
    return `a value of type ${typeof thrown}`;
  }
}

/** Never throws, whatever the action threw. */
export function toActionError(thrown: unknown, errorClass: ErrorClass = 'action_error'): ActionError {
  if (isError(thrown)) {
    const stack = read(thrown, 'stack');
    return {
      class: errorClass,
      name: text(read(thrown, 'name'), 'Error'),
      message: text(read(thrown, 'message'), ''),
      ...(typeof stack === 'string' ? { stack: stack.slice(0, MAX_STACK_CHARS) } : {}),
    };
  }
  // Actions can throw anything: a string, an object, undefined. Say what it was.
  return {
    class: errorClass,
    name: 'Error',
    message: `Action threw a non-Error value: ${describe(thrown)}`,
  };
}

export class ActionTimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(limitMs: number) {
    super(`Action did not complete within its time limit of ${Math.round(limitMs)} ms.`);
  }
}
