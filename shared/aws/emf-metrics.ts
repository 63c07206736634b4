/**
 * The platform's own metrics, as CloudWatch EMF built by Powertools: namespace `Hookchain`, one
 * service per function (its configured service name). Each observation is serialised at once into
 * one EMF document and handed to a publisher: on Lambda a line on stdout, which CloudWatch turns
 * into metrics with no API call; on the local stack its metrics view (infra/local/metrics-view.ts,
 * `GET /metrics`); nowhere in a bare test. Whatever the publisher, this container's counts and last
 * readings stay readable (`counts()`, `readings()`).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import type { MetricName, PlatformMetrics } from '../ports/metrics.ts';

export const METRICS_NAMESPACE = 'Hookchain';

export type { EmfOutput };

/** Where EMF documents go. */
export type EmfPublisher = (emf: EmfOutput) => void;

/** Prints each document as one line on stdout, where Lambda's log agent hands it to CloudWatch. */
export const stdoutEmf: EmfPublisher = (emf) => {
  // Not console.log: Lambda prefixes its lines (time, request id), which EMF does not parse.
  process.stdout.write(`${JSON.stringify(emf)}\n`);
};

export interface MetricsOptions {
  /** The service dimension (HookchainConfig.serviceName). */
  serviceName: string;
  /** Where each EMF document goes; none: only this container's counts are kept. */
  publish?: EmfPublisher;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

export function createMetrics({ serviceName, publish }: MetricsOptions): PlatformMetrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  const totals = new Map<MetricName, number>();
  const last = new Map<MetricName, number>();
  /** One EMF document: these values under one set of dimensions. Synchronous, so never interleaved. */
  const emit = (values: Array<[MetricName, Unit, number]>, dimensions: Record<string, string>) => {
    for (const [name] of values) totals.set(name, (totals.get(name) ?? 0) + 1);
    if (!publish) return;
    for (const [key, value] of Object.entries(dimensions)) metrics.addDimension(key, value);
    for (const [name, unit, value] of values) metrics.addMetric(name, unit, value);
    const emf = metrics.serializeMetrics();
    metrics.clearMetrics();
    metrics.clearDimensions();
    publish(emf);
  };
  return {
    count(name, dimensions = {}) {
      emit([[name, MetricUnit.Count, 1]], dimensions);
    },
    record(name, unit, value, dimensions = {}) {
      last.set(name, value);
      emit([[name, unit === 'Percent' ? MetricUnit.Percent : MetricUnit.Count, value]], dimensions);
    },
    actionRuns(tenantId, triggerId, runs) {
      for (const run of runs) {
        const action = { Tenant: tenantId, Trigger: triggerId, Action: run.action_name };
        emit(
          [
            ['ActionExecutions', MetricUnit.Count, 1],
            ['ActionDuration', MetricUnit.Milliseconds, run.duration_ms],
          ],
          action,
        );
        if (run.error)
          emit([['ActionErrors', MetricUnit.Count, 1]], { ...action, ErrorClass: run.error.class });
      }
    },
    counts: () => totals,
    readings: () => last,
  };
}
