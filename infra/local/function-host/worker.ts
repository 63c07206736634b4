/**
 * One warm instance of a function: a child process running worker-bootstrap.cjs in its sandbox
 * (sandbox.ts), its log stream, and the invocation lifecycle around it — init, invoke over the
 * channel (channel.ts), the Timeout enforced by SIGKILL, the memory watchdog, and the error Lambda
 * reports when the process dies (exit, crash, out of memory).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.ts';
import { type ChildMessage, readChannel } from './channel.ts';
import { type EnvironmentSpec, lambdaEnvironment } from './environment.ts';
import { type InvocationReport, LogCapture, type LogSink } from './log-capture.ts';
import { ProcessStat } from './process-stat.ts';
import { residentLimitBytes, sandboxFlags } from './sandbox.ts';

const BOOTSTRAP = fileURLToPath(new URL('./worker-bootstrap.cjs', import.meta.url));
/** Lambda gives on-demand initialisation 10 s. */
const INIT_TIMEOUT_MS = 10_000;
/** After `exit`, how long to wait for the pipes to drain (an OOM message arrives on stderr). */
const DRAIN_MS = 200;
/** How often memory and CPU are read: often while invoked (a bomb grows fast), less when idle. */
const CHECK_BUSY_MS = 100;
const CHECK_IDLE_MS = 1_000;
/** The share of one core an idle instance may use over a check's window (timers, sockets closing). */
const IDLE_CPU_SHARE = 0.5;

export interface WorkerSpec extends EnvironmentSpec {
  revisionId: string;
  timeoutSeconds: number;
}

export interface InvokeRequest {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  invokedFunctionArn: string;
  clientContext?: unknown;
}

/** The error document Lambda returns with `X-Amz-Function-Error: Unhandled`. */
export interface FunctionErrorPayload {
  errorType?: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeOutcome =
  | { ok: true; payload: string; logTail: string }
  | { ok: false; error: FunctionErrorPayload; logTail: string };

export interface WorkerOptions {
  sink: (logStreamName: string) => LogSink;
  maxLogBytesPerInvocation: number;
  logger: Logger;
}

type Settlement =
  | { kind: 'result'; payload?: string; error?: FunctionErrorPayload }
  | { kind: 'fatal'; error: FunctionErrorPayload }
  | { kind: 'timeout' }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null };

type InitOutcome = { ok: true; durationMs: number } | { ok: false; settlement: Settlement };

export class Worker {
  readonly spec: WorkerSpec;
  readonly logStreamName: string;
  /** Resolves once the process is gone and its pipes are drained. */
  readonly exited: Promise<void>;
  lastUsed = Date.now();

  private readonly child: ChildProcess;
  private readonly capture: LogCapture;
  private readonly init: Promise<InitOutcome>;
  private settle: ((settlement: Settlement) => void) | undefined;
  private dying = false;
  private initReported = false;
  private outOfMemory = false;
  private maxRssBytes = 0;
  private readonly tmpDir: string;
  private rescheduleCheck: (() => void) | undefined;
  /** Init is over (`ready`): from then on, time outside an invocation is idle time. */
  private ready = false;
  private invocations = 0;
  /** The invocation in flight, if any. */
  private requestId: string | undefined;

  constructor(spec: WorkerSpec, options: WorkerOptions) {
    this.spec = spec;
    this.logStreamName = logStreamName();
    this.capture = new LogCapture(options.sink(this.logStreamName), options.maxLogBytesPerInvocation);
    this.tmpDir = mkdtempSync(join(tmpdir(), 'hookchain-fn-'));
    const started = performance.now();
    const flags = sandboxFlags(
      { codeDir: spec.codeDir, bootstrap: BOOTSTRAP, tmpDir: this.tmpDir },
      spec.memoryMb,
    );
    this.child = spawn(process.execPath, [...flags, BOOTSTRAP, spec.handler], {
      cwd: spec.codeDir,
      env: lambdaEnvironment(spec, this.logStreamName, this.tmpDir),
      // stdin carries invocations in, fd 3 messages out; stdout and stderr are the function's logs.
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    // A write to a process that just died fails; its exit is what gets reported.
    this.child.stdin?.on('error', () => {});
    const stdout = this.child.stdout;
    const stderr = this.child.stderr;
    if (stdout) this.capture.attach(stdout);
    if (stderr) {
      this.capture.attach(stderr);
      stderr.on('data', (chunk: Buffer) => {
        if (!this.outOfMemory && /heap out of memory|Reached heap limit/.test(chunk.toString('latin1'))) {
          this.outOfMemory = true;
        }
      });
    }

    let ready: (outcome: InitOutcome) => void = () => {};
    this.init = new Promise((resolve) => {
      ready = resolve;
    });
    const initTimer = setTimeout(() => {
      ready({ ok: false, settlement: { kind: 'timeout' } });
      this.kill();
    }, INIT_TIMEOUT_MS);

    const onMessage = (message: ChildMessage): void => {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          clearTimeout(initTimer);
          ready({ ok: true, durationMs: performance.now() - started });
          break;
        case 'init-error':
          clearTimeout(initTimer);
          ready({ ok: false, settlement: { kind: 'result', error: message.error } });
          this.kill();
          break;
        case 'log':
          this.capture.write(message.line, message.timestamp);
          break;
        case 'result':
          // Only the invocation in flight may be answered (the function can write this channel too).
          if (message.requestId !== this.requestId) {
            onViolation('a result for another invocation');
            break;
          }
          this.maxRssBytes = Math.max(this.maxRssBytes, message.rssBytes);
          this.settle?.({ kind: 'result', payload: message.payload, error: message.error });
          break;
        case 'fatal':
          this.dying = true;
          if (this.settle) this.settle({ kind: 'fatal', error: message.error });
          // A crash between invocations (a stray timer, a rejected promise) is logged like Lambda does.
          else
            this.capture.runtime(
              `${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify(message.error)}`,
            );
          break;
      }
    };
    // Whatever the function writes to the channel, the host survives it: a violation ends the process.
    const onViolation = (reason: string): void => {
      const error = {
        errorType: 'Runtime.InvalidRuntimeMessage',
        errorMessage: `The function's process wrote ${reason} to the runtime channel`,
      };
      clearTimeout(initTimer);
      ready({ ok: false, settlement: { kind: 'fatal', error } });
      if (this.settle) this.settle({ kind: 'fatal', error });
      else this.capture.runtime(`${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify(error)}`);
      this.kill();
    };
    readChannel(this.child.stdio[3] as Readable, onMessage, onViolation);

    this.exited = new Promise((resolve) => {
      let exit: Settlement = { kind: 'exit', code: null, signal: null };
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(initTimer);
        this.dying = true;
        ready({ ok: false, settlement: exit });
        this.settle?.(exit);
        void rm(this.tmpDir, { recursive: true, force: true });
        resolve();
      };
      this.child.on('exit', (code, signal) => {
        this.dying = true;
        exit = { kind: 'exit', code, signal };
        setTimeout(finish, DRAIN_MS).unref();
      });
      this.child.on('close', finish);
      this.child.on('error', (error) => {
        options.logger.warn('worker process failed', { function: spec.functionName, error });
        finish();
      });
    });
    this.watch();
  }

  /**
   * Lambda stops a function that uses more than its memory size, whatever holds it. The heap cap
   * stops the V8 heap; this stops the rest (Buffers, ArrayBuffers, native allocations), where
   * /proc tells resident memory (Linux). Over the limit, the process is killed as out of memory.
   *
   * And Lambda freezes an instance between invocations, so code that escaped its invocation (a
   * loop that yields, a stray interval) cannot burn CPU meanwhile. Locally an idle process busy
   * for more than half of a check's window is stopped instead; the next invocation starts fresh.
   */
  private watch(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const stat = ProcessStat.open(pid);
    if (!stat) return;
    void this.exited.then(() => stat.close());
    const limit = residentLimitBytes(this.spec.memoryMb);
    let idleSince: { cpuMs: number; at: number; invocations: number } | undefined;
    const stop = (why: string): void => {
      this.capture.runtime(`${new Date().toISOString()}\tundefined\tERROR\t${why}`);
      this.kill();
    };
    const check = (): void => {
      timer = undefined;
      if (this.dying) return;
      const sample = stat.sample();
      if (sample === undefined) {
        schedule();
        return;
      }
      const { rssBytes: rss, cpuMs } = sample;
      this.maxRssBytes = Math.max(this.maxRssBytes, rss);
      if (rss > limit) {
        this.outOfMemory = true;
        stop(
          `Resident memory ${Math.round(rss / 1048576)} MB passed the ${Math.round(limit / 1048576)} MB allowed for a ${this.spec.memoryMb} MB function: killed`,
        );
        return;
      }
      const idle = this.ready && !this.settle;
      const now = performance.now();
      if (idle && idleSince?.invocations === this.invocations) {
        const used = cpuMs - idleSince.cpuMs;
        const window = now - idleSince.at;
        if (used > window * IDLE_CPU_SHARE) {
          stop(
            `The function kept running after its invocation ended (${Math.round(used)} ms of CPU in ${Math.round(window)} ms while idle): stopped. On Lambda the instance would be frozen until its next invocation.`,
          );
          return;
        }
      }
      idleSince = idle ? { cpuMs, at: now, invocations: this.invocations } : undefined;
      schedule();
    };
    let timer: NodeJS.Timeout | undefined;
    let timerMs = 0;
    const schedule = (): void => {
      const ms = this.settle ? CHECK_BUSY_MS : CHECK_IDLE_MS;
      // A check already due at the busy pace stays as it is: pushing it back at every invocation
      // would starve it under back-to-back invocations, and a timer per invocation is work too.
      if (timer !== undefined && timerMs <= ms) return;
      clearTimeout(timer);
      timerMs = ms;
      timer = setTimeout(check, ms);
      timer.unref();
    };
    this.rescheduleCheck = schedule;
    schedule();
  }

  get alive(): boolean {
    return !this.dying;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    this.dying = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  async invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    const { requestId } = request;
    this.capture.begin(requestId);
    const init = await this.init;
    // Like Lambda's REPORT: Duration is the handler's time; a cold start's init is reported apart.
    const started = performance.now();
    let settlement: Settlement;
    let initDurationMs: number | undefined;
    if (!init.ok) {
      settlement = init.settlement;
    } else {
      if (!this.initReported) initDurationMs = init.durationMs;
      this.initReported = true;
      settlement = await this.run(request);
    }
    const durationMs = performance.now() - started;
    const report: InvocationReport = {
      requestId,
      durationMs,
      memorySizeMb: this.spec.memoryMb,
      maxMemoryUsedMb: Math.max(1, Math.round(this.maxRssBytes / 1024 / 1024)),
      initDurationMs,
    };
    const outcome = this.describe(settlement, requestId, report);
    this.lastUsed = Date.now();
    const logTail = this.capture.end(report);
    return outcome.ok
      ? { ok: true, payload: outcome.payload, logTail }
      : { ok: false, error: outcome.error, logTail };
  }

  private run(request: InvokeRequest): Promise<Settlement> {
    if (this.dying)
      return this.exited.then(() => ({
        kind: 'exit',
        code: this.child.exitCode,
        signal: this.child.signalCode,
      }));
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise<Settlement>((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        finish({ kind: 'timeout' });
      }, timeoutMs);
      const finish = (settlement: Settlement): void => {
        clearTimeout(timer);
        this.settle = undefined;
        this.requestId = undefined;
        resolve(settlement);
      };
      this.settle = finish;
      this.requestId = request.requestId;
      this.invocations++;
      const message = {
        type: 'invoke',
        requestId: request.requestId,
        event: request.event,
        deadline: Date.now() + timeoutMs,
        invokedFunctionArn: request.invokedFunctionArn,
        clientContext: request.clientContext,
      };
      this.child.stdin?.write(`${JSON.stringify(message)}\n`);
      // Checks at the busy pace from now on.
      this.rescheduleCheck?.();
    });
  }

  /** Maps how the invocation ended to Lambda's answer, and logs the runtime's lines for failures. */
  private describe(
    settlement: Settlement,
    requestId: string,
    report: InvocationReport,
  ): { ok: true; payload: string } | { ok: false; error: FunctionErrorPayload } {
    switch (settlement.kind) {
      case 'result':
        if (settlement.error) {
          this.capture.runtime(
            `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(settlement.error)}`,
          );
          return { ok: false, error: settlement.error };
        }
        return { ok: true, payload: settlement.payload ?? 'null' };
      case 'fatal':
        this.capture.runtime(
          `${new Date().toISOString()}\t${requestId}\tERROR\t${JSON.stringify(settlement.error)}`,
        );
        report.status = 'error';
        report.errorType = settlement.error.errorType;
        return { ok: false, error: settlement.error };
      case 'timeout': {
        const message = `${requestId} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`;
        this.capture.runtime(`${new Date().toISOString()} ${message}`);
        report.status = 'timeout';
        return { ok: false, error: { errorMessage: message } };
      }
      case 'exit': {
        const errorType = this.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        const reason =
          settlement.signal !== null
            ? `signal: ${signalText(settlement.signal)}`
            : settlement.code === 0
              ? undefined
              : `exit status ${settlement.code}`;
        const errorMessage = reason
          ? `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`
          : `RequestId: ${requestId} Error: Runtime exited without providing a reason`;
        this.capture.runtime(`${errorMessage}\n${errorType}`);
        report.status = 'error';
        report.errorType = errorType;
        return { ok: false, error: { errorType, errorMessage } };
      }
    }
  }
}

/** Lambda words signals the way Go's os/exec does. */
function signalText(signal: NodeJS.Signals): string {
  const words: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: 'killed',
    SIGABRT: 'aborted',
    SIGSEGV: 'segmentation fault',
    SIGTERM: 'terminated',
    SIGINT: 'interrupt',
  };
  return words[signal] ?? signal;
}

/** Lambda's stream naming: `YYYY/MM/DD/[$LATEST]<32 hex>`, one stream per instance. */
function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
