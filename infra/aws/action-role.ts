/**
 * The execution role of every action function. Tenant code runs under it, so it may write the
 * action functions' own logs and nothing else: no managed policies, no other service, no other
 * log groups, and no log group creation (the builder creates each function's group, with
 * retention, before the function: a group Lambda created on first write would never expire). Anything an action needs from the outside world it reaches over HTTPS with the
 * credentials its secrets hold, exactly as on Auth0.
 */
import { Stack } from 'aws-cdk-lib';
import {
  type IGrantable,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { HookchainNaming } from './naming.ts';

export interface ActionExecutionRoleProps {
  naming: HookchainNaming;
}

export class ActionExecutionRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ActionExecutionRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Action functions ${props.naming.actionFunctionNamePrefix}*: their own logs, nothing else`,
      inlinePolicies: {
        OwnLogs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              // Not CreateLogGroup: a group Lambda creates never expires; the builder creates it.
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [props.naming.actionLogGroupsArn(Stack.of(this))],
            }),
          ],
        }),
      },
    });
  }

  /** Lets the builder create functions that run under this role, and no other. */
  grantPassToLambda(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      }),
    );
  }
}
