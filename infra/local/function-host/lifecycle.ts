/**
 * Lambda's function states, imitated in the AWS-faithful mode: a function just created stays
 * `Pending` and a function just updated stays `LastUpdateStatus: InProgress` for a while (seconds on
 * AWS). Meanwhile Invoke of a Pending function and any further code or configuration update answer
 * 409 `ResourceConflictException` with Lambda's own messages, and the SDK's waiters
 * (waitUntilFunctionActiveV2 / waitUntilFunctionUpdatedV2) see what they see on AWS. An update in
 * progress does not stop Invoke: Lambda keeps running the previous code until it lands.
 */
import { AwsApiError } from '../aws-error.ts';
import type { FunctionConfiguration } from './function-config.ts';

type Transition = { kind: 'create' | 'update'; until: number };

export class FunctionStates {
  private readonly transitions = new Map<string, Transition>();

  /** `pendingMs` 0 (the local mode) makes every function Active and Successful at once. */
  constructor(
    private readonly pendingMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  created(name: string): void {
    this.begin(name, 'create');
  }

  updated(name: string): void {
    this.begin(name, 'update');
  }

  deleted(name: string): void {
    this.transitions.delete(name);
  }

  /** The configuration as GetFunction / GetFunctionConfiguration answer it right now. */
  view(configuration: FunctionConfiguration): FunctionConfiguration {
    const transition = this.current(configuration.FunctionName);
    if (!transition) return configuration;
    if (transition.kind === 'create') {
      return {
        ...configuration,
        State: 'Pending',
        StateReason: 'The function is being created.',
        StateReasonCode: 'Creating',
        LastUpdateStatus: 'InProgress',
        LastUpdateStatusReason: 'The function is being created.',
        LastUpdateStatusReasonCode: 'Creating',
      };
    }
    return {
      ...configuration,
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: 'The function is being updated.',
      LastUpdateStatusReasonCode: 'InProgress',
    };
  }

  /** Invoke: a function that is still being created cannot run. */
  checkInvoke(name: string): void {
    if (this.current(name)?.kind === 'create') throw pendingConflict();
  }

  /** UpdateFunctionCode / UpdateFunctionConfiguration: one change at a time, and none while Pending. */
  checkUpdate(configuration: FunctionConfiguration): void {
    const transition = this.current(configuration.FunctionName);
    if (transition?.kind === 'create') throw pendingConflict();
    if (transition) {
      throw new AwsApiError(
        'ResourceConflictException',
        409,
        `The operation cannot be performed at this time. An update is in progress for resource: ${configuration.FunctionArn}`,
      );
    }
  }

  private begin(name: string, kind: Transition['kind']): void {
    if (this.pendingMs > 0) this.transitions.set(name, { kind, until: this.now() + this.pendingMs });
  }

  private current(name: string): Transition | undefined {
    const transition = this.transitions.get(name);
    if (transition && this.now() >= transition.until) {
      this.transitions.delete(name);
      return undefined;
    }
    return transition;
  }
}

function pendingConflict(): AwsApiError {
  return new AwsApiError(
    'ResourceConflictException',
    409,
    'The operation cannot be performed at this time. The function is currently in the following state: Pending',
  );
}
