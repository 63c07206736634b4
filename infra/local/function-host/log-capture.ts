/**
 * Turns one worker's output into CloudWatch log events, the way Lambda does: START / END / REPORT
 * around each invocation, one event per console call or per stdout/stderr line. Output beyond
 * `maxBytesPerInvocation` is dropped and counted, so a handler printing 10 MB cannot exhaust memory.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** CloudWatch's event size limit (256 KB minus its 26-byte overhead), in characters for simplicity. */
const MAX_EVENT_CHARS = 256 * 1024 - 26;
/** X-Amz-Log-Result carries the last 4 KB of the invocation's log. */
const TAIL_BYTES = 4096;

export type LogSink = (events: { timestamp: number; message: string }[]) => void;

export interface InvocationReport {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
}

export class LogCapture {
  private windowBytes = 0;
  private droppedBytes = 0;
  private tail: string[] = [];
  private tailBytes = 0;

  constructor(
    private readonly sink: LogSink,
    private readonly maxBytesPerInvocation: number,
  ) {}

  begin(requestId: string): void {
    // Output that arrived after the last invocation ended was counted against its window.
    this.reportDropped(' after the last invocation ended');
    this.windowBytes = 0;
    this.tail = [];
    this.tailBytes = 0;
    this.runtime(`START RequestId: ${requestId} Version: $LATEST`);
  }

  /** Output of the function: counted against the cap. */
  write(message: string, timestamp = Date.now()): void {
    if (message === '') return;
    const size = Buffer.byteLength(message);
    if (this.windowBytes + size > this.maxBytesPerInvocation) {
      this.droppedBytes += size;
      return;
    }
    this.windowBytes += size;
    this.emit(message.length > MAX_EVENT_CHARS ? message.slice(0, MAX_EVENT_CHARS) : message, timestamp);
  }

  /** A line of the host's own (timeouts, exits, reports): never dropped. */
  runtime(message: string): void {
    this.emit(message, Date.now());
  }

  /** Closes the invocation's log and answers its tail (for `LogType: Tail`), base64. */
  end(report: InvocationReport): string {
    this.reportDropped('');
    this.runtime(`END RequestId: ${report.requestId}`);
    const fields = [
      `REPORT RequestId: ${report.requestId}`,
      `Duration: ${report.durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.ceil(report.durationMs)} ms`,
      `Memory Size: ${report.memorySizeMb} MB`,
      `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
    ];
    if (report.initDurationMs !== undefined)
      fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
    if (report.status) fields.push(`Status: ${report.status}`);
    if (report.errorType) fields.push(`Error Type: ${report.errorType}`);
    this.runtime(fields.join('\t'));
    const text = Buffer.from(this.tail.join(''));
    return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
  }

  private reportDropped(when: string): void {
    if (this.droppedBytes === 0) return;
    this.runtime(
      `[hookchain] log output truncated: ${this.droppedBytes} bytes${when} over the ${this.maxBytesPerInvocation}-byte limit per invocation were dropped`,
    );
    this.droppedBytes = 0;
  }

  /** Splits a raw stdout/stderr pipe into one event per line. */
  attach(stream: Readable): void {
    const decoder = new StringDecoder('utf8');
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const text = partial + decoder.write(chunk);
      let start = 0;
      for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
        this.write(text.slice(start, newline));
        start = newline + 1;
      }
      partial = text.slice(start);
      if (partial.length > MAX_EVENT_CHARS) {
        this.write(partial);
        partial = '';
      }
    });
    stream.on('end', () => {
      partial += decoder.end();
      if (partial !== '') this.write(partial);
    });
  }

  private emit(message: string, timestamp: number): void {
    this.sink([{ timestamp, message }]);
    this.tail.push(`${message}\n`);
    this.tailBytes += message.length + 1;
    while (this.tailBytes > TAIL_BYTES * 2 && this.tail.length > 1) {
      this.tailBytes -= (this.tail.shift() as string).length;
    }
  }
}
