/**
 * The builder creates action functions with exactly what the template grants it. The builder's
 * real handler runs a draft build with the configuration the template gives its function; a
 * small server speaking the Lambda API records the CreateFunction request, which is then checked
 * against the builder's IAM statements: the role it passes, the name pattern it may create, the
 * tags the conditions require, and the runtime and architecture of the stack.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuilderHandler } from '../../functions/builder/handler.ts';
import { createPlatform, type Platform } from '../../functions/platform.ts';
import type { BuildJob } from '../../shared/actions/context.ts';
import { createAction } from '../../shared/actions/drafts.ts';
import { createDynamoStore } from '../../shared/aws/dynamo/store.ts';
import { loadConfig } from '../../shared/config.ts';
import { startDynalite } from '../support/dynalite.ts';
import {
  ACCOUNT,
  actionRoleOf,
  asArray,
  functionNamed,
  iamPattern,
  REGION,
  removeSynthOutput,
  resolve,
  roleOfFunction,
  type Statement,
  statementsOfRole,
  synthHookchain,
} from './support.ts';

interface CreateFunctionRequest {
  FunctionName: string;
  Role: string;
  Runtime: string;
  Handler: string;
  Architectures: string[];
  Tags: Record<string, string>;
}

/**
 * Just enough of the Lambda API for `lambdaFunctionHost.deploy` (CreateFunction and GetFunction),
 * and of CloudWatch Logs for its log group.
 */
async function startLambdaRecorder() {
  const created: CreateFunctionRequest[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const active = (name: string) => ({
      FunctionName: name,
      State: 'Active',
      LastUpdateStatus: 'Successful',
    });
    // CloudWatch Logs (the function's log group, created first): accepted.
    if (req.method === 'POST' && req.url === '/' && req.headers['x-amz-target']) return reply(200, {});
    if (req.method === 'POST' && req.url === '/2015-03-31/functions') {
      const request = JSON.parse(body) as CreateFunctionRequest;
      created.push(request);
      return reply(201, active(request.FunctionName));
    }
    const get = /^\/2015-03-31\/functions\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'GET' && get)
      return reply(200, { Configuration: active(decodeURIComponent(get[1] as string)) });
    reply(400, { message: `Unexpected ${req.method} ${req.url}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    created,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const variants = [
  { stage: 'dev', architecture: 'arm64' as const },
  { stage: 'qa', architecture: 'x86_64' as const },
];

let lambda: Awaited<ReturnType<typeof startLambdaRecorder>>;
let dynalite: Awaited<ReturnType<typeof startDynalite>>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [lambda, dynalite] = await Promise.all([startLambdaRecorder(), startDynalite()]);
  // The platform's clients find the Lambda API through the standard endpoint variable.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: lambda.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([lambda?.stop(), dynalite?.stop()]);
  removeSynthOutput();
});

describe.each(variants)('stage $stage on $architecture', ({ stage, architecture }) => {
  const { resources } = synthHookchain({ stage, architecture });
  const [, builderFn] = functionNamed(resources, `hookchain-${stage}-builder`);
  const statements = statementsOfRole(resources, roleOfFunction(builderFn));
  const granting = (action: string) => statements.filter((s) => asArray(s.Action).includes(action));
  let request: CreateFunctionRequest;

  beforeAll(async () => {
    const env = resolve(builderFn.Properties?.Environment.Variables, resources) as Record<string, string>;
    // On Lambda the runtime entry is pre-bundled in /var/task; here the source one is used.
    delete env.HOOKCHAIN_RUNTIME_ENTRY;
    const deployed = createPlatform(loadConfig({ ...env, AWS_REGION: REGION }));
    const jobs: BuildJob[] = [];
    const platform: Platform = {
      ...deployed,
      actions: {
        ...deployed.actions,
        store: createDynamoStore(dynalite.tableName, dynalite.client),
        builds: { send: async (job) => void jobs.push(job) },
      },
    };
    await createAction(platform.actions, 'acme', {
      name: `creation-path-${stage}`,
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: 'exports.onExecutePostLogin = async (event, api) => {};',
    } as Parameters<typeof createAction>[2]);
    const event = { Records: jobs.map((job, i) => ({ messageId: String(i), body: JSON.stringify(job) })) };
    const before = lambda.created.length;
    const result = await createBuilderHandler(() => platform)(event as SQSEvent, {} as Context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(lambda.created.length).toBe(before + 1);
    request = lambda.created.at(-1) as CreateFunctionRequest;
  });

  it('passes the one role iam:PassRole allows, the action role of the stack', () => {
    const [passRole] = granting('iam:PassRole');
    expect(granting('iam:PassRole')).toHaveLength(1);
    expect(request.Role).toBe(resolve(passRole?.Resource, resources));
    expect(request.Role).toMatch(/ActionRole/);
  });

  it('creates a function whose name the CreateFunction grant covers', () => {
    const [create] = granting('lambda:CreateFunction');
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${request.FunctionName}`;
    expect(iamPattern(resolve(create?.Resource, resources) as string).test(arn)).toBe(true);
    expect(request.FunctionName.startsWith(`hc-${stage}-acme-`)).toBe(true);
  });

  it('tags it with exactly the keys and values the grant’s conditions require', () => {
    const [create] = granting('lambda:CreateFunction');
    const condition = create?.Condition as NonNullable<Statement['Condition']>;
    const allowedKeys = condition['ForAllValues:StringEquals']?.['aws:TagKeys'] as string[];
    expect(Object.keys(request.Tags).sort()).toEqual([...allowedKeys].sort());
    for (const [key, value] of Object.entries(condition.StringEquals ?? {})) {
      expect(request.Tags[key.replace('aws:RequestTag/', '')]).toBe(value);
    }
    for (const [key, isNull] of Object.entries(condition.Null ?? {})) {
      if (isNull === 'false') expect(request.Tags[key.replace('aws:RequestTag/', '')]).toBeTruthy();
    }
    expect(request.Tags['hookchain:stage']).toBe(stage);
    expect(request.Tags['hookchain:tenant']).toBe('acme');
  });

  it('uses the runtime and architecture the stack runs on', () => {
    expect(request.Runtime).toBe(builderFn.Properties?.Runtime);
    expect(request.Architectures).toEqual(builderFn.Properties?.Architectures);
    expect(request.Architectures).toEqual([architecture]);
    expect(request.Handler).toBe('index.handler');
  });

  it('the new function may write its logs under the action role, and the builder may wait on it', () => {
    const actionRoleId = actionRoleOf(builderFn);
    const [logs] = statementsOfRole(resources, actionRoleId);
    const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${request.FunctionName}`;
    expect(iamPattern(resolve(logs?.Resource, resources) as string).test(`${group}:log-stream:x`)).toBe(true);
    // waitUntilFunctionActiveV2 polls GetFunction.
    const [get] = granting('lambda:GetFunction');
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${request.FunctionName}`;
    expect(iamPattern(resolve(get?.Resource, resources) as string).test(arn)).toBe(true);
    // ...on the tag the function was created with, so this stage's grants reach it.
    for (const [key, value] of Object.entries(get?.Condition?.StringEquals ?? {})) {
      expect(request.Tags[key.replace('aws:ResourceTag/', '')]).toBe(value);
    }
    expect(get?.Condition?.StringEquals).toEqual({ 'aws:ResourceTag/hookchain:stage': stage });
  });
});
