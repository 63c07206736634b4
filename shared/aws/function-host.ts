/**
 * Where action code runs: one function per action version. The interface is what the platform
 * needs; `lambdaFunctionHost` is its only implementation, talking the Lambda API (AWS, LocalStack,
 * or the local function host) through @aws-sdk/client-lambda with keep-alive connections.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';

export interface FunctionSpec {
  name: string;
  zip: Uint8Array;
  roleArn: string;
  architecture: 'arm64' | 'x86_64';
  memoryMb: number;
  timeoutSeconds: number;
  tags: Record<string, string>;
  environment?: Record<string, string>;
}

export interface InvokeResult {
  /** The parsed JSON response, or the error payload when `functionError` is set. */
  payload: unknown;
  /** Lambda's `X-Amz-Function-Error`: the function crashed, timed out or threw. */
  functionError?: string;
}

export interface FunctionHost {
  /** Creates the function, or replaces its code when it exists; resolves once it can be invoked. */
  deploy(spec: FunctionSpec): Promise<void>;
  invoke(name: string, payload: unknown): Promise<InvokeResult>;
  /** Idempotent. */
  delete(name: string): Promise<void>;
}

/** The runtime every action version runs on. */
export const ACTION_RUNTIME = 'nodejs22.x';
export const ACTION_HANDLER = 'index.handler';

const WAIT = { maxWaitTime: 120, minDelay: 1, maxDelay: 2 };

export function lambdaFunctionHost(client: LambdaClient = new LambdaClient({})): FunctionHost {
  return {
    async deploy(spec) {
      try {
        await client.send(
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
        await waitUntilFunctionActiveV2({ client, ...WAIT }, { FunctionName: spec.name });
      } catch (error) {
        if (!(error instanceof ResourceConflictException)) throw error;
        await client.send(new UpdateFunctionCodeCommand({ FunctionName: spec.name, ZipFile: spec.zip }));
        await waitUntilFunctionUpdatedV2({ client, ...WAIT }, { FunctionName: spec.name });
      }
    },

    async invoke(name, payload) {
      const response = await client.send(
        new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }),
      );
      const text = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      return response.FunctionError
        ? { payload: parsed, functionError: response.FunctionError }
        : { payload: parsed };
    },

    async delete(name) {
      try {
        await client.send(new DeleteFunctionCommand({ FunctionName: name }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    },
  };
}
