/**
 * Every name the deployment uses, in one place. Two families never overlap:
 * - the platform's own resources: `hookchain-<stage>-<role>` (functions, queues, table, API);
 * - the functions the builder creates at run time: `<prefix>-<stage>-...` (shared/actions/naming.ts).
 * IAM grants follow the second family's prefix, so a platform function can never be touched by them.
 */
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import { functionPrefix } from '../../shared/actions/naming.ts';
import { configEnvironment, loadConfig } from '../../shared/config.ts';

export type LambdaArchitecture = 'arm64' | 'x86_64';

export interface HookchainNamingProps {
  /** e.g. `dev`, `prod`, `prodeu`: lowercase letters and digits, at most 16 (see STAGE_NAME). */
  stage: string;
  /** Prefix of the action functions (default `hc`). */
  functionPrefix?: string;
  /** Prefix of the platform's own resource names (default `hookchain`). */
  appName?: string;
  /** Tenant log groups are `<prefix>/<stage>/<tenant>` (default `/hookchain`). */
  tenantLogGroupPrefix?: string;
}

/**
 * A deployed stage's name is one word. IAM matches names by prefix: with a dash, `hc-prod-*` would
 * also match stage `prod-eu`'s functions and log groups (`hc-prod-eu-...`). Lambda grants are also
 * conditioned on the `hookchain:stage` tag (action-functions.ts), but log groups cannot be
 * scoped by tag for PutLogEvents, so the names themselves must not overlap. (The functions' own
 * configuration still accepts dashes: the local stack shares no account with another stage.)
 */
export const STAGE_NAME = /^[a-z0-9]{1,16}$/;

export class HookchainNaming {
  readonly stage: string;
  readonly functionPrefix: string;
  readonly appName: string;
  readonly tenantLogGroupPrefix: string;

  constructor(props: HookchainNamingProps) {
    // The functions validate their configuration with this schema: reject at synth what they would reject.
    if (!STAGE_NAME.test(props.stage)) {
      throw new Error(
        `Stage '${props.stage}': use lowercase letters and digits only (at most 16), e.g. 'prodeu' rather ` +
          `than 'prod-eu'. A dash would let one stage's IAM name patterns (hc-prod-*) match another's.`,
      );
    }
    const config = loadConfig(
      configEnvironment({
        stage: props.stage,
        functionPrefix: props.functionPrefix,
        logGroupPrefix: props.tenantLogGroupPrefix,
      }),
    );
    this.stage = config.stage;
    this.functionPrefix = config.functionPrefix;
    this.tenantLogGroupPrefix = config.logGroupPrefix;
    this.appName = props.appName ?? 'hookchain';
    for (const role of ['management', 'dispatcher']) {
      if (this.resource(role).startsWith(this.actionFunctionNamePrefix)) {
        throw new Error(
          `Platform function names (${this.resource(role)}) must not start with the action function prefix ` +
            `'${this.actionFunctionNamePrefix}': choose another functionPrefix or appName.`,
        );
      }
    }
  }

  /**
   * Development stages (`dev`, `test`, `local`, `ci`, optionally numbered: `dev2`) keep no data on
   * `cdk destroy` and have no deletion protection. Anything else is protected.
   */
  get isDevelopmentStage(): boolean {
    return /^(dev|test|local|ci)[0-9]*$/.test(this.stage);
  }

  /** `hookchain-dev-builder`. */
  resource(role: string): string {
    return `${this.appName}-${this.stage}-${role}`;
  }

  /** `hc-dev-`: the start of every action function's name. */
  get actionFunctionNamePrefix(): string {
    return functionPrefix(this.functionPrefix, this.stage);
  }

  /** ARN pattern of every action function (and only those). */
  actionFunctionsArn(scope: Stack): string {
    return scope.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: `${this.actionFunctionNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** ARN pattern of the action functions' own log groups and their streams. */
  actionLogGroupsArn(scope: Stack): string {
    return this.logGroupArn(scope, `/aws/lambda/${this.actionFunctionNamePrefix}*`);
  }

  /** ARN pattern of the tenant log groups (`/hookchain/dev/<tenant>`) and their streams. */
  tenantLogGroupsArn(scope: Stack): string {
    return this.logGroupArn(scope, `${this.tenantLogGroupPrefix}/${this.stage}/*`);
  }

  private logGroupArn(scope: Stack, pattern: string): string {
    return scope.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: pattern,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
