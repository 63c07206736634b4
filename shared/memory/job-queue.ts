/**
 * The job queue port (shared/ports/job-queue.ts) in memory, for tests: it keeps what was sent so a
 * test can take it (`drain`) and run it, and holds a delayed job back until the injected clock has
 * passed its delay. Bodies travel as JSON, as they do through SQS.
 */
import type { Clock } from '../ports/clock.ts';
import type { JobQueue } from '../ports/job-queue.ts';

/** SQS's bounds on DelaySeconds. */
const MAX_DELAY_SECONDS = 900;

export interface SentJob<T> {
  job: T;
  delaySeconds: number;
  /** When it may be delivered, in epoch milliseconds by the queue's clock. */
  deliverableAt: number;
}

export interface MemoryJobQueue<T> extends JobQueue<T> {
  /** Every job sent so far, in the order sent, whether taken or not. */
  readonly sent: ReadonlyArray<SentJob<T>>;
  /** Takes the jobs whose delay has passed, in the order sent; each job is taken once. */
  drain(): T[];
  /** Jobs sent and not yet taken, delayed ones included. */
  readonly waiting: number;
}

export function memoryJobQueue<T>(options: { now?: Clock } = {}): MemoryJobQueue<T> {
  const now = options.now ?? Date.now;
  const sent: SentJob<T>[] = [];
  let waiting: SentJob<T>[] = [];
  // What a consumer receives is the JSON it was sent as: no shared objects, no undefined fields.
  const asDelivered = (job: T): T => JSON.parse(JSON.stringify(job)) as T;

  return {
    async send(job, sendOptions) {
      const delaySeconds = sendOptions?.delaySeconds ?? 0;
      if (!(delaySeconds >= 0 && delaySeconds <= MAX_DELAY_SECONDS)) {
        throw new RangeError(
          `Value ${delaySeconds} for parameter DelaySeconds is invalid: it must be >= 0 and <= ${MAX_DELAY_SECONDS}.`,
        );
      }
      const entry = { job: asDelivered(job), delaySeconds, deliverableAt: now() + delaySeconds * 1000 };
      sent.push(entry);
      waiting.push(entry);
    },
    get sent() {
      return sent.map((entry) => ({ ...entry, job: asDelivered(entry.job) }));
    },
    drain() {
      const at = now();
      const due = waiting.filter((entry) => entry.deliverableAt <= at);
      waiting = waiting.filter((entry) => entry.deliverableAt > at);
      return due.map((entry) => asDelivered(entry.job));
    },
    get waiting() {
      return waiting.length;
    },
  };
}
