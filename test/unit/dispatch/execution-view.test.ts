/** An execution as GET /api/v2/actions/executions/{id} shows it (shared/dispatch/execution-view.ts). */
import { describe, expect, it } from 'vitest';
import { executionView } from '../../../shared/dispatch/execution-view.ts';
import type { ExecutionRecord, ExecutionResult } from '../../../shared/model/executions.ts';

const result = (changes: Partial<ExecutionResult> = {}): ExecutionResult => ({
  action_id: 'act-1',
  action_name: 'greeter',
  version_id: 'act-1-v2',
  entrypoint: 'onExecutePostLogin',
  error: null,
  started_at: '2026-12-02T20:00:00.000Z',
  ended_at: '2026-12-02T20:00:00.013Z',
  duration_ms: 12.6,
  stats: { boot_ms: 3.4, duration_ms: 8.5 },
  ...changes,
});

const record = (changes: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  tenant_id: 'tenant-a',
  id: 'exec-1',
  trigger_id: 'post-login',
  status: 'final',
  results: [result()],
  created_at: '2026-12-02T20:00:00.000Z',
  updated_at: '2026-12-02T20:00:00.020Z',
  expires_at: 1_800_000_000,
  ...changes,
});

describe('an execution shown', () => {
  it('has Auth0’s shape: each result’s action, version and whole-millisecond stats, no tenant or expiry', () => {
    expect(executionView(record())).toEqual({
      id: 'exec-1',
      trigger_id: 'post-login',
      status: 'final',
      results: [
        {
          action_name: 'greeter',
          action_id: 'act-1',
          version_id: 'act-1-v2',
          error: null,
          started_at: '2026-12-02T20:00:00.000Z',
          ended_at: '2026-12-02T20:00:00.013Z',
          response: {
            stats: { action_duration_ms: 9, boot_duration_ms: 3, total_request_duration_ms: 13 },
          },
        },
      ],
      created_at: '2026-12-02T20:00:00.000Z',
      updated_at: '2026-12-02T20:00:00.020Z',
    });
  });

  it('names a failed result’s error class as Auth0’s error id, and its error in the response', () => {
    const failed = result({ error: { class: 'action_error', name: 'TypeError', message: 'x is undefined' } });

    const [shown] = executionView(record({ status: 'failed', results: [failed] })).results;

    expect(shown?.error).toEqual({ id: 'action_error', msg: 'x is undefined', url: '' });
    expect(shown?.response.error).toEqual({ name: 'TypeError', message: 'x is undefined' });
  });

  it('shows an async execution’s delivery attempts once there were any', () => {
    expect(executionView(record({ status: 'pending', results: [], attempts: 0 }))).not.toHaveProperty(
      'attempts',
    );
    expect(executionView(record({ status: 'pending', results: [], attempts: 2 })).attempts).toBe(2);
  });
});
