/**
 * Warm workers for every function. An invocation takes an idle worker of the function's current
 * revision (warm), or starts a new one (cold) while the function is under its concurrency limit;
 * beyond that it waits for a worker to come free. A total cap bounds all children: when it is
 * reached, the least recently used idle worker of any function is stopped to make room.
 */
import type { Logger } from '../logger.ts';
import type { LogSink } from './log-capture.ts';
import { type InvokeOutcome, type InvokeRequest, Worker, type WorkerSpec } from './worker.ts';

export interface PoolOptions {
  /** Concurrent instances of one function (Lambda's reserved concurrency, locally). */
  maxWorkersPerFunction: number;
  /** Child processes across all functions. */
  maxWorkers: number;
  maxLogBytesPerInvocation: number;
  sink: (functionName: string, logStreamName: string) => LogSink;
  logger: Logger;
}

interface Waiter {
  spec: WorkerSpec;
  resolve: (worker: Worker) => void;
  reject: (error: Error) => void;
}

export class PoolStoppedError extends Error {
  constructor() {
    super('The function host is stopping');
    this.name = 'PoolStoppedError';
  }
}

export class WorkerPool {
  /** Workers counted against the limits. */
  private readonly workers = new Set<Worker>();
  /** Every process not yet exited, including discarded ones still dying: stop() awaits them all. */
  private readonly processes = new Set<Worker>();
  private readonly idle = new Set<Worker>();
  private readonly waiters: Waiter[] = [];
  /** The revision each function runs now; workers of any other revision are retired. */
  private readonly current = new Map<string, string>();
  private stopping = false;

  constructor(private readonly options: PoolOptions) {}

  async invoke(spec: WorkerSpec, request: InvokeRequest): Promise<InvokeOutcome> {
    this.current.set(spec.functionName, spec.revisionId);
    const worker = await this.acquire(spec);
    try {
      return await worker.invoke(request);
    } finally {
      this.release(worker);
    }
  }

  /** Stops idle workers of a function and makes busy ones exit when done (code change, delete). */
  retire(functionName: string, nextRevision?: string): void {
    if (nextRevision === undefined) this.current.delete(functionName);
    else this.current.set(functionName, nextRevision);
    for (const worker of this.idle) {
      if (this.isStale(worker)) this.discard(worker);
    }
    for (const waiter of this.waiters.filter((w) => w.spec.functionName === functionName)) {
      if (nextRevision === undefined) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.reject(new Error(`Function ${functionName} was deleted`));
      }
    }
  }

  /** Pids of a function's live workers (tests and diagnostics). */
  pids(functionName?: string): number[] {
    return [...this.workers]
      .filter((w) => functionName === undefined || w.spec.functionName === functionName)
      .map((w) => w.pid)
      .filter((pid): pid is number => pid !== undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new PoolStoppedError());
    const exits = [...this.processes].map((worker) => {
      worker.kill();
      return worker.exited;
    });
    await Promise.all(exits);
  }

  private acquire(spec: WorkerSpec): Promise<Worker> {
    if (this.stopping) return Promise.reject(new PoolStoppedError());
    return new Promise((resolve, reject) => {
      this.waiters.push({ spec, resolve, reject });
      this.pump();
    });
  }

  private release(worker: Worker): void {
    if (!worker.alive || this.stopping || this.isStale(worker)) this.discard(worker);
    else this.idle.add(worker);
    this.pump();
  }

  /** Serves waiters in arrival order; one blocked on its function's limit does not block others. */
  private pump(): void {
    for (const waiter of [...this.waiters]) {
      const worker = this.takeIdle(waiter.spec) ?? this.spawn(waiter.spec);
      if (!worker) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(worker);
    }
  }

  private takeIdle(spec: WorkerSpec): Worker | undefined {
    let best: Worker | undefined;
    for (const worker of this.idle) {
      if (
        !worker.alive ||
        worker.spec.functionName !== spec.functionName ||
        worker.spec.revisionId !== spec.revisionId
      ) {
        continue;
      }
      // Most recently used first: its caches are the warmest, and the others can age out.
      if (!best || worker.lastUsed > best.lastUsed) best = worker;
    }
    if (best) this.idle.delete(best);
    return best;
  }

  private spawn(spec: WorkerSpec): Worker | undefined {
    const ofFunction = [...this.workers].filter((w) => w.spec.functionName === spec.functionName);
    // An idle worker of an old revision only holds a slot; free it for the new code.
    if (ofFunction.length >= this.options.maxWorkersPerFunction) {
      const stale = ofFunction.find((w) => this.idle.has(w) && w.spec.revisionId !== spec.revisionId);
      if (!stale) return undefined;
      this.discard(stale);
    }
    if (this.workers.size >= this.options.maxWorkers) {
      // At the global cap, a function that already has a warm worker waits for it rather than
      // evicting another function's: evicting under load makes every invoke a cold start.
      if (ofFunction.some((w) => w.alive && w.spec.revisionId === spec.revisionId)) return undefined;
      if (!this.evictLeastRecentlyUsed()) return undefined;
    }
    const worker = new Worker(spec, {
      sink: (stream) => this.options.sink(spec.functionName, stream),
      maxLogBytesPerInvocation: this.options.maxLogBytesPerInvocation,
      logger: this.options.logger,
    });
    this.workers.add(worker);
    this.processes.add(worker);
    void worker.exited.then(() => {
      this.processes.delete(worker);
      // A crashed or killed process leaves the pool; the next invocation starts a fresh one.
      this.workers.delete(worker);
      this.idle.delete(worker);
      this.pump();
    });
    return worker;
  }

  private evictLeastRecentlyUsed(): boolean {
    let oldest: Worker | undefined;
    for (const worker of this.idle) if (!oldest || worker.lastUsed < oldest.lastUsed) oldest = worker;
    if (!oldest) return false;
    this.discard(oldest);
    return true;
  }

  private discard(worker: Worker): void {
    this.idle.delete(worker);
    this.workers.delete(worker);
    worker.kill();
  }

  private isStale(worker: Worker): boolean {
    return this.current.get(worker.spec.functionName) !== worker.spec.revisionId;
  }
}
