/**
 * cdk-nag's AwsSolutions rules over the whole stack (a dev and a protected prod stage): any
 * finding fails the synth, and so this test. What the rules flag by design is acknowledged in the
 * constructs themselves (`Validations.of(...).acknowledge`), each with its reason.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import type { HookchainProps } from '../../infra/aws/hookchain.ts';
import { HookchainStack } from '../../infra/aws/stack.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The rule ids cdk-nag reports (none when the synth passes). */
function findings(props: HookchainProps): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'hookchain-cdk-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  new HookchainStack(app, `hookchain-${props.stage}`, { hookchain: props });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return [];
  } catch {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{
        violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
      }>;
    };
    return report.pluginReports.flatMap((p) =>
      p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
    );
  }
}

// The first synth loads cdk-nag's rules and the whole of aws-cdk-lib: slow on a busy machine.
describe('cdk-nag AwsSolutions', { timeout: 120_000 }, () => {
  it('finds nothing unacknowledged in a development stage', () => {
    expect(findings({ stage: 'dev' })).toEqual([]);
  });

  it('finds nothing unacknowledged in a protected stage with its own prefix, on x86', () => {
    expect(findings({ stage: 'prod', functionPrefix: 'act', architecture: 'x86_64' })).toEqual([]);
  });
});
