/**
 * The platform's own metrics (not the tenants'): counts and readings, published as they happen.
 * One adapter: CloudWatch EMF built by Powertools (shared/aws/emf-metrics.ts), whose documents go
 * to stdout on Lambda, to the local `GET /metrics` view on the local stack, or nowhere (then only
 * this container's counts are kept, which is what unit tests read).
 */
import type { ActionExecution } from '../flow/types.ts';

/** Every metric the platform emits, so a dashboard or an alarm can be written against the list. */
export type MetricName =
  /** A tenant log write failed; the trigger answered anyway (shared/dispatch/dispatcher.ts). */
  | 'TenantLogWriteFailed'
  /** How full the account's Lambda code storage is, after each build (functions/builder/handler.ts). */
  | 'LambdaCodeStorageUsedPercent'
  /** One run of an action in a chain, sync or async (dimensions Tenant, Trigger, Action). */
  | 'ActionExecutions'
  /** How long that run took, in milliseconds (same dimensions; CloudWatch gives its percentiles). */
  | 'ActionDuration'
  /** A run that ended in an error, by class: action_error, action_timeout, platform_error, rate_limited. */
  | 'ActionErrors';

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
  /** The runs of one chain: per action, ActionExecutions and ActionDuration, and ActionErrors by class. */
  actionRuns(tenantId: string, triggerId: string, runs: readonly ActionExecution[]): void;
  /** What this container counted so far. */
  counts(): ReadonlyMap<MetricName, number>;
  /** The last reading of each gauge in this container. */
  readings(): ReadonlyMap<MetricName, number>;
}
