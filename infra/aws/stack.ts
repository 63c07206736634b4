/** The stack `cdk deploy` creates: the Hookchain construct and the outputs a new user needs. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Hookchain, type HookchainProps } from './hookchain.ts';

export interface HookchainStackProps extends StackProps {
  hookchain: HookchainProps;
}

export class HookchainStack extends Stack {
  readonly hookchain: Hookchain;

  constructor(scope: Construct, id: string, props: HookchainStackProps) {
    super(scope, id, props);
    this.hookchain = new Hookchain(this, 'Hookchain', props.hookchain);
    const { api, operatorToken, naming } = this.hookchain;

    new CfnOutput(this, 'ApiUrl', {
      description:
        'Base URL: the management API is under /api/v2/actions, the trigger API under /api/v2/actions/triggers',
      value: api.url,
    });
    new CfnOutput(this, 'DashboardUrl', {
      description: 'The dashboard: sign in with a tenant token',
      value: `${api.url}dashboard/`,
    });
    new CfnOutput(this, 'OperatorTokenSecretArn', {
      description: 'The bootstrap operator token: aws secretsmanager get-secret-value --secret-id <arn>',
      value: operatorToken.secretArn,
    });
    new CfnOutput(this, 'PlatformLogGroups', {
      description: 'Log groups of the platform functions (aws logs tail <group> --follow)',
      value: [
        this.hookchain.management,
        this.hookchain.dispatcher,
        this.hookchain.asyncWorker,
        this.hookchain.builder,
        this.hookchain.dashboard,
      ]
        .map((f) => f.logGroup.logGroupName)
        .join(','),
    });
    new CfnOutput(this, 'TenantLogGroupPrefix', {
      description: 'Tenant action logs: one group per tenant under this prefix',
      value: `${naming.tenantLogGroupPrefix}/${naming.stage}/`,
    });
  }
}
