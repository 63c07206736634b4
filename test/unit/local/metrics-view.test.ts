import { describe, expect, it } from 'vitest';
import { MetricsView } from '../../../infra/local/metrics-view.ts';
import { createMetrics } from '../../../shared/aws/emf-metrics.ts';

describe('the local metrics view', () => {
  it('aggregates the EMF the platform publishes per metric and dimensions, with percentiles', () => {
    const view = new MetricsView();
    const metrics = createMetrics({ serviceName: 'hookchain', publish: view.publish });
    const run = (action_name: string, duration_ms: number) => ({
      action_id: action_name,
      action_name,
      entrypoint: 'onExecutePostLogin',
      started_at: 0,
      ended_at: duration_ms,
      duration_ms,
      commands: [],
      logs: [],
      error: null,
      stats: { boot_ms: 0, duration_ms },
    });
    for (let ms = 1; ms <= 100; ms++) metrics.actionRuns('acme', 'post-login', [run('gate', ms)]);
    metrics.actionRuns('acme', 'post-login', [run('audit', 7)]);

    const dimensions = { service: 'hookchain', Tenant: 'acme', Trigger: 'post-login', Action: 'gate' };
    expect(view.snapshot()).toEqual([
      expect.objectContaining({ name: 'ActionDuration', dimensions: { ...dimensions, Action: 'audit' } }),
      {
        namespace: 'Hookchain',
        name: 'ActionDuration',
        unit: 'Milliseconds',
        dimensions,
        count: 100,
        sum: 5050,
        min: 1,
        max: 100,
        p50: 50,
        p90: 90,
        p99: 99,
      },
      expect.objectContaining({ name: 'ActionExecutions', count: 1, sum: 1 }),
      expect.objectContaining({ name: 'ActionExecutions', dimensions, count: 100, sum: 100 }),
    ]);
  });

  it('keeps the most recent 1,000 samples of a series for its percentiles, and counts them all', () => {
    const view = new MetricsView();
    const metrics = createMetrics({ serviceName: 'hookchain', publish: view.publish });
    const run = (duration_ms: number) => ({
      action_id: 'gate',
      action_name: 'gate',
      entrypoint: 'onExecutePostLogin',
      started_at: 0,
      ended_at: duration_ms,
      duration_ms,
      commands: [],
      logs: [],
      error: null,
      stats: { boot_ms: 0, duration_ms },
    });
    for (let ms = 1; ms <= 1_500; ms++) metrics.actionRuns('acme', 'post-login', [run(ms)]);
    const duration = view.snapshot().find((series) => series.name === 'ActionDuration');
    expect(duration).toMatchObject({ count: 1_500, min: 1, max: 1_500, p50: 1_000, p90: 1_400, p99: 1_490 });
  });
});
