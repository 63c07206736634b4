/**
 * How kind the local stack is. `local` (the default) is one machine at its most forgiving:
 * strongly consistent reads, each message delivered once, functions Active at once, the API at `/`.
 * `aws` imitates AWS wherever AWS is less kind and the platform's code depends on it, so code that
 * is green here is not wrong there (docs/deploy.md, "What AWS does that the local stack now
 * imitates"). Chosen with HOOKCHAIN_FIDELITY=aws (npm start, the test harness); tests that need one
 * behaviour forced pass their own numbers.
 *
 * Rates are "every Nth" counters, not dice, so a test that depends on one fails the same way every
 * run; 0 turns a behaviour off.
 */

export interface AwsFidelity {
  dynamodb: {
    /** A read without ConsistentRead sees an item as it was before any write of the last this-many ms. */
    staleReadMs: number;
  };
  sqs: {
    /**
     * Every Nth message received is delivered a second time, to the next receive (a concurrent or
     * later one), with its own receipt handle. Messages of one receive always come out of order.
     */
    duplicateEvery: number;
  };
  lambda: {
    /** A function stays Pending (created) or InProgress (updated) this long; Invoke answers 409 meanwhile. */
    pendingMs: number;
    /** Every Nth Invoke is refused with TooManyRequestsException (the function did not run). */
    throttleEvery: number;
    /** Every Nth RequestResponse Invoke runs the function, then resets the connection instead of answering. */
    resetAfterRunEvery: number;
    /** The account's code storage (Lambda's 75 GB); past it CreateFunction/UpdateFunctionCode answer CodeStorageExceededException. */
    codeStorageBytes: number;
  };
  gateway: {
    /** API Gateway's REST API serves everything under `/{stage}`. */
    stage: string;
  };
  logs: {
    /** FilterLogEvents requests per second, account-wide; past it ThrottlingException. */
    filterLogEventsPerSecond: number;
    /** Every Nth CreateLogGroup answers OperationAbortedException. */
    abortCreateLogGroupEvery: number;
  };
}

export type Fidelity = { mode: 'local' } | ({ mode: 'aws' } & AwsFidelity);

export const LOCAL_FIDELITY: Fidelity = { mode: 'local' };

/**
 * The AWS-faithful defaults: what AWS does under ordinary load. Throttles and connection resets are
 * rare on AWS, so they are off here and forced by the tests that need them.
 */
export const AWS_FIDELITY_DEFAULTS: AwsFidelity = {
  dynamodb: { staleReadMs: 150 },
  sqs: { duplicateEvery: 3 },
  lambda: { pendingMs: 400, throttleEvery: 0, resetAfterRunEvery: 0, codeStorageBytes: 75 * 1024 ** 3 },
  gateway: { stage: 'dev' },
  logs: { filterLogEventsPerSecond: 5, abortCreateLogGroupEvery: 3 },
};

export type AwsFidelityOverrides = { [K in keyof AwsFidelity]?: Partial<AwsFidelity[K]> };

/** The AWS-faithful mode, with some numbers changed (a test forcing one behaviour). */
export function awsFidelity(overrides: AwsFidelityOverrides = {}): Fidelity {
  const d = AWS_FIDELITY_DEFAULTS;
  return {
    mode: 'aws',
    dynamodb: { ...d.dynamodb, ...overrides.dynamodb },
    sqs: { ...d.sqs, ...overrides.sqs },
    lambda: { ...d.lambda, ...overrides.lambda },
    gateway: { ...d.gateway, ...overrides.gateway },
    logs: { ...d.logs, ...overrides.logs },
  };
}

/** Reads HOOKCHAIN_FIDELITY (`local` or `aws`; unset is `local`). */
export function fidelityFromEnv(env: Record<string, string | undefined>): Fidelity {
  const value = env.HOOKCHAIN_FIDELITY ?? 'local';
  if (value === 'local' || value === '') return LOCAL_FIDELITY;
  if (value === 'aws') return awsFidelity();
  throw new Error(`HOOKCHAIN_FIDELITY must be 'local' or 'aws', got '${value}'`);
}

/** The AWS-faithful settings of one service, or undefined in the local mode. */
export function awsBehaviour<K extends keyof AwsFidelity>(
  fidelity: Fidelity,
  service: K,
): AwsFidelity[K] | undefined {
  return fidelity.mode === 'aws' ? fidelity[service] : undefined;
}

/** An "every Nth" counter: true on the Nth, 2Nth... call; never when N is 0. */
export function everyNth(n: number): () => boolean {
  let count = 0;
  return () => n > 0 && ++count % n === 0;
}
