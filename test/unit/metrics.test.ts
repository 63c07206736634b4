import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics, METRICS_NAMESPACE } from '../../shared/metrics.ts';

afterEach(() => vi.restoreAllMocks());

function stdoutLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe('platform metrics', () => {
  it('on Lambda, prints each count at once as one EMF line in the Hookchain namespace', () => {
    const lines = stdoutLines();
    const metrics = createMetrics({ serviceName: 'hookchain-dispatcher', emf: true });
    metrics.count('TenantLogWriteFailed');
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0] ?? '{}');
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Metrics: [{ Name: 'TenantLogWriteFailed', Unit: 'Count' }],
    });
    expect(emf).toMatchObject({ TenantLogWriteFailed: 1, service: 'hookchain-dispatcher' });
  });

  it('off Lambda (the local stack, tests), prints nothing and keeps the counts in memory', () => {
    const lines = stdoutLines();
    const metrics = createMetrics({}, {});
    metrics.count('TenantLogWriteFailed');
    metrics.count('TenantLogWriteFailed');
    expect(lines).toEqual([]);
    expect(metrics.counts().get('TenantLogWriteFailed')).toBe(2);
  });
});
