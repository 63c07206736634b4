/**
 * How the builder's asset is made. The builder bundles tenant code at run time, so besides its own
 * bundle it ships:
 * - esbuild, pacote, Arborist and npm-package-arg as real node_modules, installed by `npm ci` from
 *   the project's lock file: esbuild's JS drives a native binary found next to it, and npm's
 *   libraries are loaded with `createRequire` (shared/build/npm-client.ts), so none can be bundled.
 * - esbuild's binary for the Lambda's architecture, not the synthesizing machine's: `npm_config_cpu`
 *   and `npm_config_os` make npm pick `@esbuild/linux-arm64` (or `linux-x64`) from the lock file.
 * - the action runtime (shared/runtime/lambda-entry.ts) pre-bundled into one ESM file, with only
 *   `hookchain:action` left open for the build of each action to fill in (shared/build/bundle.ts).
 *   The builder finds it through HOOKCHAIN_RUNTIME_ENTRY.
 */
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RUNTIME_ENTRY_PATH, runtimeEntryFlags } from '../../shared/build/runtime-entry.ts';
import type { LambdaArchitecture } from './naming.ts';

export const BUILDER_NODE_MODULES = ['esbuild', 'pacote', '@npmcli/arborist', 'npm-package-arg'];

/** Where the pre-bundled runtime entry sits in the asset, and so in /var/task on Lambda. */
export const RUNTIME_ENTRY_ASSET_PATH = RUNTIME_ENTRY_PATH;
export const RUNTIME_ENTRY_IN_ASSET = `/var/task/${RUNTIME_ENTRY_ASSET_PATH}`;

const NPM_CPU: Record<LambdaArchitecture, string> = { arm64: 'arm64', x86_64: 'x64' };

export function builderBundling(architecture: LambdaArchitecture): Partial<BundlingOptions> {
  return {
    nodeModules: BUILDER_NODE_MODULES,
    environment: {
      npm_config_os: 'linux',
      npm_config_cpu: NPM_CPU[architecture],
      npm_config_libc: 'glibc',
      // Nothing in these packages needs an install script, and esbuild's would try to run a
      // binary built for another architecture.
      npm_config_ignore_scripts: 'true',
      // Tarballs already in the npm cache are used as they are: synth needs no network once warm.
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [prebundleRuntimeEntry(inputDir, outputDir)],
    },
  };
}

function prebundleRuntimeEntry(inputDir: string, outputDir: string): string {
  const args = [
    `${inputDir}/node_modules/.bin/esbuild`,
    ...runtimeEntryFlags(inputDir),
    `--outfile=${outputDir}/${RUNTIME_ENTRY_ASSET_PATH}`,
  ];
  return args.map((arg) => JSON.stringify(arg)).join(' ');
}
