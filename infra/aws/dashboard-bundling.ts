/**
 * How the dashboard function's asset is made: its own bundle, plus the built dashboard (Vite's
 * dashboard/dist) copied to `dashboard/` beside it, where the handler looks by default. Only
 * regular, visible files ship: dotfiles (a build stamp, caches) and symbolic links stay behind.
 * The dashboard is built by `npm run build:dashboard`, never by the synth.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { PROJECT_ROOT } from './platform-function.ts';

/** Where `npm run build:dashboard` writes the build. */
export const DEFAULT_DASHBOARD_DIST = join(PROJECT_ROOT, 'dashboard', 'dist');

/** The folder beside index.mjs in the asset, so `/var/task/dashboard` on Lambda. */
export const DASHBOARD_DIR_IN_ASSET = 'dashboard';

/** Throws, with what to do, when `dist` holds no build: a synth must not ship an empty dashboard. */
export function assertDashboardBuilt(dist: string): void {
  if (existsSync(join(dist, 'index.html'))) return;
  throw new Error(
    `The dashboard is not built: ${join(dist, 'index.html')} is missing. ` +
      'Run `npm run build:dashboard` before `cdk synth` or `cdk deploy`, ' +
      'or point `-c dashboardDist=<dir>` at a build.',
  );
}

export function dashboardBundling(dist: string): Partial<BundlingOptions> {
  return {
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir, outputDir) => copyDashboard(dist, `${outputDir}/${DASHBOARD_DIR_IN_ASSET}`),
    },
  };
}

function copyDashboard(dist: string, target: string): string[] {
  const [from, to] = [JSON.stringify(`${dist}/.`), JSON.stringify(target)];
  return [
    `mkdir -p ${to}`,
    `cp -R ${from} ${to}`,
    `find ${to} -mindepth 1 \\( -name '.*' -o -type l \\) -prune -exec rm -rf {} +`,
  ];
}
