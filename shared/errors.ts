/**
 * Hookchain's one error family. Every error the platform raises on purpose is a HookchainError
 * with a stable `code`; the HTTP layer maps them to Auth0's error body in one place.
 */
export class HookchainError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An `api.*` method was called with arguments Auth0 would reject. Thrown inside the action. */
export class InvalidApiCallError extends HookchainError {
  constructor(message: string) {
    super('invalid_api_call', message);
    this.name = 'TypeError';
  }
}

/** An event failed the trigger's schema. `issues` lists every offending field. */
export class InvalidEventError extends HookchainError {
  readonly issues: string[];
  constructor(trigger: string, issues: string[]) {
    super('invalid_event', `Invalid ${trigger} event: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** The trigger id is not one Hookchain knows. */
export class UnknownTriggerError extends HookchainError {
  constructor(trigger: string) {
    super('unknown_trigger', `Unknown trigger '${trigger}'.`);
  }
}

/** A suspended chain's state is malformed, expired, forged or already used. */
export class InvalidContinueStateError extends HookchainError {
  constructor(message: string) {
    super('invalid_state', message);
  }
}
