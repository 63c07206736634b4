/**
 * `cdk.json` context and `-c key=value` flags, turned into the Hookchain construct's props:
 * `stage` (default dev), `arch` (arm64 | x86_64, default arm64: LocalStack on an x86 machine
 * wants x86_64), `functionPrefix` (default hc), `npmRegistry`, `logRetentionDays`, `dashboardDist`
 * (default dashboard/dist; relative to the working directory), `alarmEmail`, and the concurrency
 * settings `dispatcherReservedConcurrency` (0: none), `builderMaxConcurrency`,
 * `asyncWorkerMaxConcurrency` (defaults in hookchain.ts).
 */

import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { HookchainProps } from './hookchain.ts';
import type { LambdaArchitecture } from './naming.ts';

export function hookchainPropsFromContext(node: Node): HookchainProps {
  const get = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const arch = get('arch') ?? 'arm64';
  if (arch !== 'arm64' && arch !== 'x86_64') {
    throw new Error(`-c arch=${arch}: use arm64 (AWS default) or x86_64 (LocalStack on an x86 machine).`);
  }
  const retention = get('logRetentionDays');
  if (retention !== undefined && !Object.values(RetentionDays).includes(Number(retention))) {
    throw new Error(
      `-c logRetentionDays=${retention}: use a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ...).`,
    );
  }
  const functionPrefix = get('functionPrefix');
  const npmRegistry = get('npmRegistry');
  const dashboardDist = get('dashboardDist');
  const alarmEmail = get('alarmEmail');
  const integer = (key: string, min: number, max: number): number | undefined => {
    const value = get(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`-c ${key}=${value}: use a whole number from ${min} to ${max}.`);
    }
    return n;
  };
  const dispatcherReservedConcurrency = integer('dispatcherReservedConcurrency', 0, 10_000);
  // Lambda's bounds for an SQS event-source mapping's maximum concurrency.
  const builderMaxConcurrency = integer('builderMaxConcurrency', 2, 1000);
  const asyncWorkerMaxConcurrency = integer('asyncWorkerMaxConcurrency', 2, 1000);
  return {
    stage: get('stage') ?? 'dev',
    architecture: arch as LambdaArchitecture,
    ...(functionPrefix ? { functionPrefix } : {}),
    ...(npmRegistry ? { npmRegistry } : {}),
    ...(retention ? { logRetention: Number(retention) as RetentionDays } : {}),
    ...(dashboardDist ? { dashboardDist: resolve(dashboardDist) } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(dispatcherReservedConcurrency !== undefined ? { dispatcherReservedConcurrency } : {}),
    ...(builderMaxConcurrency !== undefined ? { builderMaxConcurrency } : {}),
    ...(asyncWorkerMaxConcurrency !== undefined ? { asyncWorkerMaxConcurrency } : {}),
  };
}
