/**
 * The dashboard's build: a static single-page app the API serves under `/dashboard/`. Relative
 * asset URLs (`base: './'`) keep it working behind any prefix, an API Gateway stage included.
 * `npm run dev:dashboard` serves it with hot reload and sends `/api` to a running `npm start`.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { BUILD_INPUTS_FILE, REPOSITORY_ROOT } from './build.ts';

/**
 * Lists the repository's own files the bundle was made from (dashboard sources, the shipped
 * types, the sample events, the shared client...), so `build.ts --if-stale` hashes exactly
 * what the build read instead of a hand-kept list.
 */
function recordInputs(): Plugin {
  return {
    name: 'hookchain:record-inputs',
    apply: 'build',
    generateBundle() {
      const files = [...this.getModuleIds()]
        .map((id) => id.split('?')[0] ?? id)
        .filter((id) => id.startsWith(REPOSITORY_ROOT) && !id.includes('/node_modules/'))
        .map((id) => relative(REPOSITORY_ROOT, id));
      this.emitFile({
        type: 'asset',
        fileName: BUILD_INPUTS_FILE,
        source: `${JSON.stringify([...new Set(files)].sort(), null, 1)}\n`,
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), recordInputs()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco and its TypeScript worker are large by nature; they are cached immutably once loaded.
    chunkSizeWarningLimit: 8_000,
    reportCompressedSize: false,
    // The timing report lists Monaco's own transforms on every build; it is not ours to act on.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: { '/api': process.env.HOOKCHAIN_URL ?? 'http://127.0.0.1:3000' },
  },
  logLevel: 'warn',
});
