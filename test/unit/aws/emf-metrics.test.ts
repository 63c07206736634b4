import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createMetrics,
  type EmfOutput,
  METRICS_NAMESPACE,
  stdoutEmf,
} from '../../../shared/aws/emf-metrics.ts';
import type { ActionExecution } from '../../../shared/flow/types.ts';

afterEach(() => vi.restoreAllMocks());

function published() {
  const documents: EmfOutput[] = [];
  return { documents, publish: (emf: EmfOutput) => void documents.push(emf) };
}

const run = (
  action_name: string,
  duration_ms: number,
  error?: ActionExecution['error'],
): ActionExecution => ({
  action_id: `id-${action_name}`,
  action_name,
  entrypoint: 'onExecutePostLogin',
  started_at: 0,
  ended_at: duration_ms,
  duration_ms,
  commands: [],
  logs: [],
  error: error ?? null,
  stats: { boot_ms: 0, duration_ms },
});

describe('platform metrics', () => {
  it('publishes each count at once as one EMF document in the Hookchain namespace', () => {
    const { documents, publish } = published();
    const metrics = createMetrics({ serviceName: 'hookchain-dispatcher', publish });
    metrics.count('TenantLogWriteFailed');
    expect(documents).toHaveLength(1);
    expect(documents[0]?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Metrics: [{ Name: 'TenantLogWriteFailed', Unit: 'Count' }],
    });
    expect(documents[0]).toMatchObject({ TenantLogWriteFailed: 1, service: 'hookchain-dispatcher' });
  });

  it('emits per action run its execution and duration, and an error by class, under tenant, trigger and action', () => {
    const { documents, publish } = published();
    const metrics = createMetrics({ serviceName: 'hookchain-async-worker', publish });
    metrics.actionRuns('acme', 'post-login', [
      run('allow', 12),
      run('slow', 5_000, { class: 'action_timeout', name: 'TimeoutError', message: 'timed out' }),
    ]);
    expect(documents).toHaveLength(3);
    const [allow, slow, slowError] = documents;
    expect(allow?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      ['service', 'Tenant', 'Trigger', 'Action'],
    ]);
    expect(allow).toMatchObject({
      Tenant: 'acme',
      Trigger: 'post-login',
      Action: 'allow',
      ActionExecutions: 1,
      ActionDuration: 12,
    });
    expect(slow).toMatchObject({ Action: 'slow', ActionExecutions: 1, ActionDuration: 5_000 });
    expect(slow).not.toHaveProperty('ActionErrors');
    expect(slowError?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'ActionErrors', Unit: 'Count' }]);
    expect(slowError).toMatchObject({ Action: 'slow', ErrorClass: 'action_timeout', ActionErrors: 1 });
    // Each document carries only its own dimensions: nothing leaks into the next.
    expect(allow).not.toHaveProperty('ErrorClass');
  });

  it('with no publisher (a bare test), publishes nothing and keeps the counts and readings in memory', () => {
    const metrics = createMetrics({ serviceName: 'hookchain' });
    metrics.count('TenantLogWriteFailed');
    metrics.count('TenantLogWriteFailed');
    metrics.record('LambdaCodeStorageUsedPercent', 'Percent', 0.5);
    expect(metrics.counts().get('TenantLogWriteFailed')).toBe(2);
    expect(metrics.readings().get('LambdaCodeStorageUsedPercent')).toBe(0.5);
  });

  it('on Lambda, prints each document as one bare JSON line on stdout', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    createMetrics({ serviceName: 'hookchain-builder', publish: stdoutEmf }).count('TenantLogWriteFailed');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      TenantLogWriteFailed: 1,
      service: 'hookchain-builder',
    });
  });
});
