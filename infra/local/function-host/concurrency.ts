/**
 * Lambda's reserved concurrency, locally: PutFunctionConcurrency caps how many invocations of one
 * function run at once, and past the cap a synchronous Invoke is refused with 429
 * `TooManyRequestsException`, as Lambda does. A cap of 0 throttles every invocation (what the
 * Lambda console's "Throttle" button sets); DeleteFunctionConcurrency lifts the cap. Kept in
 * memory: a restarted host starts unthrottled.
 */
import { z } from 'zod';
import { AwsApiError } from '../aws-error.ts';

export const putConcurrencyInput = z.object({
  ReservedConcurrentExecutions: z.number().int().min(0).max(1000),
});

/** Lambda's throttle: 429 with a `Reason` saying which limit was hit; the function did not run. */
export class LambdaThrottle extends AwsApiError {
  constructor(readonly reason: string) {
    super('TooManyRequestsException', 429, 'Rate Exceeded.');
  }
}

export class ReservedConcurrency {
  private readonly reserved = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();

  put(functionName: string, limit: number): void {
    this.reserved.set(functionName, limit);
  }

  get(functionName: string): number | undefined {
    return this.reserved.get(functionName);
  }

  delete(functionName: string): void {
    this.reserved.delete(functionName);
  }

  /** What all reservations together take from the account's concurrency. */
  totalReserved(): number {
    let total = 0;
    for (const limit of this.reserved.values()) total += limit;
    return total;
  }

  /** Runs `invoke` inside the function's reservation, or throws Lambda's throttle when it is full. */
  async run<T>(functionName: string, invoke: () => Promise<T>): Promise<T> {
    const limit = this.reserved.get(functionName);
    const running = this.inFlight.get(functionName) ?? 0;
    if (limit !== undefined && running >= limit) {
      throw new LambdaThrottle('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    this.inFlight.set(functionName, running + 1);
    try {
      return await invoke();
    } finally {
      const left = (this.inFlight.get(functionName) ?? 1) - 1;
      if (left > 0) this.inFlight.set(functionName, left);
      else this.inFlight.delete(functionName);
    }
  }
}
