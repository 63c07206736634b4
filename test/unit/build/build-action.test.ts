/**
 * Builds without dependencies (no registry is contacted): limits, compilation errors located in the
 * tenant's code, what `require` may reach, Actions Modules, CommonJS only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuildFailedError,
  type BuildInput,
  type BuildOptions,
  buildAction,
  MAX_CODE_BYTES,
} from '../../../shared/build/build-action.ts';
import { HookchainError } from '../../../shared/errors.ts';

let options: BuildOptions;

beforeAll(async () => {
  // Port 9 (discard) on loopback: any registry request would fail loudly.
  options = {
    registry: 'http://127.0.0.1:9/',
    cacheDir: await mkdtemp(path.join(tmpdir(), 'hookchain-build-')),
    retries: 0,
  };
});

afterAll(async () => {
  await rm(options.cacheDir, { recursive: true, force: true });
});

async function failure(input: Partial<BuildInput>): Promise<BuildFailedError> {
  const error = await buildAction({ code: '', dependencies: [], ...input }, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HookchainError);
  expect(error).toMatchObject({ name: 'BuildFailedError', code: 'build_failed' });
  return error as BuildFailedError;
}

describe('buildAction without dependencies', () => {
  it('bundles code that uses Node built-ins, with or without the node: prefix', async () => {
    const out = await buildAction(
      {
        code: "const crypto = require('crypto'); const { URL } = require('node:url'); exports.onExecutePostLogin = async () => {};",
        dependencies: [],
      },
      options,
    );
    expect(out.dependencies).toEqual([]);
    expect(out.warnings).toEqual([]);
  });

  it('reports syntax errors at their line and column in the action code', async () => {
    const error = await failure({
      code: 'exports.onExecutePostLogin = async () => {\n  const a = 1\n  const b = 2 x\n};',
    });
    expect(error.errors).toEqual([
      {
        id: 'compilation_failed',
        msg: 'Compilation failed: action code line 3, column 15: Expected ";" but found "x"',
      },
    ]);
    expect(error.message).toBe(error.errors[0]!.msg);
  });

  it('lists every unresolvable require, each telling what to do', async () => {
    const error = await failure({
      code: "require('lodash');\nrequire('@acme/sdk/client');\nrequire('./helpers');\nrequire('/etc/passwd');",
    });
    expect(error.errors.map((e) => e.id)).toEqual([
      'module_not_found',
      'module_not_found',
      'module_not_found',
      'module_not_found',
    ]);
    expect(error.errors[0]!.msg).toBe(
      `Compilation failed: action code line 1, column 9: Cannot find module 'lodash': add "lodash" to the action's dependencies (only declared npm packages are installed).`,
    );
    expect(error.errors[1]!.msg).toContain(`add "@acme/sdk" to the action's dependencies`);
    expect(error.errors[2]!.msg).toContain("Cannot find module './helpers': action code is a single file.");
    expect(error.errors[3]!.msg).toContain("Cannot find module '/etc/passwd'");
  });

  it('does not let action code reach the builder’s own packages', async () => {
    // esbuild and zod are installed next to Hookchain itself.
    const error = await failure({ code: "require('esbuild'); require('zod');" });
    expect(error.errors.map((e) => e.msg)).toEqual([
      expect.stringContaining(`Cannot find module 'esbuild': add "esbuild"`),
      expect.stringContaining(`Cannot find module 'zod': add "zod"`),
    ]);
  });

  it('resolves actions:<name> to the given modules and names a missing one', async () => {
    const ok = await buildAction(
      {
        code: "const { tag } = require('actions:tags'); exports.onExecutePostLogin = async () => tag;",
        dependencies: [],
        modules: [{ name: 'tags', code: "exports.tag = 'v1';" }],
      },
      options,
    );
    expect(ok.bundle_bytes).toBeGreaterThan(0);

    const missing = await failure({ code: "const logger = require('actions:logger');" });
    expect(missing.errors).toEqual([
      {
        id: 'action_module_not_found',
        msg: "Compilation failed: action code line 1, column 24: Cannot find module 'actions:logger': the Actions Module 'logger' is not added to this action. Add it to the action's modules, or remove the require.",
      },
    ]);
  });

  it('does not let a module require another module, and locates errors in modules', async () => {
    const error = await failure({
      code: "require('actions:a');",
      modules: [
        { name: 'a', code: "require('actions:b');" },
        { name: 'b', code: 'exports.b = 1;' },
      ],
    });
    expect(error.errors[0]!.msg).toBe(
      "Compilation failed: module actions:a line 1, column 9: Cannot find module 'actions:b': Actions Modules cannot require other modules.",
    );
    const syntax = await failure({
      code: "require('actions:a');",
      modules: [{ name: 'a', code: 'exports.a = (;' }],
    });
    expect(syntax.errors[0]!.msg).toMatch(/^Compilation failed: module actions:a line 1, column 14: /);
  });

  it('rejects ES module syntax: actions are CommonJS', async () => {
    const error = await failure({ code: 'export const onExecutePostLogin = async () => {};' });
    expect(error.errors[0]!.msg).toMatch(
      /^Compilation failed: action code uses import\/export; actions are CommonJS/,
    );
  });

  it('enforces the code size, dependency and module limits, all at once', async () => {
    const error = await failure({
      code: `// ${'x'.repeat(MAX_CODE_BYTES)}`,
      dependencies: Array.from({ length: 11 }, (_, i) => ({ name: `dep-${i}`, version: '1.0.0' })),
      modules: Array.from({ length: 4 }, (_, i) => ({ name: `m${i}`, code: '' })),
    });
    expect(error.errors.map((e) => e.id)).toEqual([
      'code_too_large',
      'too_many_dependencies',
      'too_many_modules',
    ]);
    expect(error.errors[0]!.msg).toMatch(/^Action code is 102403 bytes; the limit is 102400 bytes/);
    expect(error.errors[1]!.msg).toBe('The action declares 11 dependencies; at most 10 are allowed.');
  });

  it('counts code size in UTF-8 bytes', async () => {
    const error = await failure({ code: `// ${'é'.repeat(MAX_CODE_BYTES / 2)}` });
    expect(error.errors[0]!.id).toBe('code_too_large');
  });

  it('rejects duplicate, malformed and non-registry dependencies before any download', async () => {
    const duplicate = await failure({
      dependencies: [
        { name: 'a', version: '1.0.0' },
        { name: 'a', version: '2.0.0' },
      ],
    });
    expect(duplicate.errors).toEqual([
      { id: 'duplicate_dependency', msg: 'Dependencies declared more than once: a.' },
    ]);

    for (const version of [
      'git+https://github.com/acme/a.git',
      'file:../a',
      'npm:other@1',
      'https://example.com/a.tgz',
    ]) {
      const error = await failure({ dependencies: [{ name: 'a', version }] });
      expect(error.errors[0]).toMatchObject({
        id: 'invalid_dependency',
        msg: expect.stringContaining(`version '${version}' is not supported`),
      });
    }
    const badName = await failure({ dependencies: [{ name: 'Not A Name', version: '1.0.0' }] });
    expect(badName.errors[0]).toMatchObject({
      id: 'invalid_dependency',
      msg: expect.stringContaining('Not A Name'),
    });
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      buildAction({ code: '', dependencies: [] }, { ...options, signal: controller.signal }),
    ).rejects.toThrow('cancelled');
  });

  it('fails with bundle_too_large, naming both sizes and limits, when the zip passes Lambda’s quotas', async () => {
    const code = `exports.onExecutePostLogin = async () => {}; // ${'x'.repeat(2000)}`;
    const within = await buildAction({ code, dependencies: [] }, options);
    const unzipped = Object.values(unzipSync(within.zip)).reduce((n, f) => n + f.byteLength, 0);

    const zipped = await buildAction(
      { code, dependencies: [] },
      { ...options, bundleLimits: { zippedBytes: within.zip.byteLength - 1 } },
    ).catch((e: unknown) => e);
    expect(zipped).toMatchObject({ name: 'BuildFailedError', code: 'build_failed' });
    expect((zipped as BuildFailedError).errors).toEqual([
      {
        id: 'bundle_too_large',
        msg: expect.stringMatching(
          /^The bundle is too large to deploy: [\d.]+ kB zipped and [\d.]+ kB unzipped; the limits are [\d.]+ kB zipped and 250\.0 MB unzipped\. Drop large dependencies/,
        ),
      },
    ]);

    // The unzipped size is what the zip holds once extracted, not the zip's own size.
    const extracted = await buildAction(
      { code, dependencies: [] },
      { ...options, bundleLimits: { unzippedBytes: unzipped - 1 } },
    ).catch((e: unknown) => e);
    expect((extracted as BuildFailedError).errors).toEqual([
      { id: 'bundle_too_large', msg: expect.stringContaining('the limits are 50.0 MB zipped and') },
    ]);
    await expect(
      buildAction({ code, dependencies: [] }, { ...options, bundleLimits: { unzippedBytes: unzipped } }),
    ).resolves.toMatchObject({ zip: within.zip });
  });
});
