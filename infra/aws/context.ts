/**
 * `cdk.json` context and `-c key=value` flags, turned into the Hookchain construct's props:
 * `stage` (default dev), `arch` (arm64 | x86_64, default arm64: LocalStack on an x86 machine
 * wants x86_64), `functionPrefix` (default hc), `npmRegistry`, `logRetentionDays`, `dashboardDist`
 * (default dashboard/dist; relative to the working directory).
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
  return {
    stage: get('stage') ?? 'dev',
    architecture: arch as LambdaArchitecture,
    ...(functionPrefix ? { functionPrefix } : {}),
    ...(npmRegistry ? { npmRegistry } : {}),
    ...(retention ? { logRetention: Number(retention) as RetentionDays } : {}),
    ...(dashboardDist ? { dashboardDist: resolve(dashboardDist) } : {}),
  };
}
