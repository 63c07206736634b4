/**
 * Real builds: dependencies installed from a fixture npm registry on 127.0.0.1, bundled with the
 * action runtime, zipped, and the zip's index.js run in a fresh Node process like a Lambda.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuildFailedError,
  type BuildInput,
  type BuildOptions,
  buildAction,
  RegistryUnavailableError,
} from '../../../shared/build/build-action.ts';
import { IN_USE_MS, MARKER } from '../../../shared/build/dependency-cache.ts';
import { setKey } from '../../../shared/build/resolve-dependencies.ts';
import { unzippedSize } from '../../../shared/build/zip.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { type NpmRegistry, startNpmRegistry } from '../../support/npm-registry.ts';
import { runLambdaZip } from '../../support/run-lambda-zip.ts';

let registry: NpmRegistry;
const cacheDirs: string[] = [];

beforeAll(async () => {
  registry = await startNpmRegistry();
});

afterAll(async () => {
  await registry.close();
  await Promise.all(cacheDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshOptions(): Promise<BuildOptions> {
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'hookchain-build-cache-'));
  cacheDirs.push(cacheDir);
  return { registry: registry.url, cacheDir, retries: 0 };
}

async function buildFailure(input: BuildInput, options?: BuildOptions): Promise<BuildFailedError> {
  const error = await buildAction(input, options ?? (await freshOptions())).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'BuildFailedError', code: 'build_failed' });
  return error as BuildFailedError;
}

function invocation(entrypoint = 'onExecutePostLogin') {
  return {
    trigger: 'post-login',
    entrypoint,
    event: sampleEvent('post-login'),
    secrets: {},
    configuration: {},
    cache: {},
    deadline_ms: 5000,
    execution_id: 'x',
  };
}

const GREETER_ACTION = `
globalThis.__topLevelRuns = (globalThis.__topLevelRuns ?? 0) + 1;
const { greet } = require('greeter');
const shout = require('@hookchain-fixtures/shout');

exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/greeting', shout(greet(event.user.given_name ?? 'you')));
  api.accessToken.setCustomClaim('https://example.com/email', event.user.email);
};
`;

describe('buildAction', () => {
  it('builds an action without dependencies into a zip whose handler runs it', async () => {
    const code = `
      globalThis.__topLevelRuns = (globalThis.__topLevelRuns ?? 0) + 1;
      exports.onExecutePostLogin = async (event, api) => {
        api.idToken.setCustomClaim('https://example.com/user', event.user.user_id);
      };`;
    const requests = registry.tarballFetches() + registry.packumentFetches();
    const out = await buildAction({ code, dependencies: [] }, await freshOptions());
    expect(out.dependencies).toEqual([]);
    expect(out.bundle_bytes).toBeGreaterThan(0);
    expect(registry.tarballFetches() + registry.packumentFetches()).toBe(requests);

    const run = await runLambdaZip(out.zip, [{ warmup: true }, invocation(), invocation()]);
    expect(run.files).toEqual(['index.js']);
    expect(run.results[0]).toEqual({ warm: true });
    const userId = (sampleEvent('post-login') as { user: { user_id: string } }).user.user_id;
    expect(run.results[1]).toMatchObject({
      commands: [{ type: 'idToken.setCustomClaim', key: 'https://example.com/user', value: userId }],
    });
    expect(run.results[1]).not.toHaveProperty('error');
    // Top-level code ran on the first execution, not at load nor on warm-up, and only once.
    expect(run.topLevelRunsAtLoad).toBe(0);
    expect(run.topLevelRunsAfter).toEqual([0, 1, 1]);
  });

  it('installs declared and transitive dependencies, bundles them, and pins exact versions', async () => {
    const out = await buildAction(
      {
        code: GREETER_ACTION,
        dependencies: [
          { name: 'greeter', version: '' },
          { name: '@hookchain-fixtures/shout', version: 'latest' },
        ],
      },
      await freshOptions(),
    );
    expect(out.dependencies).toEqual([
      { name: 'greeter', version: '1.0.0' },
      { name: '@hookchain-fixtures/shout', version: '1.0.0' },
    ]);

    const run = await runLambdaZip(out.zip, [invocation()]);
    expect(run.files).toEqual(['index.js']); // everything bundled, no node_modules
    const user = (sampleEvent('post-login') as { user: { given_name?: string; email: string } }).user;
    const padded = (user.given_name ?? 'you').padStart(8, '.');
    expect(run.results[0]).toMatchObject({
      commands: [
        { type: 'idToken.setCustomClaim', value: `HELLO, ${padded.toUpperCase()}!` },
        { type: 'accessToken.setCustomClaim', value: user.email },
      ],
    });
  });

  it('pins blank, latest, ranges and exact versions to what the registry resolves them to', async () => {
    const options = await freshOptions();
    const resolve = async (version: string) =>
      (
        await buildAction(
          {
            code: 'exports.onExecutePostLogin = async () => {};',
            dependencies: [{ name: 'left-pad-lite', version }],
          },
          options,
        )
      ).dependencies;
    expect(await resolve('')).toEqual([{ name: 'left-pad-lite', version: '1.1.0' }]);
    expect(await resolve('latest')).toEqual([{ name: 'left-pad-lite', version: '1.1.0' }]);
    expect(await resolve('^1.0.0')).toEqual([{ name: 'left-pad-lite', version: '1.1.0' }]);
    expect(await resolve('~1.0.0')).toEqual([{ name: 'left-pad-lite', version: '1.0.0' }]);
    expect(await resolve('1.0.0')).toEqual([{ name: 'left-pad-lite', version: '1.0.0' }]);
  });

  it('bundles the version it pinned', async () => {
    const code = `const pad = require('left-pad-lite');
      exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('v', pad.version); };`;
    const out = await buildAction(
      { code, dependencies: [{ name: 'left-pad-lite', version: '~1.0.0' }] },
      await freshOptions(),
    );
    const run = await runLambdaZip(out.zip, [invocation()]);
    expect(run.results[0]).toMatchObject({ commands: [{ value: '1.0.0' }] });
  });

  it('reuses an installed dependency set: a second build downloads no tarball', async () => {
    const options = await freshOptions();
    const input = { code: GREETER_ACTION, dependencies: [{ name: 'greeter', version: '^1' }] };
    const before = registry.tarballFetches();
    await buildAction(
      {
        ...input,
        dependencies: [...input.dependencies, { name: '@hookchain-fixtures/shout', version: '1.0.0' }],
      },
      options,
    );
    const afterFirst = registry.tarballFetches();
    expect(afterFirst - before).toBe(3); // greeter, left-pad-lite, shout

    const again = await buildAction(
      {
        ...input,
        code: `${input.code}\n// edited`,
        dependencies: [...input.dependencies, { name: '@hookchain-fixtures/shout', version: '1.0.0' }],
      },
      options,
    );
    expect(registry.tarballFetches()).toBe(afterFirst);
    expect(again.dependencies.map((d) => d.version)).toEqual(['1.0.0', '1.0.0']);
  });

  it('pinned versions already installed need no registry request at all', async () => {
    const options = await freshOptions();
    const input = { code: 'exports.a = 1;', dependencies: [{ name: 'left-pad-lite', version: '1.1.0' }] };
    await buildAction(input, options);
    const requests = registry.tarballFetches() + registry.packumentFetches();
    await buildAction(input, options);
    expect(registry.tarballFetches() + registry.packumentFetches()).toBe(requests);
  });

  it('cleans up what a crashed install of the same set left behind', async () => {
    const options = await freshOptions();
    const leftover = path.join(
      options.cacheDir,
      'deps',
      `${setKey([{ name: 'left-pad-lite', version: '1.0.0' }])}.staging-dead`,
    );
    await mkdir(path.join(leftover, 'node_modules'), { recursive: true });
    await buildAction({ code: '', dependencies: [{ name: 'left-pad-lite', version: '1.0.0' }] }, options);
    expect(existsSync(leftover)).toBe(false);
  });

  it('two concurrent builds of the same set install it once', async () => {
    const options = await freshOptions();
    const input = { code: 'exports.a = 1;', dependencies: [{ name: 'greeter', version: '1.0.0' }] };
    const before = registry.tarballFetches('greeter');
    const [a, b] = await Promise.all([buildAction(input, options), buildAction(input, options)]);
    expect(a.dependencies).toEqual(b.dependencies);
    expect(registry.tarballFetches('greeter') - before).toBe(1);
  });

  it('never runs install scripts', async () => {
    const options = await freshOptions();
    await buildAction(
      {
        code: "require('with-install-script');",
        dependencies: [{ name: 'with-install-script', version: '1.0.0' }],
      },
      options,
    );
    const files = readdirSync(options.cacheDir, { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith(`with-install-script${path.sep}index.js`))).toBe(true);
    expect(files.filter((f) => f.endsWith('POSTINSTALL_RAN'))).toEqual([]);
  });

  it('keeps dependencies inside the installed set: optional peers and escapes stay runtime requires', async () => {
    const code = `const probe = require('optional-probe');
      const escape = require('escapes-install');
      exports.onExecutePostLogin = async (event, api) => {
        api.idToken.setCustomClaim('peer', probe.hasPeer);
        api.idToken.setCustomClaim('leaked', escape.leaked);
      };`;
    const out = await buildAction(
      {
        code,
        dependencies: [
          { name: 'optional-probe', version: '1.0.0' },
          { name: 'escapes-install', version: '1.0.0' },
        ],
      },
      await freshOptions(),
    );
    const run = await runLambdaZip(out.zip, [invocation()]);
    expect(run.results[0]).toMatchObject({
      commands: [
        { key: 'peer', value: false },
        { key: 'leaked', value: false },
      ],
    });
    expect(out.warnings.join('\n')).toContain("'optional-peer-not-installed' is not installed");
  });

  it('maps stack traces to the action code with an external source map', async () => {
    const code = "// first line\nexports.onExecutePostLogin = async () => {\n  throw new Error('boom');\n};";
    const out = await buildAction(
      { code, dependencies: [] },
      { ...(await freshOptions()), sourcemap: 'external' },
    );
    const run = await runLambdaZip(out.zip, [invocation()], { nodeArgs: ['--enable-source-maps'] });
    expect(run.files).toEqual(['index.js', 'index.js.map']);
    expect(run.results[0]).toMatchObject({
      error: {
        class: 'action_error',
        message: 'boom',
        stack: expect.stringContaining('hookchain-action:action.js:3:9'),
      },
    });
  });

  it('resolves actions:<name> to the Actions Modules given, which may use the dependencies', async () => {
    const out = await buildAction(
      {
        code: `const { hello } = require('actions:greetings');
          exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('m', hello('ada')); };`,
        dependencies: [{ name: '@hookchain-fixtures/shout', version: '1.0.0' }],
        modules: [
          {
            name: 'greetings',
            code: `const shout = require('@hookchain-fixtures/shout'); exports.hello = (n) => shout('hi ' + n);`,
          },
        ],
      },
      await freshOptions(),
    );
    const run = await runLambdaZip(out.zip, [invocation()]);
    expect(run.results[0]).toMatchObject({ commands: [{ key: 'm', value: 'HI ADA!' }] });
  });

  it('gives each module its own actions.secrets from the invocation, and bundles its dependencies', async () => {
    const out = await buildAction(
      {
        code: `const crm = require('actions:crm');
          exports.onExecutePostLogin = async (event, api) => {
            api.idToken.setCustomClaim('crm', crm.describe());
            api.idToken.setCustomClaim('own', event.secrets.CRM_KEY ?? 'none');
          };`,
        dependencies: [],
        modules: [
          {
            name: 'crm',
            code: `const pad = require('left-pad-lite');
              exports.describe = () => pad(actions.secrets.CRM_KEY, 6, '*') + '@' + pad.version;`,
            dependencies: [{ name: 'left-pad-lite', version: '1.1.0' }],
          },
        ],
      },
      await freshOptions(),
    );
    expect(out.dependencies).toEqual([{ name: 'left-pad-lite', version: '1.1.0' }]);
    const run = await runLambdaZip(out.zip, [
      { ...invocation(), module_secrets: { crm: { CRM_KEY: 'k1' } } },
      { ...invocation(), module_secrets: { crm: { CRM_KEY: 'k2' } } },
    ]);
    expect(run.results).toMatchObject([
      {
        commands: [
          { key: 'crm', value: '****k1@1.1.0' },
          { key: 'own', value: 'none' },
        ],
      },
      {
        commands: [
          { key: 'crm', value: '****k2@1.1.0' },
          { key: 'own', value: 'none' },
        ],
      },
    ]);
  });

  it('lets a module’s exact version satisfy the action’s own range of the same package', async () => {
    const out = await buildAction(
      {
        code: `const pad = require('left-pad-lite'); require('actions:m');
          exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('v', pad.version ?? '1.0.0'); };`,
        dependencies: [{ name: 'left-pad-lite', version: '^1.0.0' }],
        modules: [
          {
            name: 'm',
            code: 'exports.ok = true;',
            dependencies: [{ name: 'left-pad-lite', version: '1.0.0' }],
          },
        ],
      },
      await freshOptions(),
    );
    expect(out.dependencies).toEqual([{ name: 'left-pad-lite', version: '1.0.0' }]);
  });

  it('refuses two versions of one package between the action and a module, naming both', async () => {
    const error = await buildFailure({
      code: "require('actions:m');",
      dependencies: [{ name: 'left-pad-lite', version: '1.0.0' }],
      modules: [{ name: 'm', code: '', dependencies: [{ name: 'left-pad-lite', version: '1.1.0' }] }],
    });
    expect(error.errors).toEqual([
      {
        id: 'dependency_conflict',
        msg: 'Dependency conflict: left-pad-lite is 1.0.0 in the action but 1.1.0 in module actions:m. A bundle holds one version of a package: align the versions, or pin a module version that matches.',
      },
    ]);
  });
});

describe('buildAction failures', () => {
  it('names a dependency that does not exist', async () => {
    const error = await buildFailure({ code: '', dependencies: [{ name: 'left-padz', version: '1.0.0' }] });
    expect(error.errors).toEqual([
      {
        id: 'dependency_not_found',
        msg: expect.stringMatching(
          /^Dependency not found: left-padz@1\.0\.0: no package named 'left-padz' \(registry http:\/\/127\.0\.0\.1:\d+\/\)/,
        ),
      },
    ]);
  });

  it('names a version that does not resolve, with the latest one', async () => {
    const error = await buildFailure({
      code: '',
      dependencies: [{ name: 'left-pad-lite', version: '^9.0.0' }],
    });
    expect(error.errors[0]!.msg).toMatch(
      /^Dependency not found: left-pad-lite@\^9\.0\.0: no published version matches .*the latest is 1\.1\.0\.$/,
    );
  });

  it('rejects a require of a package that is not a declared dependency', async () => {
    const error = await buildFailure({
      code: "const pad = require('left-pad-lite');\nconst _ = require('lodash');",
      dependencies: [{ name: 'left-pad-lite', version: '1.0.0' }],
    });
    expect(error.errors).toEqual([
      {
        id: 'module_not_found',
        msg: `Compilation failed: action code line 2, column 19: Cannot find module 'lodash': add "lodash" to the action's dependencies (only declared npm packages are installed).`,
      },
    ]);
  });

  it('rejects native modules, declared or transitive', async () => {
    const gyp = await buildFailure({ code: '', dependencies: [{ name: 'native-thing', version: '1.0.0' }] });
    expect(gyp.errors).toEqual([
      {
        id: 'native_module',
        msg: expect.stringMatching(
          /^Native modules are not supported: native-thing@1\.0\.0 \(binding\.gyp\)\./,
        ),
      },
    ]);
    const transitive = await buildFailure({
      code: '',
      dependencies: [{ name: 'uses-native', version: '1.0.0' }],
    });
    expect(transitive.errors[0]!.msg).toMatch(
      /^Native modules are not supported: native-thing@1\.0\.0 \(binding\.gyp\), required by uses-native@1\.0\.0\./,
    );
    const prebuilt = await buildFailure({
      code: '',
      dependencies: [{ name: 'prebuilt-addon', version: '1.0.0' }],
    });
    expect(prebuilt.errors[0]!.msg).toMatch(
      /^Native modules are not supported: prebuilt-addon@1\.0\.0 \(build\/Release\/addon\.node\)/,
    );
  });

  it('rejects native modules again from the cache, without reinstalling', async () => {
    const options = await freshOptions();
    const input = { code: '', dependencies: [{ name: 'native-thing', version: '1.0.0' }] };
    await buildFailure(input, options);
    const fetched = registry.tarballFetches('native-thing');
    const again = await buildFailure(input, options);
    expect(again.errors[0]!.id).toBe('native_module');
    expect(registry.tarballFetches('native-thing')).toBe(fetched);
  });

  it('reports an unreachable registry as retryable, not as the tenant’s fault', async () => {
    const options = { ...(await freshOptions()), registry: 'http://127.0.0.1:9/' };
    const error = await buildAction(
      { code: '', dependencies: [{ name: 'left-pad-lite', version: '1.0.0' }] },
      options,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect((error as RegistryUnavailableError).code).toBe('registry_unavailable');
  });
});

describe('buildAction and Lambda’s package size quotas', () => {
  it('fails at once with bundle_too_large when a dependency takes the bundle past the limits', async () => {
    const options = await freshOptions();
    const alone = await buildAction({ code: 'exports.a = 1;', dependencies: [] }, options);
    // Room for the require itself, not for the packages it brings in.
    const bundleLimits = { unzippedBytes: unzippedSize(alone.zip) + 100 };
    await buildAction({ code: 'exports.a = 1;', dependencies: [] }, { ...options, bundleLimits });

    const error = await buildFailure(
      { code: "require('greeter'); exports.a = 1;", dependencies: [{ name: 'greeter', version: '1.0.0' }] },
      { ...options, bundleLimits },
    );
    expect(error.errors).toEqual([
      {
        id: 'bundle_too_large',
        msg: expect.stringMatching(
          /^The bundle is too large to deploy: .* zipped and .* unzipped; the limits are 50\.0 MB zipped and .* unzipped\. Drop large dependencies/,
        ),
      },
    ]);
  });
});

describe('buildAction’s dependency cache', () => {
  it('evicts the least recently used sets once the cache passes its cap, never the one in use', async () => {
    const options = await freshOptions();
    const padAction = {
      code: "require('left-pad-lite');",
      dependencies: [{ name: 'left-pad-lite', version: '1.0.0' }],
    };
    await buildAction(padAction, options);
    const padSet = path.join(options.cacheDir, 'deps', setKey([{ name: 'left-pad-lite', version: '1.0.0' }]));
    const unused = new Date(Date.now() - IN_USE_MS - 60_000);
    await utimes(path.join(padSet, MARKER), unused, unused);

    const greeter = [{ name: 'greeter', version: '1.0.0' }];
    await buildAction(
      { code: "require('greeter');", dependencies: greeter },
      { ...options, cacheMaxBytes: 1 },
    );
    expect(existsSync(padSet)).toBe(false);
    const greeterSet = path.join(options.cacheDir, 'deps', setKey(greeter));
    expect(JSON.parse(await readFile(path.join(greeterSet, MARKER), 'utf8'))).toMatchObject({
      bytes: expect.any(Number),
    });

    const fetched = registry.tarballFetches('left-pad-lite');
    await buildAction(padAction, options);
    expect(registry.tarballFetches('left-pad-lite')).toBe(fetched + 1); // installed again
    // Each build's npm cache went with it.
    expect(entries(path.join(options.cacheDir, 'tmp'))).toEqual([]);
  });
});

/** A folder's entries; none if it was never created. */
function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/**
 * A registry in front of the fixture one that never answers the requests `stall` picks: they
 * stay open until the client gives up. `stalled()` resolves with the first such request.
 */
async function startStallingRegistry(stall: (url: string) => boolean) {
  let first: (request: IncomingMessage) => void;
  const firstStalled = new Promise<IncomingMessage>((resolve) => {
    first = resolve;
  });
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (stall(req.url ?? '')) return first(req);
    const upstream = await fetch(new URL(req.url ?? '/', registry.url));
    const body = (await upstream.text()).replaceAll(registry.url, url);
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    stalled: () => firstStalled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('an aborted build', () => {
  const reason = new Error('the builder ran out of time');

  async function abortWhenStalled(stall: (url: string) => boolean, dependencies: BuildInput['dependencies']) {
    const stalling = await startStallingRegistry(stall);
    try {
      const options = { ...(await freshOptions()), registry: stalling.url };
      const controller = new AbortController();
      const build = buildAction({ code: '', dependencies }, { ...options, signal: controller.signal });
      const request = await stalling.stalled();
      const hungUp = new Promise((resolve) => request.socket.once('close', resolve));
      controller.abort(reason);
      await expect(build).rejects.toBe(reason);
      await hungUp; // the request itself was cancelled, not left waiting
      return options.cacheDir;
    } finally {
      await stalling.close();
    }
  }

  it('stops resolving dependencies: the registry request is cancelled and nothing is left behind', async () => {
    const cacheDir = await abortWhenStalled(
      (url) => url.includes('left-pad-lite') && !url.includes('tarballs'),
      [{ name: 'left-pad-lite', version: '^1.0.0' }],
    );
    expect(entries(path.join(cacheDir, 'tmp'))).toEqual([]);
  });

  it('stops installing them: the tarball download is cancelled, no set is recorded, no lock or staging is left', async () => {
    const cacheDir = await abortWhenStalled(
      (url) => url.includes('tarballs'),
      [{ name: 'greeter', version: '1.0.0' }],
    );
    expect(entries(path.join(cacheDir, 'tmp'))).toEqual([]);
    expect(entries(path.join(cacheDir, 'deps'))).toEqual([]);
  });
});
