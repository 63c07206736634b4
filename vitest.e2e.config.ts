/**
 * `npm run test:e2e`: the HTTP-only suite in test/e2e, against HOOKCHAIN_URL + HOOKCHAIN_TOKEN
 * (and HOOKCHAIN_OPERATOR_TOKEN, optional), or the local stack when they are unset. Its files
 * end in `.e2e.ts` so the default `npm test` run, which has the integration tests, skips them.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One deployment, one story: the steps run in order.
    fileParallelism: false,
    sequence: { concurrent: false },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
