import { defineConfig } from 'vitest/config';

/**
 * The integration suites whose code meets what AWS does less kindly than the local stack
 * (eventual consistency, duplicate deliveries, Pending functions, the stage prefix, quotas): they
 * run a second time with the local stack in its AWS-faithful mode (infra/local/fidelity.ts).
 */
const AWS_FAITHFUL_SUITES = [
  'test/integration/aws/**/*.test.ts',
  'test/integration/dispatch/**/*.test.ts',
  'test/integration/management/**/*.test.ts',
  'test/integration/build/**/*.test.ts',
  'test/integration/hardening/faults.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Waiting on a browser or a build: patient on a busy machine, still bounded.
    expect: { poll: { timeout: 10_000 } },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    projects: [
      {
        extends: true,
        test: {
          name: 'local',
          include: ['test/**/*.test.ts', 'examples/**/*.test.ts', 'examples/**/*.spec.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'aws-faithful',
          include: AWS_FAITHFUL_SUITES,
          env: { HOOKCHAIN_FIDELITY: 'aws' },
        },
      },
    ],
  },
});
