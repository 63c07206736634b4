/**
 * Lambda names for action code: `<prefix>-<stage>-<tenant>-<hash>-v<N>` (or `-draft`). The hash of
 * tenant and action id keeps names unique and within Lambda's 64 characters; the readable prefix
 * lets IAM grant exactly the functions Hookchain owns.
 */
import { createHash } from 'node:crypto';

const MAX_NAME = 64;

export function functionPrefix(prefix: string, stage: string): string {
  return `${prefix}-${stage}-`;
}

export function actionFunctionName(
  naming: { prefix: string; stage: string },
  tenantId: string,
  actionId: string,
  version: number | 'draft',
): string {
  const suffix = version === 'draft' ? 'draft' : `v${version}`;
  const hash = createHash('sha256').update(`${tenantId}/${actionId}`).digest('hex').slice(0, 12);
  const head = functionPrefix(naming.prefix, naming.stage);
  const room = MAX_NAME - head.length - hash.length - suffix.length - 2;
  const tenant = tenantId.replace(/[^A-Za-z0-9-]/g, '').slice(0, Math.max(0, Math.min(16, room)));
  return `${head}${tenant ? `${tenant}-` : ''}${hash}-${suffix}`;
}
