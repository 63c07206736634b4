/**
 * The functions the builder creates at run time, one per action version, seen from IAM: every
 * grant is on the `<prefix>-<stage>-*` name pattern, never `*`, so a platform function (named
 * `hookchain-<stage>-...`) is out of reach, and creation must carry Hookchain's tags.
 *
 * Every call on an existing function is also conditioned on its `hookchain:stage` tag (Lambda
 * evaluates `aws:ResourceTag` for function actions), so a grant can reach only this stage's
 * functions even where another stage's names match the pattern. The stage name rule
 * (naming.ts) closes the same gap for log groups, which IAM cannot scope by tag.
 */
import { Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ActionExecutionRole } from './action-role.ts';
import type { HookchainNaming } from './naming.ts';

/** The tags the builder puts on every action function (shared/actions/builds.ts). */
export const ACTION_TAG_KEYS = ['hookchain:stage', 'hookchain:tenant', 'hookchain:action'] as const;
export const STAGE_TAG = 'hookchain:stage';

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
   * replace the code and settings of, wait on, warm and prune action functions.
   */
  grantDeploy(grantee: IGrantable): Grant {
    Grant.addToPrincipal({
      grantee,
      actions: ['lambda:CreateFunction', 'lambda:TagResource'],
      resourceArns: [this.arnPattern],
      conditions: {
        StringEquals: { [`aws:RequestTag/${STAGE_TAG}`]: this.naming.stage },
        // Tagging an existing function (TagResource alone) must not re-tag another stage's into this one.
        StringEqualsIfExists: { [`aws:ResourceTag/${STAGE_TAG}`]: this.naming.stage },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [...ACTION_TAG_KEYS] },
        Null: { 'aws:RequestTag/hookchain:tenant': 'false', 'aws:RequestTag/hookchain:action': 'false' },
      },
    });
    this.executionRole.grantPassToLambda(grantee);
    // The code-storage check (`CodeSizeZipped` of the account's quota): an account-level read,
    // which has no resource to scope to.
    Grant.addToPrincipal({ grantee, actions: ['lambda:GetAccountSettings'], resourceArns: ['*'] });
    return this.grant(grantee, [
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      // GetFunction on a tagged function also needs ListTags.
      'lambda:ListTags',
      'lambda:InvokeFunction',
      'lambda:DeleteFunction',
    ]);
  }

  /** On this stage's action functions only: the name pattern and the stage tag. */
  private grant(grantee: IGrantable, actions: string[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.arnPattern],
      conditions: { StringEquals: { [`aws:ResourceTag/${STAGE_TAG}`]: this.naming.stage } },
    });
  }
}
