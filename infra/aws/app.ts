/**
 * The CDK app behind `cdk synth` / `cdk deploy` (cdk.json). One stack per stage:
 *   npx cdk deploy -c stage=prod
 * The stack is environment-agnostic (account and region come from the deploying credentials),
 * so synth needs no AWS access at all.
 */
import { App } from 'aws-cdk-lib';
import { hookchainPropsFromContext } from './context.ts';
import { HookchainStack } from './stack.ts';

const app = new App();
const hookchain = hookchainPropsFromContext(app.node);
new HookchainStack(app, `hookchain-${hookchain.stage}`, {
  hookchain,
  description: `Hookchain (${hookchain.stage}): Auth0-compatible Actions`,
});
app.synth();
