/**
 * How the dashboard function's asset is made: its own bundle, plus the built dashboard (Vite's
 * dashboard/dist) copied to `dashboard/` beside it, where the handler looks by default. Only
 * regular, visible files ship: dotfiles (a build stamp, caches) and symbolic links stay behind.
 * A synth that bundles builds the default dashboard first when it is stale (`dashboard/build.ts
 * --if-stale`, as `npm start` does), so `npx cdk deploy` works on a fresh clone; a build given
 * with `-c dashboardDist` is used as it is.
 */
import { execFileSync } from 'node:child_process';
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

/**
 * `tsx dashboard/build.ts --if-stale` in a child process (constructs are synchronous; the build is
 * Vite's). Its output goes to stderr: a synth's stdout may be the template.
 */
export function buildDefaultDashboardIfStale(): void {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', join('dashboard', 'build.ts'), '--if-stale'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', process.stderr.fd, process.stderr.fd],
    });
  } catch (error) {
    throw new Error(
      `Could not build the dashboard (${(error as Error).message}). ` +
        'Run `npm run build:dashboard` to see why, or point `-c dashboardDist=<dir>` at a build.',
    );
  }
}

/**
 * What a synth that bundles needs before anything bundles: the default dashboard built and up to
 * date, or the given build present.
 */
export function prepareDashboard(
  dist: string,
  buildIfStale: () => void = buildDefaultDashboardIfStale,
): void {
  if (dist === DEFAULT_DASHBOARD_DIST) buildIfStale();
  assertDashboardBuilt(dist);
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
