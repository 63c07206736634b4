/** Auth0's documented limits (reference §3), enforced with clear 400s. */
export const LIMITS = {
  actionsPerTenant: 100,
  bindingsPerTrigger: 20,
  versionsPerAction: 50,
  secretsPerAction: 30,
  secretNameLength: 128,
  secretValueLength: 4096,
  dependenciesPerAction: 10,
  codeBytes: 100 * 1024,
  actionNameLength: 128,
  modulesPerTenant: 100,
  modulesPerAction: 3,
  versionsPerModule: 50,
  /** Auth0 allows at most four password-reset-post-challenge actions per tenant. */
  passwordResetActionsPerTenant: 4,
} as const;
