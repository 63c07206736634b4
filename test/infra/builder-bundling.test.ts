import { describe, expect, it } from 'vitest';
import { builderBundling } from '../../infra/aws/builder-bundling.ts';

describe('the builder asset’s npm install', () => {
  it.each([
    ['arm64', 'arm64'],
    ['x86_64', 'x64'],
  ] as const)('picks esbuild’s Linux binary for a %s Lambda, whatever machine synthesizes', (arch, cpu) => {
    expect(builderBundling(arch).environment).toMatchObject({
      npm_config_os: 'linux',
      npm_config_cpu: cpu,
      npm_config_ignore_scripts: 'true',
    });
  });
});
