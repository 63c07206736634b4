/**
 * The platform's own metrics, as CloudWatch EMF through Powertools: namespace `Hookchain`, one
 * service per function (POWERTOOLS_SERVICE_NAME, set per function by the CDK stack). On Lambda each
 * count is one EMF line on stdout, which CloudWatch turns into a metric with no API call; anywhere
 * else (the local stack, tests) nothing is printed and the counts stay in memory, read with
 * `counts()`, so a test can see a metric and `npm start` does not flood its terminal.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'Hookchain';

/** Every metric the platform emits, so a dashboard or an alarm can be written against the list. */
export type MetricName =
  /** A tenant log write failed; the trigger answered anyway (shared/dispatch/dispatcher.ts). */
  | 'TenantLogWriteFailed'
  /** How full the account's Lambda code storage is, after each build (functions/builder/handler.ts). */
  | 'LambdaCodeStorageUsedPercent';

export interface PlatformMetrics {
  /** Counts one occurrence, published at once (no handler middleware needs to flush it). */
  count(name: MetricName, dimensions?: Record<string, string>): void;
  /** Records one reading (a gauge), published at once. */
  record(
    name: MetricName,
    unit: 'Percent' | 'Count',
    value: number,
    dimensions?: Record<string, string>,
  ): void;
  /** What this container counted so far. */
  counts(): ReadonlyMap<MetricName, number>;
  /** The last reading of each gauge in this container. */
  readings(): ReadonlyMap<MetricName, number>;
}

export interface MetricsOptions {
  /** The service dimension; Powertools reads POWERTOOLS_SERVICE_NAME without it. */
  serviceName?: string;
  /** Print EMF lines; by default only on Lambda, where CloudWatch reads them. */
  emf?: boolean;
}

export function createMetrics(
  options: MetricsOptions = {},
  env: Record<string, string | undefined> = process.env,
): PlatformMetrics {
  const emf = options.emf ?? env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
  });
  const totals = new Map<MetricName, number>();
  const last = new Map<MetricName, number>();
  const publish = (
    name: MetricName,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
    value: number,
    dimensions: Record<string, string>,
  ) => {
    if (!emf) return;
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, unit, value);
  };
  return {
    count(name, dimensions = {}) {
      totals.set(name, (totals.get(name) ?? 0) + 1);
      publish(name, MetricUnit.Count, 1, dimensions);
    },
    record(name, unit, value, dimensions = {}) {
      last.set(name, value);
      publish(name, unit === 'Percent' ? MetricUnit.Percent : MetricUnit.Count, value, dimensions);
    },
    counts: () => totals,
    readings: () => last,
  };
}
