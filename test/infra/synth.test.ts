/**
 * `npx cdk synth` as a new user runs it: the pinned CLI, no AWS credentials or config, no
 * account, no instance metadata, notices off (cdk.json). It bundles all five functions, so this
 * is the one test that does; the builder's asset is then checked for what the builder needs at
 * run time, and its pre-bundled runtime entry is used to build and run an action. The dashboard
 * is a fixture build (`-c dashboardDist`), served by the dashboard's bundle from its own asset.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDER_NODE_MODULES, RUNTIME_ENTRY_ASSET_PATH } from '../../infra/aws/builder-bundling.ts';
import { PROJECT_ROOT } from '../../infra/aws/platform-function.ts';
import { buildAction } from '../../shared/build/build-action.ts';
import { sampleEvent } from '../../shared/testing/index.ts';
import { type DashboardFixture, writeDashboardFixture } from '../support/dashboard-fixture.ts';
import { runLambdaZip } from '../support/run-lambda-zip.ts';
import type { Resource } from './support.ts';

const run = promisify(execFile);

/**
 * Synthesize for this machine's architecture: its esbuild binary is already in the npm cache
 * (npm ci fetched it), so synth needs no network. An arm64 synth on an x86 machine fetches
 * `@esbuild/linux-arm64` from the registry once; tests must reach nothing beyond loopback.
 */
const HOST_ARCH = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const ESBUILD_BINARY =
  HOST_ARCH === 'arm64' ? { pkg: 'linux-arm64', machine: 183 } : { pkg: 'linux-x64', machine: 62 };
const OTHER_BINARY = HOST_ARCH === 'arm64' ? 'linux-x64' : 'linux-arm64';

/** Strips every way the SDK could find credentials or a profile. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    AWS_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: '1',
  };
}

let outdir: string;
let template: { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
let builderAsset: string;
let dashboardAsset: string;
let dashboard: DashboardFixture;
let seconds: number;
const scratch: string[] = [];

beforeAll(async () => {
  // Inside the project, so the bundles resolve the AWS SDK (which Lambda provides) when imported.
  const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  outdir = await mkdtemp(path.join(cache, 'hookchain-synth-'));
  dashboard = await writeDashboardFixture();
  const started = performance.now();
  await run(
    'npx',
    [
      '--no-install',
      'cdk',
      'synth',
      '--no-notices',
      '--quiet',
      '-c',
      `arch=${HOST_ARCH}`,
      '-c',
      `dashboardDist=${dashboard.dir}`,
      '--output',
      outdir,
    ],
    {
      cwd: PROJECT_ROOT,
      env: offlineEnv(),
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  seconds = (performance.now() - started) / 1000;
  // Measured, reported, never asserted: machines differ.
  console.info(`npx cdk synth took ${seconds.toFixed(1)} s`);
  template = JSON.parse(await readFile(path.join(outdir, 'hookchain-dev.template.json'), 'utf8'));
  const builder = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === 'hookchain-dev-builder',
  );
  builderAsset = path.join(outdir, builder?.Metadata?.['aws:asset:path'] as string);
  const dashboardFunction = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === 'hookchain-dev-dashboard',
  );
  dashboardAsset = path.join(outdir, dashboardFunction?.Metadata?.['aws:asset:path'] as string);
}, 240_000);

afterAll(async () => {
  await Promise.all([outdir, ...scratch].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  await dashboard?.remove();
});

describe('npx cdk synth without AWS credentials', () => {
  it('writes the template with its outputs and one bundle per function', async () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'OperatorTokenSecretArn']),
    );
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      const asset = path.join(outdir, fn.Metadata?.['aws:asset:path'] as string);
      expect(existsSync(path.join(asset, 'index.mjs')), asset).toBe(true);
    }
  });

  it('the builder asset ships esbuild with the Lambda architecture’s Linux binary, and npm’s libraries', async () => {
    for (const name of BUILDER_NODE_MODULES) {
      expect(existsSync(path.join(builderAsset, 'node_modules', name, 'package.json')), name).toBe(true);
    }
    const binary = path.join(builderAsset, `node_modules/@esbuild/${ESBUILD_BINARY.pkg}/bin/esbuild`);
    const header = Buffer.alloc(20);
    const file = await open(binary);
    await file.read(header, 0, 20, 0);
    await file.close();
    expect(header.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(header.readUInt16LE(18)).toBe(ESBUILD_BINARY.machine); // ELF e_machine: 183 aarch64, 62 x86-64
    expect(existsSync(path.join(builderAsset, `node_modules/@esbuild/${OTHER_BINARY}`))).toBe(false);
  });

  it('every bundle loads as Lambda would import it: handler exported, its imports resolved', async () => {
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    for (const fn of functions) {
      const bundle = path.join(outdir, fn.Metadata?.['aws:asset:path'] as string, 'index.mjs');
      const { stdout } = await run(process.execPath, [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(typeof m.handler);`,
      ]);
      expect(stdout.trim(), fn.Properties?.FunctionName).toBe('function');
    }
  });

  it('the dashboard asset carries the build beside its bundle, which serves it from there', async () => {
    expect(await readFile(path.join(dashboardAsset, 'dashboard', 'index.html'))).toEqual(
      dashboard.files['index.html'],
    );
    expect(existsSync(path.join(dashboardAsset, 'dashboard', '.env'))).toBe(false);
    // As Lambda runs it: imported from the asset, no DASHBOARD_ROOT, the event API Gateway sends.
    const bundle = pathToFileURL(path.join(dashboardAsset, 'index.mjs')).href;
    const event = (proxy: string) => ({
      httpMethod: 'GET',
      path: `/dashboard/${proxy}`,
      resource: '/dashboard/{proxy+}',
      pathParameters: { proxy },
      headers: { 'Accept-Encoding': 'gzip' },
      multiValueHeaders: { 'Accept-Encoding': ['gzip'] },
      requestContext: { stage: 'dev', path: `/dev/dashboard/${proxy}` },
    });
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { handler } = await import(${JSON.stringify(bundle)});
         const replies = [];
         for (const event of ${JSON.stringify([event('index.html'), event('assets/index-B7x2kQ9a.js')])}) {
           replies.push(await handler(event, {}));
         }
         console.log(JSON.stringify(replies));`,
      ],
      {
        env: { ...process.env, DASHBOARD_ROOT: undefined, POWERTOOLS_LOG_LEVEL: 'SILENT' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const [index, script] = JSON.parse(stdout);
    expect(index).toMatchObject({ statusCode: 200, body: dashboard.files['index.html']?.toString() });
    expect(script).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(script.body, 'base64')).toString()).toBe(
      dashboard.files['assets/index-B7x2kQ9a.js']?.toString(),
    );
  });

  it('the pre-bundled runtime entry builds an action whose zip runs it', async () => {
    const entryPoint = path.join(builderAsset, RUNTIME_ENTRY_ASSET_PATH);
    expect(existsSync(entryPoint)).toBe(true);
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'hookchain-build-cache-'));
    scratch.push(cacheDir);
    const out = await buildAction(
      {
        code: `exports.onExecutePostLogin = async (event, api) => {
          console.log('hello from', event.user.user_id);
          api.idToken.setCustomClaim('https://example.com/built-by', 'the builder asset');
        };`,
        dependencies: [],
      },
      { registry: 'http://127.0.0.1:9/', cacheDir, retries: 0, entryPoint },
    );
    const { results } = await runLambdaZip(out.zip, [
      { warmup: true },
      {
        trigger: 'post-login',
        entrypoint: 'onExecutePostLogin',
        event: sampleEvent('post-login'),
        secrets: {},
        configuration: {},
        cache: {},
        deadline_ms: 5000,
        execution_id: 'synth-test',
      },
    ]);
    expect(results[0]).toEqual({ warm: true });
    expect(results[1]).toMatchObject({
      commands: [expect.objectContaining({ value: 'the builder asset' })],
      logs: [expect.objectContaining({ message: expect.stringContaining('hello from') })],
    });
    expect((results[1] as { error?: unknown }).error).toBeUndefined();
  });
});
