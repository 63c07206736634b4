/**
 * The functions port (shared/ports/functions.ts) on the Lambda API (AWS, LocalStack, or the local
 * function host), and CloudWatch Logs for each function's log group.
 *
 * The control plane (create, update, delete) goes through @aws-sdk/client-lambda with its retries,
 * which are safe there. Invoke, once per action on the hot path, goes through `lambdaInvoker`
 * (the same request without the SDK's per-call middleware) and makes ONE attempt, because an
 * Invoke that failed after the function ran (a reset connection, a 5xx) must not run a sync action
 * a second time. Only a throttle, which Lambda answers before running anything, is tried again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  ResourceNotFoundException as LogGroupNotFoundException,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CodeStorageExceededException,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  type FunctionConfiguration,
  GetAccountSettingsCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CodeStorageFullError,
  type DeployOptions,
  type DeployOutcome,
  type FunctionHost,
  type FunctionSpec,
} from '../ports/functions.ts';
import type { LambdaInvoker } from './lambda-invoker.ts';

/** The runtime every action version runs on. */
export const ACTION_RUNTIME = 'nodejs22.x';
export const ACTION_HANDLER = 'index.handler';

const WAIT = { maxWaitTime: 120, minDelay: 1, maxDelay: 2 };

/** Builds racing on one function: each lost race re-reads the function and decides again. */
const MAX_UPDATE_ATTEMPTS = 5;

/** Throttled invokes: tried again after 25, 50, 100 ms (with jitter), then the throttle stands. */
const THROTTLE_RETRIES = 3;
const THROTTLE_BASE_MS = 25;

/**
 * The Invoke timeouts: a connection within 3 s, the answer a little past the functions' own
 * Timeout (the runner's AbortSignal usually ends the wait sooner).
 */
export function invokeTimeouts(functionTimeoutSeconds: number) {
  return { connectionTimeoutMs: 3_000, requestTimeoutMs: (functionTimeoutSeconds + 5) * 1000 };
}

export interface LambdaFunctionHostOptions {
  /** Control plane (CreateFunction, UpdateFunctionCode, ...): the SDK's retries are safe here. */
  admin: LambdaClient;
  /** Invoke: `lambdaInvoker` with `invokeTimeouts` (one attempt). */
  invoke: LambdaInvoker;
  logs: CloudWatchLogsClient;
  /** Retention of each function's `/aws/lambda/<name>` group; CloudWatch accepts 1, 3, 5, 7, 14, 30, ... */
  logRetentionDays: number;
}

/** Whether a function already has the settings a deploy asks for (those a redeploy may change). */
function settingsMatch(current: FunctionConfiguration, spec: FunctionSpec): boolean {
  const wanted = spec.environment ?? {};
  const held = current.Environment?.Variables ?? {};
  return (
    current.MemorySize === spec.memoryMb &&
    current.Timeout === spec.timeoutSeconds &&
    current.Role === spec.roleArn &&
    Object.keys(held).length === Object.keys(wanted).length &&
    Object.entries(wanted).every(([key, value]) => held[key] === value)
  );
}

export function lambdaFunctionHost(options: LambdaFunctionHostOptions): FunctionHost {
  const { admin, logs } = options;
  const logGroup = (name: string) => `/aws/lambda/${name}`;

  /**
   * The action's role may not create its own group (a group Lambda creates never expires), so the
   * platform creates it, with retention, before the function exists. CreateLogGroup can answer
   * OperationAbortedException when another call on the group is in flight: tried a few times.
   */
  async function ensureLogGroup(name: string): Promise<void> {
    const logGroupName = logGroup(name);
    for (let attempt = 1; ; attempt++) {
      try {
        await logs.send(new CreateLogGroupCommand({ logGroupName }));
        break;
      } catch (error) {
        if (error instanceof ResourceAlreadyExistsException) break;
        if ((error as Error).name !== 'OperationAbortedException' || attempt >= 5) throw error;
        await sleep(50 * attempt);
      }
    }
    await logs.send(
      new PutRetentionPolicyCommand({ logGroupName, retentionInDays: options.logRetentionDays }),
    );
  }

  async function deleteLogGroup(name: string): Promise<void> {
    try {
      await logs.send(new DeleteLogGroupCommand({ logGroupName: logGroup(name) }));
    } catch (error) {
      if (!(error instanceof LogGroupNotFoundException)) throw error;
    }
  }

  /** Lambda takes one change at a time, and none while the function is Pending. */
  async function settled(name: string): Promise<void> {
    await waitUntilFunctionActiveV2({ client: admin, ...WAIT }, { FunctionName: name });
    await waitUntilFunctionUpdatedV2({ client: admin, ...WAIT }, { FunctionName: name });
  }

  /**
   * An existing function (a draft rebuilt, a build redelivered): asked `stillWanted` before any
   * change, then its settings, then its code. Each change is made only at the revision read
   * before `stillWanted` answered (Lambda's RevisionId): if another build changed the function in
   * between, the change fails with PreconditionFailed and is weighed again against the newer state.
   */
  async function update(
    spec: FunctionSpec,
    stillWanted: DeployOptions['stillWanted'],
  ): Promise<DeployOutcome> {
    for (let attempt = 1; ; attempt++) {
      await settled(spec.name);
      const current = await admin.send(new GetFunctionConfigurationCommand({ FunctionName: spec.name }));
      if (stillWanted && !(await stillWanted())) return 'superseded';
      try {
        if (!settingsMatch(current, spec)) {
          await admin.send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: spec.name,
              MemorySize: spec.memoryMb,
              Timeout: spec.timeoutSeconds,
              Role: spec.roleArn,
              Environment: { Variables: spec.environment ?? {} },
              RevisionId: current.RevisionId,
            }),
          );
          continue; // a new revision: read it, and ask again, before the code changes
        }
        await admin.send(
          new UpdateFunctionCodeCommand({
            FunctionName: spec.name,
            ZipFile: spec.zip,
            RevisionId: current.RevisionId,
          }),
        );
      } catch (error) {
        const raced =
          error instanceof PreconditionFailedException || error instanceof ResourceConflictException;
        if (!raced || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
        continue;
      }
      await waitUntilFunctionUpdatedV2({ client: admin, ...WAIT }, { FunctionName: spec.name });
      return 'deployed';
    }
  }

  return {
    async deploy(spec, { stillWanted } = {}) {
      try {
        await ensureLogGroup(spec.name);
        try {
          await admin.send(
            new CreateFunctionCommand({
              FunctionName: spec.name,
              Runtime: ACTION_RUNTIME,
              Handler: ACTION_HANDLER,
              Role: spec.roleArn,
              Architectures: [spec.architecture],
              MemorySize: spec.memoryMb,
              Timeout: spec.timeoutSeconds,
              Code: { ZipFile: spec.zip },
              Tags: spec.tags,
              Environment: { Variables: spec.environment ?? {} },
            }),
          );
        } catch (error) {
          if (error instanceof ResourceConflictException) return await update(spec, stillWanted);
          // No function came of it: its group would be an orphan.
          await deleteLogGroup(spec.name).catch(() => {});
          throw error;
        }
        await waitUntilFunctionActiveV2({ client: admin, ...WAIT }, { FunctionName: spec.name });
        return 'deployed';
      } catch (error) {
        if (error instanceof CodeStorageExceededException) {
          throw new CodeStorageFullError(error.message, { cause: error });
        }
        throw error;
      }
    },

    async invoke(name, payload, { signal } = {}) {
      const body = Buffer.from(JSON.stringify(payload));
      for (let retry = 0; ; retry++) {
        try {
          const response = await options.invoke(name, body, signal ? { signal } : {});
          const text = response.payload.toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = text;
          }
          return response.functionError
            ? { payload: parsed, functionError: response.functionError }
            : { payload: parsed };
        } catch (error) {
          if ((error as Error)?.name !== 'TooManyRequestsException' || retry >= THROTTLE_RETRIES) throw error;
          const delay = THROTTLE_BASE_MS * 2 ** retry * (0.5 + Math.random());
          // An abort while waiting ends the wait with the throttle: nothing ran.
          await sleep(delay, undefined, signal ? { signal } : {}).catch(() => {
            throw error;
          });
        }
      }
    },

    async delete(name) {
      try {
        await admin.send(new DeleteFunctionCommand({ FunctionName: name }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      await deleteLogGroup(name);
    },

    async codeStorage() {
      const settings = await admin.send(new GetAccountSettingsCommand({}));
      return {
        usedBytes: settings.AccountUsage?.TotalCodeSize ?? 0,
        limitBytes: settings.AccountLimit?.TotalCodeSize ?? 0,
      };
    },
  };
}
