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

/**
 * An `api.*` method was called with arguments Auth0 would reject. Thrown inside the action, so it
 * is a real TypeError (action code may test `instanceof TypeError`), not a HookchainError.
 */
export class InvalidApiCallError extends TypeError {
  readonly code = 'invalid_api_call';
  constructor(message: string) {
    super(message);
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

/** Malformed or invalid input: a 400 with the offending fields named. */
export class ValidationError extends HookchainError {
  constructor(message: string, code = 'invalid_body') {
    super(code, message);
  }
}

/** No credentials, or credentials Hookchain does not know: a 401. */
export class UnauthorizedError extends HookchainError {
  constructor(message = 'Missing or invalid bearer token.', code = 'invalid_token') {
    super(code, message);
  }
}

/** The token is valid but lacks a scope: a 403 with Auth0's `insufficient_scope`. */
export class InsufficientScopeError extends HookchainError {
  constructor(readonly required: readonly string[]) {
    super('insufficient_scope', `Insufficient scope, expected any of: ${required.join(',')}`);
  }
}

/** The entity does not exist for this tenant (other tenants' ids answer the same). */
export class NotFoundError extends HookchainError {
  constructor(message: string, code = 'not_found') {
    super(code, message);
  }
}

/** The request conflicts with the current state, e.g. deleting a bound action. */
export class ConflictError extends HookchainError {
  constructor(message: string, code = 'conflict') {
    super(code, message);
  }
}

/** A documented limit would be exceeded (actions per tenant, bindings per trigger, ...). */
export class LimitExceededError extends HookchainError {
  constructor(message: string) {
    super('limit_exceeded', message);
  }
}

/** A concurrent writer changed the item first; safe to retry from a fresh read. */
export class ConcurrentModificationError extends HookchainError {
  constructor(message = 'The resource was modified concurrently; retry the request.') {
    super('concurrent_modification', message);
  }
}

/**
 * A service the platform depends on (DynamoDB, SQS, KMS, Lambda, CloudWatch Logs) is unreachable,
 * throttling or failing for now: a 503 the caller may retry, not a bug.
 */
export class ServiceUnavailableError extends HookchainError {
  constructor(
    message = 'A platform service is temporarily unavailable; retry the request in a few seconds.',
    options?: ErrorOptions,
  ) {
    super('service_unavailable', message, options);
  }
}
