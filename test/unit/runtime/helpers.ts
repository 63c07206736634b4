/** Runs action source through the real runtime, one execution at a time, on a fixed clock. */
import {
  type ActionModule,
  type ActionRequire,
  moduleFromSource,
} from '../../../shared/runtime/action-module.ts';
import { executeAction } from '../../../shared/runtime/execute-action.ts';
import type { ActionInvocation } from '../../../shared/runtime/protocol.ts';
import { postLogin } from '../../../shared/triggers/post-login.ts';

export const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

export function invocation(overrides: Partial<ActionInvocation> = {}): ActionInvocation {
  const { secrets: _secrets, configuration: _configuration, ...event } = postLogin.sampleEvent();
  return {
    trigger: 'post-login',
    entrypoint: 'onExecutePostLogin',
    event,
    secrets: {},
    configuration: {},
    cache: {},
    deadline_ms: 5_000,
    execution_id: '01JDQ4Z5C2W9T3V8R6N1M0K7XY',
    ...overrides,
  };
}

export function sourceModule(code: string, require?: ActionRequire): ActionModule {
  return moduleFromSource({ code, filename: '/actions/spec-action.js', ...(require ? { require } : {}) });
}

/** One execution of `module` (or of fresh source) with the given invocation overrides. */
export function execute(
  module: ActionModule | string,
  overrides: Partial<ActionInvocation> = {},
  now: () => number = () => NOW,
) {
  return executeAction({
    trigger: postLogin,
    module: typeof module === 'string' ? sourceModule(module) : module,
    invocation: invocation(overrides),
    now,
  });
}
