/**
 * The functions the builder creates at run time, one per action version, seen from IAM: every
 * grant is on the `<prefix>-<stage>-*` name pattern, never `*`, so a platform function (named
 * `hookchain-<stage>-...`) is out of reach, and creation must carry Hookchain's tags.
 */
import { Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ActionExecutionRole } from './action-role.ts';
import type { HookchainNaming } from './naming.ts';

/** The tags the builder puts on every action function (shared/actions/builds.ts). */
export const ACTION_TAG_KEYS = ['hookchain:stage', 'hookchain:tenant', 'hookchain:action'] as const;

export class ActionFunctions {
  /** ARN pattern of every action function. */
  readonly arnPattern: string;

  constructor(
    scope: Construct,
    readonly naming: HookchainNaming,
    readonly executionRole: ActionExecutionRole,
  ) {
    this.arnPattern = naming.actionFunctionsArn(Stack.of(scope));
  }

  grantInvoke(grantee: IGrantable): Grant {
    return this.grant(grantee, ['lambda:InvokeFunction']);
  }

  grantDelete(grantee: IGrantable): Grant {
    return this.grant(grantee, ['lambda:DeleteFunction']);
  }

  /**
   * Create (tagged with this stage, the tenant and the action, running as the action role),
   * replace the code of, wait on, warm and prune action functions.
   */
  grantDeploy(grantee: IGrantable): Grant {
    Grant.addToPrincipal({
      grantee,
      actions: ['lambda:CreateFunction', 'lambda:TagResource'],
      resourceArns: [this.arnPattern],
      conditions: {
        StringEquals: { 'aws:RequestTag/hookchain:stage': this.naming.stage },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...ACTION_TAG_KEYS] },
        Null: { 'aws:RequestTag/hookchain:tenant': 'false', 'aws:RequestTag/hookchain:action': 'false' },
      },
    });
    this.executionRole.grantPassToLambda(grantee);
    // Each function's log group, created with retention before the function and deleted with it.
    Grant.addToPrincipal({
      grantee,
      actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteLogGroup'],
      resourceArns: [this.naming.actionLogGroupsArn(Stack.of(this.executionRole))],
    });
    return this.grant(grantee, [
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:InvokeFunction',
      'lambda:DeleteFunction',
    ]);
  }

  private grant(grantee: IGrantable, actions: string[]): Grant {
    return Grant.addToPrincipal({ grantee, actions, resourceArns: [this.arnPattern] });
  }
}
