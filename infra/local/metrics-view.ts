/**
 * The local stack's stand-in for CloudWatch metrics: the platform's functions publish here the same
 * EMF documents they print on Lambda, and this view aggregates them per metric and dimension set,
 * as CloudWatch would, for `GET /metrics` on the local origin. Duration-like values keep their
 * most recent samples, so the view can give percentiles without growing without bound.
 */
import type { EmfOutput } from '../../shared/metrics.ts';

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
type Series = Omit<MetricSeries, 'p50' | 'p90' | 'p99'> & { samples: number[] };

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
        for (const metric of directive.Metrics) {
          const raw = emf[metric.Name];
          const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is number => typeof v === 'number');
          for (const value of values)
            this.#add(directive.Namespace, metric.Name, metric.Unit, dimensions, value);
        }
      }
    }
  };

  #add(namespace: string, name: string, unit: string, dimensions: Record<string, string>, value: number) {
    const key = JSON.stringify([namespace, name, Object.entries(dimensions).sort()]);
    let series = this.#series.get(key);
    if (!series) {
      series = { namespace, name, unit, dimensions, count: 0, sum: 0, min: value, max: value, samples: [] };
      this.#series.set(key, series);
    }
    series.count += 1;
    series.sum += value;
    series.min = Math.min(series.min, value);
    series.max = Math.max(series.max, value);
    series.samples.push(value);
    if (series.samples.length > MAX_SAMPLES) series.samples.shift();
  }

  /** Every series, by metric name, then dimensions. */
  snapshot(): MetricSeries[] {
    return [...this.#series.values()]
      .map(({ samples, ...series }) => {
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
