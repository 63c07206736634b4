/**
 * Size bounds on what an action's function answers. The runtime wrapper already keeps within
 * them, but tenant code shares the wrapper's process and may forge its answer, so the dispatcher
 * applies them again: whatever an action returns, the execution record (a DynamoDB item, 400 KB)
 * and its tenant log event must still be writable, and the caller must get a readable error.
 */
import { MAX_LOG_BYTES, MAX_LOG_LINES } from '../runtime/console-capture.ts';
import type { ActionError, ActionInvocationResult, LogEntry } from '../runtime/protocol.ts';

export const MAX_ERROR_NAME_CHARS = 256;
export const MAX_ERROR_MESSAGE_CHARS = 4 * 1024;
export const MAX_ERROR_STACK_CHARS = 8 * 1024;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} characters cut]`;
}

export function boundedError(error: ActionError): ActionError {
  return {
    class: error.class,
    name: cut(error.name, MAX_ERROR_NAME_CHARS),
    message: cut(error.message, MAX_ERROR_MESSAGE_CHARS),
    ...(error.stack === undefined ? {} : { stack: cut(error.stack, MAX_ERROR_STACK_CHARS) }),
  };
}

/** The runtime's console caps (bytes and lines), applied again; a note says what was dropped. */
export function boundedLogs(logs: LogEntry[]): LogEntry[] {
  const kept: LogEntry[] = [];
  let bytes = 0;
  let dropped = 0;
  for (const entry of logs) {
    const size = Buffer.byteLength(entry.message);
    // One line over for the runtime's own closing note.
    if (bytes + size > MAX_LOG_BYTES + 1024 || kept.length > MAX_LOG_LINES) {
      dropped++;
      continue;
    }
    bytes += size;
    kept.push(entry);
  }
  if (dropped === 0) return logs;
  const at = kept.at(-1)?.at ?? Date.now();
  return [
    ...kept,
    { level: 'warn', message: `[hookchain] ${dropped} log lines over the limits dropped.`, at },
  ];
}

export function boundedResult(result: ActionInvocationResult): ActionInvocationResult {
  return {
    ...result,
    logs: boundedLogs(result.logs),
    ...(result.error ? { error: boundedError(result.error) } : {}),
  };
}
