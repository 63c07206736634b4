/**
 * The handler of every action-version Lambda: the runtime wrapper esbuild bundles around the
 * tenant's code. The bundler provides `hookchain:action`, the action's CommonJS module, which is
 * required lazily so top-level code runs on the first execution, once per warm instance.
 * The whole process belongs to this one action version, so the global console is the capturing
 * one: output from the action and its dependencies lands in the execution's logs.
 */
import loadAction from 'hookchain:action';
import { getTriggerApi } from '../triggers/api/registry.ts';
import { lazyModule } from './action-module.ts';
import { createActionConsole } from './console-capture.ts';
import { toActionError } from './errors.ts';
import { executeAction } from './execute-action.ts';
import { invocationProblems } from './invocation.ts';
import { installModuleActions } from './module-context.ts';
import type { ActionInvocation, ActionInvocationResult } from './protocol.ts';

globalThis.console = createActionConsole(globalThis.console);
installModuleActions();

const action = lazyModule(() => loadAction() as Record<string, unknown>);

/** A warm-up call made once before a new version takes traffic: loads nothing, answers at once. */
export interface WarmUp {
  warmup: true;
}

export async function handler(
  request: ActionInvocation | WarmUp,
): Promise<ActionInvocationResult | { warm: true }> {
  if ((request as WarmUp).warmup === true) return { warm: true };
  const problems = invocationProblems(request);
  if (problems.length > 0) {
    return {
      commands: [],
      cache_ops: [],
      logs: [],
      error: toActionError(new TypeError(`Malformed invocation: ${problems.join('; ')}`), 'platform_error'),
      stats: { boot_ms: 0, duration_ms: 0 },
    };
  }
  const invocation = request as ActionInvocation;
  // The runtime parsed this request for this call alone: its event needs no copy.
  return executeAction({
    trigger: getTriggerApi(invocation.trigger),
    module: action,
    invocation,
    ownsInvocation: true,
  });
}
