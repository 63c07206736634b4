/** A chain's runs as the tenant's log events (shared/dispatch/action-run-logs.ts). */
import { describe, expect, it } from 'vitest';
import { actionRunLogs } from '../../../shared/dispatch/action-run-logs.ts';
import type { ActionExecution } from '../../../shared/flow/types.ts';

const STARTED = Date.UTC(2026, 11, 2, 20, 0, 0);

function run(changes: Partial<ActionExecution> = {}): ActionExecution {
  return {
    action_id: 'act-1',
    action_name: 'greeter',
    version_id: 'act-1-v3',
    entrypoint: 'onExecutePostLogin',
    started_at: STARTED,
    ended_at: STARTED + 12,
    duration_ms: 12.4,
    commands: [],
    logs: [{ level: 'log', message: 'hello', at: STARTED + 5 }],
    error: null,
    stats: { boot_ms: 0, duration_ms: 10 },
    ...changes,
  };
}

describe('the tenant log events of a chain', () => {
  it('are one per action run, tagged with tenant, trigger, execution, action and version, carrying its console output', () => {
    const [event] = actionRunLogs('tenant-a', 'post-login', 'exec-1', [run()]);

    expect(event).toEqual({
      tenant_id: 'tenant-a',
      trigger_id: 'post-login',
      execution_id: 'exec-1',
      action_id: 'act-1',
      action_name: 'greeter',
      version_id: 'act-1-v3',
      entrypoint: 'onExecutePostLogin',
      level: 'info',
      message: 'greeter ran in 12 ms',
      duration_ms: 12.4,
      logs: [{ level: 'log', message: 'hello', at: new Date(STARTED + 5).toISOString() }],
      timestamp: STARTED,
    });
  });

  it('are errors for failed runs, naming the error class, without its stack', () => {
    const failed = run({
      error: { class: 'action_timeout', name: 'TimeoutError', message: 'took too long', stack: 'at greeter' },
    });

    const [event] = actionRunLogs('tenant-a', 'post-login', 'exec-1', [failed]);

    expect(event).toMatchObject({
      level: 'error',
      message: 'greeter failed (action_timeout): took too long',
      error: { class: 'action_timeout', name: 'TimeoutError', message: 'took too long' },
    });
  });

  it('leave the version out for a run that has none (the testing kit’s), and are none for no runs', () => {
    const { version_id: _none, ...unversioned } = run();

    expect(actionRunLogs('tenant-a', 'post-login', 'exec-1', [unversioned])[0]).not.toHaveProperty(
      'version_id',
    );
    expect(actionRunLogs('tenant-a', 'post-login', 'exec-1', [])).toEqual([]);
  });
});
