/**
 * A queue of JSON jobs (builds, async trigger executions). Delivery is at least once and in no
 * particular order, as on SQS: a consumer must expect the same job twice.
 */
export interface JobQueue<T> {
  /** `delaySeconds` (0-900): the job is delivered no sooner. */
  send(job: T, options?: { delaySeconds?: number }): Promise<void>;
}
