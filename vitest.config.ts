import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts', 'examples/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Waiting on a browser or a build: patient on a busy machine, still bounded.
    expect: { poll: { timeout: 10_000 } },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
