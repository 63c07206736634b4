/**
 * Why a build failed. A BuildFailedError is the tenant's to fix (bad code, unknown package, native
 * module, limits): the draft goes to `failed` with these errors, in Auth0's `{id, msg, url}` shape.
 * A RegistryUnavailableError is ours (the registry could not be reached): the build may be retried.
 */
import { HookchainError } from '../errors.ts';

export interface BuildErrorDetail {
  id: string;
  msg: string;
  url?: string;
}

export class BuildFailedError extends HookchainError {
  readonly errors: BuildErrorDetail[];
  constructor(errors: BuildErrorDetail[]) {
    super('build_failed', errors.map((e) => e.msg).join('\n'));
    this.errors = errors;
  }

  static of(id: string, msg: string): BuildFailedError {
    return new BuildFailedError([{ id, msg }]);
  }
}

export class RegistryUnavailableError extends HookchainError {
  constructor(registry: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('registry_unavailable', `The npm registry ${registry} could not be reached: ${reason}`, { cause });
  }
}
