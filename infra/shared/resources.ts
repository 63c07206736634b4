/**
 * The AWS resources the platform needs, by name and shape: the CDK stack (infra/aws) and the local
 * stack (infra/local) both build them from here, so neither imports the other.
 */
export const PLATFORM_RESOURCES = {
  /** Single table: every entity lives under `pk`/`sk`; `gsi1` serves the secondary access paths. */
  table: {
    name: 'hookchain',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  queues: {
    /**
     * Async trigger executions, parked in the DLQ for redrive after five receives. On AWS a receive
     * whose invocation was throttled counts too, so fewer would park work that never ran.
     */
    triggers: {
      name: 'hookchain-triggers',
      dlqName: 'hookchain-triggers-dlq',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 30,
    },
    /** Action builds (five receives, as above). Longer visibility: a build may download npm packages first. */
    builds: {
      name: 'hookchain-builds',
      dlqName: 'hookchain-builds-dlq',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 300,
    },
  },
  /** The tenant the local stack bootstraps on first start. */
  localTenant: 'dev',
} as const;

export type PlatformQueue = keyof typeof PLATFORM_RESOURCES.queues;
