/**
 * The dashboard's build: a static single-page app the API serves under `/dashboard/`. Relative
 * asset URLs (`base: './'`) keep it working behind any prefix, an API Gateway stage included.
 * `npm run dev:dashboard` serves it with hot reload and sends `/api` to a running `npm start`.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
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
