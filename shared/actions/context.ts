/** What the management logic needs from the outside world, injected so it stays testable. */

import { z } from 'zod';
import type { Clock } from '../ports/clock.ts';
import type { FunctionHost } from '../ports/functions.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { SecretCipher } from '../ports/secrets.ts';
import type { Store } from '../ports/store.ts';

/** A build queue message; the builder runs only a body that matches (functions/builder). */
export const buildJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('draft'),
    tenant_id: z.string(),
    action_id: z.string(),
    revision: z.number().int(),
  }),
  z.object({
    kind: z.literal('version'),
    tenant_id: z.string(),
    action_id: z.string(),
    number: z.number().int(),
  }),
  /** Functions of a deleted action, deleted once no dispatcher can still route to them. */
  z.object({
    kind: z.literal('retire-functions'),
    tenant_id: z.string(),
    action_id: z.string(),
    function_names: z.array(z.string()),
  }),
]);

export type BuildJob = z.infer<typeof buildJobSchema>;

export interface FunctionSettings {
  prefix: string;
  stage: string;
  roleArn: string;
  architecture: 'arm64' | 'x86_64';
  memoryMb: number;
  /** Lambda's own hard stop; the chain budget (20 s) is enforced inside and by the dispatcher. */
  timeoutSeconds: number;
}

/**
 * What a versioned draft (an action's, a module's, the catalog's) needs to be written: storage,
 * the secrets cipher, the time and new ids. Modules and the catalog ask for no more.
 */
export interface DraftContext {
  store: Store;
  cipher: SecretCipher;
  now: Clock;
  newId: () => string;
}

/** What actions need besides: their builds, their functions, and who to tell when chains change. */
export interface ActionsContext extends DraftContext {
  builds: JobQueue<BuildJob>;
  functions: FunctionHost;
  functionSettings: FunctionSettings;
  /**
   * How long a deleted action's functions stay (SQS DelaySeconds, at most 900): past the chain
   * cache of dispatchers in other containers plus a chain's budget, so no login that resolved the
   * old chain finds its function gone. Unset: deleted at once.
   */
  retireFunctionsAfterSeconds?: number;
  /**
   * Told when what a tenant's chains run changed (deploy, rollback, bindings, delete). Where the
   * dispatcher shares the process (the local stack) its chain cache is dropped at once; elsewhere
   * the cache's few seconds bound how long an old chain may still run.
   */
  chainsChanged?: (tenantId: string) => void;
  /**
   * How long a chain change takes to reach every dispatcher: their chain cache's lifetime, or 0
   * where the only dispatcher is told at once through `chainsChanged`. Deploy, rollback and
   * bindings answer after it (go-live.ts).
   */
  chainSettleMs?: number;
}
