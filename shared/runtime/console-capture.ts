/**
 * Per-execution console capture. Actions get a `console` whose calls land in the buffer of the
 * execution that is running (AsyncLocalStorage keeps concurrent executions apart). Output is kept
 * whole up to a cap, so a flood cannot exhaust memory; what is dropped is counted, not hidden.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { LogEntry, LogLevel } from './protocol.ts';

/** Bytes of console output kept per action execution (Auth0's own harness keeps 256 KB). */
export const MAX_LOG_BYTES = 256 * 1024;

export class LogBuffer {
  readonly entries: LogEntry[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limit = MAX_LOG_BYTES,
  ) {}

  write(level: LogLevel, args: unknown[]): void {
    const message = format(...args);
    const size = Buffer.byteLength(message, 'utf8');
    if (this.bytes + size > this.limit) {
      this.dropped += size;
      return;
    }
    this.bytes += size;
    this.entries.push({ level, message, at: this.now() });
  }

  /** The captured entries, with a closing note when output was dropped. */
  drain(): LogEntry[] {
    if (this.dropped === 0) return this.entries;
    return [
      ...this.entries,
      {
        level: 'warn',
        message: `[hookchain] ${this.dropped} bytes of console output dropped: an action may log at most ${this.limit} bytes per execution.`,
        at: this.now(),
      },
    ];
  }
}

const current = new AsyncLocalStorage<LogBuffer>();

export function withLogBuffer<T>(buffer: LogBuffer, run: () => T): T {
  return current.run(buffer, run);
}

const LEVELS: Record<string, LogLevel> = {
  log: 'log',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'trace',
  dir: 'log',
};

/**
 * The `console` handed to action code. Outside any execution (code that escaped its execution,
 * e.g. a timer firing later) output goes to the process console, never into another execution's logs.
 */
export function createActionConsole(fallback: Console = console): Console {
  const methods: Record<string, (...args: unknown[]) => void> = {};
  for (const [method, level] of Object.entries(LEVELS)) {
    methods[method] = (...args: unknown[]) => {
      const buffer = current.getStore();
      if (buffer) buffer.write(level, args);
      else (fallback[method as keyof Console] as (...a: unknown[]) => void).apply(fallback, args);
    };
  }
  return new Proxy(fallback, {
    get: (target, property, receiver) =>
      typeof property === 'string' && property in methods
        ? methods[property]
        : Reflect.get(target, property, receiver),
  });
}
