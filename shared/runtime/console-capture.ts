/**
 * Per-execution console capture. Actions get a `console` whose calls land in the buffer of the
 * execution that is running (AsyncLocalStorage keeps concurrent executions apart). Output is kept
 * whole up to a cap, so a flood cannot exhaust memory; what is dropped is counted, not hidden.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { format } from 'node:util';
import type { LogEntry, LogLevel } from './protocol.ts';

/** Bytes of console output kept per action execution (Auth0's own harness keeps 256 KB). */
export const MAX_LOG_BYTES = 256 * 1024;
/**
 * Console calls kept per execution: each is an object in memory and in the result, so a flood of
 * empty lines (which cost no bytes) must stop somewhere too.
 */
export const MAX_LOG_LINES = 10_000;

export class LogBuffer {
  readonly entries: LogEntry[] = [];
  private bytes = 0;
  private dropped = 0;
  private droppedLines = 0;
  private closed = false;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limit = MAX_LOG_BYTES,
  ) {}

  /** False once drained: output after that belongs to no execution. */
  get open(): boolean {
    return !this.closed;
  }

  write(level: LogLevel, args: unknown[]): void {
    this.append(level, format(...args));
  }

  /** Adds an already formatted message. */
  append(level: LogLevel, message: string): void {
    const size = Buffer.byteLength(message, 'utf8');
    if (this.bytes + size > this.limit || this.entries.length >= MAX_LOG_LINES) {
      this.dropped += size;
      this.droppedLines++;
      return;
    }
    this.bytes += size;
    this.entries.push({ level, message, at: this.now() });
  }

  /** Closes the buffer and returns a copy of its entries, with a closing note when output was dropped. */
  drain(): LogEntry[] {
    this.closed = true;
    if (this.droppedLines === 0) return [...this.entries];
    const message =
      this.entries.length >= MAX_LOG_LINES
        ? `[hookchain] ${this.droppedLines} console lines (${this.dropped} bytes) dropped: an action may log at most ${MAX_LOG_LINES} lines and ${this.limit} bytes per execution.`
        : `[hookchain] ${this.dropped} bytes of console output dropped: an action may log at most ${this.limit} bytes per execution.`;
    return [...this.entries, { level: 'warn', message, at: this.now() }];
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

/** The buffer of the running execution, if it is still open. */
function openBuffer(): LogBuffer | undefined {
  const buffer = current.getStore();
  return buffer?.open ? buffer : undefined;
}

/** A stream for Node's own Console: what it prints lands in the running execution's buffer. */
function sink(level: LogLevel, fallback: (text: string) => void): NodeJS.WritableStream {
  const stream = {
    write(chunk: string | Uint8Array): boolean {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const line = text.endsWith('\n') ? text.slice(0, -1) : text;
      const buffer = openBuffer();
      if (buffer) buffer.append(level, line);
      else fallback(line);
      return true;
    },
  };
  return stream as unknown as NodeJS.WritableStream;
}

/** The methods a Console instance has (each bound on it): those of its prototype. */
const isConsoleMethod = (name: string) =>
  name !== 'constructor' &&
  Object.hasOwn(Console.prototype, name) &&
  typeof (Console.prototype as unknown as Record<string, unknown>)[name] === 'function';

/**
 * The `console` handed to action code. Outside any execution (code that escaped its execution,
 * e.g. a timer firing after the action completed) output goes to the process console, never into
 * a finished or another execution's logs.
 */
export function createActionConsole(fallback: Console = console): Console {
  const methods: Record<string, (...args: unknown[]) => void> = {};
  for (const [method, level] of Object.entries(LEVELS)) {
    methods[method] = (...args: unknown[]) => {
      const buffer = openBuffer();
      if (buffer) buffer.write(level, args);
      else (fallback[method as keyof Console] as (...a: unknown[]) => void).apply(fallback, args);
    };
  }
  // Node's own Console formats the other methods (table, group, count, time, assert...). Made on
  // first use of one of them: most actions never call one, and a cold start need not build it.
  let formatter: Console | undefined;
  const formatted = (method: string) => {
    formatter ??= new Console({
      stdout: sink('log', (line) => fallback.log(line)),
      stderr: sink('warn', (line) => fallback.warn(line)),
      ignoreErrors: false,
      colorMode: false,
    });
    methods[method] = (formatter[method as keyof Console] as (...a: unknown[]) => void).bind(formatter);
    return methods[method];
  };
  return new Proxy(fallback, {
    get: (target, property, receiver) => {
      if (typeof property !== 'string') return Reflect.get(target, property, receiver);
      if (Object.hasOwn(methods, property)) return methods[property];
      return isConsoleMethod(property) ? formatted(property) : Reflect.get(target, property, receiver);
    },
  });
}
