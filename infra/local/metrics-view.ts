/**
 * The local stack's stand-in for CloudWatch metrics: the platform's functions publish here the same
 * EMF documents they print on Lambda, and this view aggregates them per metric and dimension set,
 * as CloudWatch would, for `GET /metrics` on the local origin. Duration-like values keep their
 * most recent samples, so the view can give percentiles without growing without bound.
 */
import type { EmfOutput } from '../../shared/aws/emf-metrics.ts';

/** Samples kept per series for its percentiles. */
const MAX_SAMPLES = 1_000;

export interface MetricSeries {
  namespace: string;
  name: string;
  unit: string;
  dimensions: Record<string, string>;
  /** Observations since the stack started. */
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Over the most recent samples (at most 1,000). */
  p50: number;
  p90: number;
  p99: number;
}

/** A series as kept: its percentiles are worked out from the samples when asked. */
type Series = Omit<MetricSeries, 'p50' | 'p90' | 'p99'> & {
  /** A ring of the most recent samples (their order does not matter to percentiles). */
  samples: number[];
  /** Where the next sample goes once the ring is full. */
  next: number;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export class MetricsView {
  readonly #series = new Map<string, Series>();

  /** Takes one EMF document: each metric under each of its dimension sets. */
  readonly publish = (emf: EmfOutput): void => {
    for (const directive of emf._aws.CloudWatchMetrics) {
      for (const keys of directive.Dimensions) {
        const dimensions = Object.fromEntries(keys.map((key) => [key, String(emf[key] ?? '')]));
        // Once per dimension set, not per metric: the dispatcher publishes a document per action run.
        const dimensionsKey = JSON.stringify([directive.Namespace, Object.entries(dimensions).sort()]);
        for (const metric of directive.Metrics) {
          const raw = emf[metric.Name];
          const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number');
          for (const value of values)
            this.#add(dimensionsKey, directive.Namespace, metric.Name, metric.Unit, dimensions, value);
        }
      }
    }
  };

  #add(
    dimensionsKey: string,
    namespace: string,
    name: string,
    unit: string,
    dimensions: Record<string, string>,
    value: number,
  ) {
    const key = `${name}\u0000${dimensionsKey}`;
    let series = this.#series.get(key);
    if (!series) {
      series = {
        namespace,
        name,
        unit,
        dimensions,
        count: 0,
        sum: 0,
        min: value,
        max: value,
        samples: [],
        next: 0,
      };
      this.#series.set(key, series);
    }
    series.count += 1;
    series.sum += value;
    series.min = Math.min(series.min, value);
    series.max = Math.max(series.max, value);
    if (series.samples.length < MAX_SAMPLES) series.samples.push(value);
    else {
      series.samples[series.next] = value;
      series.next = (series.next + 1) % MAX_SAMPLES;
    }
  }

  /** Every series, by metric name, then dimensions. */
  snapshot(): MetricSeries[] {
    return [...this.#series.values()]
      .map(({ samples, next: _next, ...series }) => {
        const sorted = [...samples].sort((a, b) => a - b);
        return {
          ...series,
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
        };
      })
      .sort(
        (a, b) =>
          a.name.localeCompare(b.name) ||
          JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)),
      );
  }
}
