/**
 * The builder handler around buildAction: a bundle over Lambda's quotas fails the build on its
 * first delivery (on the local stack, where nothing else would refuse it), and a job that runs out
 * of time stops its build instead of leaving it running into the next invocation.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuilderHandler } from '../../../functions/builder/handler.ts';
import type { Platform } from '../../../functions/platform.ts';
import { buildAction } from '../../../shared/build/build-action.ts';
import { prebundledRuntimeEntry } from '../../../shared/build/runtime-entry.ts';
import { unzippedSize } from '../../../shared/build/zip.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { BuildOutcome } from '../../../shared/ports/store.ts';
import { createAction, waitForBuild } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';
import { type NpmRegistry, startNpmRegistry } from '../../support/npm-registry.ts';

let registry: NpmRegistry;
const tempDirs: string[] = [];

beforeAll(async () => {
  registry = await startNpmRegistry();
});

afterAll(async () => {
  await registry.close();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hookchain-builder-'));
  tempDirs.push(dir);
  return dir;
}

const CODE = 'exports.onExecutePostLogin = async () => {};';

describe('a bundle over Lambda’s package size quotas', () => {
  let hc: TestHookchain;
  const deployed: string[] = [];

  beforeAll(async () => {
    // The limit: what the action weighs without dependencies, plus the require that adds one.
    // Bundled as the builder bundles it: around the pre-bundled runtime entry.
    const cacheDir = await tempDir();
    const alone = await buildAction(
      { code: CODE, dependencies: [] },
      { registry: registry.url, cacheDir, retries: 0, entryPoint: await prebundledRuntimeEntry(cacheDir) },
    );
    hc = await startTestHookchain({
      npmRegistry: registry.url,
      config: { HOOKCHAIN_BUNDLE_MAX_UNZIPPED_BYTES: String(unzippedSize(alone.zip) + 100) },
    });
    const { functions } = hc.stack.platforms.builder.actions;
    const deploy = functions.deploy.bind(functions);
    functions.deploy = async (spec, options) => {
      deployed.push(spec.tags['hookchain:action'] ?? '');
      return deploy(spec, options);
    };
  });
  afterAll(async () => {
    await hc?.stop();
  });

  // A BuildFailure: the delivery that built it records it and acknowledges the job, where any
  // other error would be retried three times and end as "the builder failed unexpectedly".
  it('fails the build with bundle_too_large on its first delivery, never creating the function', async () => {
    const small = await createAction(hc, { name: 'within-quota', code: CODE });
    expect((await waitForBuild(hc, small.id)).status).toBe('built');

    const large = await createAction(hc, {
      name: 'over-quota',
      code: `require('greeter');\n${CODE}`,
      dependencies: [{ name: 'greeter', version: '1.0.0' }],
    });
    const failed = await waitForBuild(hc, large.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors).toEqual([
      {
        id: 'bundle_too_large',
        msg: expect.stringMatching(/^The bundle is too large to deploy: .* Drop large dependencies/),
      },
    ]);
    expect(deployed).toEqual([small.id]);
  });
});

/** A registry that never answers; `stalled()` resolves with its first request. */
async function startStallingRegistry() {
  let first: (request: IncomingMessage) => void;
  const stalled = new Promise<IncomingMessage>((resolve) => {
    first = resolve;
  });
  const server = createServer((req) => first(req));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    stalled: () => stalled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a build job that runs out of time', () => {
  it('aborts its build (the stalled registry request is cancelled) and records it failed on the last delivery', async () => {
    const stalling = await startStallingRegistry();
    try {
      const cacheDir = await tempDir();
      const outcomes: BuildOutcome[] = [];
      const action = {
        tenant_id: 'acme',
        id: 'act_slow',
        draft_revision: 1,
        code: "require('left-pad-lite');",
        dependencies: [{ name: 'left-pad-lite', version: '^1.0.0' }],
        runtime: 'node22',
        modules: [],
      };
      const platform = {
        config: loadConfig({
          HOOKCHAIN_NPM_REGISTRY: stalling.url,
          HOOKCHAIN_BUILD_CACHE_DIR: cacheDir,
          HOOKCHAIN_BUILD_MAX_RECEIVES: '1',
        }),
        actions: {
          store: {
            actions: {
              get: async () => action,
              recordBuild: async (_t: string, _a: string, _r: number, outcome: BuildOutcome) => {
                outcomes.push(outcome);
                return true;
              },
            },
          },
          functions: {
            deploy: async () => {
              throw new Error('a stalled build never deploys');
            },
          },
        },
      } as unknown as Platform;
      // The job's time is up once its build hangs on the registry.
      let request: IncomingMessage | undefined;
      const handler = createBuilderHandler(() => platform, {
        timeUp: async () => {
          request = await stalling.stalled();
        },
      });
      const event = {
        Records: [
          {
            messageId: 'm1',
            receiptHandle: 'r1',
            body: JSON.stringify({ kind: 'draft', tenant_id: 'acme', action_id: 'act_slow', revision: 1 }),
            attributes: { ApproximateReceiveCount: '1' },
          },
        ],
      } as unknown as SQSEvent;

      const result = await handler(event, { getRemainingTimeInMillis: () => 300_000 } as Context);
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
      expect(outcomes.at(-1)).toEqual({
        status: 'failed',
        errors: [{ id: 'platform_error', msg: expect.stringContaining('the builder ran out of time') }],
      });
      // The build itself stopped: it hung up on the registry and left no per-build npm cache.
      await expect.poll(() => request?.socket.destroyed).toBe(true);
      const temp = path.join(cacheDir, 'tmp');
      await expect.poll(() => (existsSync(temp) ? readdirSync(temp) : [])).toEqual([]);
    } finally {
      await stalling.close();
    }
  });
});
