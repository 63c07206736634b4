/**
 * The environment of a function's process: its own variables plus the ones Lambda itself sets.
 * Nothing is inherited from the host process: no credentials, no endpoints, no developer secrets.
 * NODE_OPTIONS is the one variable not passed on: locally it could widen the sandbox's flags.
 */
import { dirname } from 'node:path';
import { LOCAL_ACCOUNT } from '../resources.ts';

export interface EnvironmentSpec {
  functionName: string;
  handler: string;
  runtime: string;
  memoryMb: number;
  codeDir: string;
  logGroup: string;
  variables: Record<string, string>;
}

export function lambdaEnvironment(
  spec: EnvironmentSpec,
  logStreamName: string,
  tmpDir: string,
): Record<string, string> {
  const { NODE_OPTIONS: _ignored, ...variables } = spec.variables;
  return {
    // Lambda's own values for these may be overridden by the function, as on AWS.
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    // Local runs use the host's Node 20, where the SDK warns about its coming end of support;
    // the deployed runtime is newer, so keep that local-only warning out of function logs.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...variables,
    // Lambda's /tmp: this instance's own writable directory (os.tmpdir() answers it).
    TMPDIR: tmpDir,
    _HANDLER: spec.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroup,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_REGION: LOCAL_ACCOUNT.region,
    AWS_DEFAULT_REGION: LOCAL_ACCOUNT.region,
    LAMBDA_TASK_ROOT: spec.codeDir,
  };
}
