/**
 * The dashboard function's asset: the build copied beside the bundle by a shell step CDK runs after
 * esbuild (run here by bash as CDK runs it), and a synth that fails at once, saying what to do,
 * when there is no build to copy.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStale } from '../../dashboard/build.ts';
import {
  assertDashboardBuilt,
  buildDefaultDashboardIfStale,
  DASHBOARD_DIR_IN_ASSET,
  DEFAULT_DASHBOARD_DIST,
  dashboardBundling,
  prepareDashboard,
} from '../../infra/aws/dashboard-bundling.ts';
import { PROJECT_ROOT } from '../../infra/aws/platform-function.ts';
import { HookchainStack } from '../../infra/aws/stack.ts';
import { type DashboardFixture, writeDashboardFixture } from '../support/dashboard-fixture.ts';
import { removeSynthOutput, synthHookchain } from './support.ts';

const run = promisify(execFile);

let fixture: DashboardFixture;
const scratch: string[] = [];
beforeAll(async () => {
  fixture = await writeDashboardFixture();
});
afterAll(async () => {
  await fixture?.remove();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  removeSynthOutput();
});

/** Every path under `dir`, relative, `/`-separated. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((entry) => entry.split('\\').join('/')).sort();
}

describe('the dashboard asset', () => {
  it('defaults to the build `npm run build:dashboard` writes', () => {
    expect(DEFAULT_DASHBOARD_DIST).toBe(join(PROJECT_ROOT, 'dashboard', 'dist'));
  });

  it('gets the build copied to dashboard/ beside the bundle: regular files only, no dotfiles, no links', async () => {
    const output = await mkdtemp(join(tmpdir(), 'hookchain-dashboard-asset-'));
    scratch.push(output);
    const commands = dashboardBundling(fixture.dir).commandHooks?.afterBundling(PROJECT_ROOT, output) ?? [];
    // CDK runs the hook's commands joined with && in bash.
    await run('bash', ['-c', commands.join(' && ')]);
    const copied = join(output, DASHBOARD_DIR_IN_ASSET);
    expect(await listing(copied)).toEqual([
      'assets',
      'assets/codicon-Ee4rT6yU.ttf',
      'assets/index-B7x2kQ9a.js',
      'assets/index-Cw3dE1fG.css',
      'assets/logo-Dq8sV2hJ.svg',
      'favicon.png',
      'index.html',
    ]);
    for (const file of ['index.html', 'assets/codicon-Ee4rT6yU.ttf', 'assets/index-B7x2kQ9a.js']) {
      expect(await readFile(join(copied, file))).toEqual(fixture.files[file]);
      expect((await lstat(join(copied, file))).isFile()).toBe(true);
    }
  });

  it('is refused without a build, with what to do about it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'hookchain-dashboard-unbuilt-'));
    scratch.push(empty);
    expect(() => assertDashboardBuilt(empty)).toThrow(
      `The dashboard is not built: ${join(empty, 'index.html')} is missing. Run \`npm run build:dashboard\``,
    );
    expect(() => assertDashboardBuilt(fixture.dir)).not.toThrow();
  });

  it('a synth that bundles fails before bundling anything when the dashboard is not built', () => {
    const empty = mkdtempSync(join(tmpdir(), 'hookchain-dashboard-unbuilt-'));
    const outdir = mkdtempSync(join(tmpdir(), 'hookchain-cdk-test-'));
    scratch.push(empty, outdir);
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
    const started = performance.now();
    expect(
      () => new HookchainStack(app, 'hookchain-dev', { hookchain: { stage: 'dev', dashboardDist: empty } }),
    ).toThrow(/npm run build:dashboard/);
    // No esbuild or npm install ran: the check comes first.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  });

  it('a synth that bundles the default dashboard builds it first when stale, so `cdk deploy` works on a fresh clone', () => {
    const built: string[] = [];
    const dist = DEFAULT_DASHBOARD_DIST;
    // The real step (tested below) leaves a build there; so does this stand-in, unless one already is.
    prepareDashboard(dist, () => {
      built.push(dist);
      if (!existsSync(join(dist, 'index.html'))) buildDefaultDashboardIfStale();
    });
    expect(built).toEqual([dist]);
  });

  it('a build given with -c dashboardDist is used as it is, never rebuilt', () => {
    const never = () => {
      throw new Error('built a dashboard it was given');
    };
    expect(() => prepareDashboard(fixture.dir, never)).not.toThrow();
    const empty = mkdtempSync(join(tmpdir(), 'hookchain-dashboard-unbuilt-'));
    scratch.push(empty);
    expect(() => prepareDashboard(empty, never)).toThrow(/The dashboard is not built/);
  });

  it('the build step is `dashboard/build.ts --if-stale`: afterwards the default build is there and current', async () => {
    // Builds with Vite only when the checkout's build is missing or stale (about 10 s), as `npm start` does.
    buildDefaultDashboardIfStale();
    expect(existsSync(join(DEFAULT_DASHBOARD_DIST, 'index.html'))).toBe(true);
    expect(await isStale()).toBe(false);
  }, 120_000);

  it('a synth that does not bundle (template checks, cdk destroy) needs no build', () => {
    const { resources } = synthHookchain({
      stage: 'dev',
      dashboardDist: join(tmpdir(), 'no-such-dashboard'),
    });
    expect(
      Object.values(resources).some((r) => r.Properties?.FunctionName === 'hookchain-dev-dashboard'),
    ).toBe(true);
  }, 120_000); // the file's first whole synth: slow on a busy machine
});
