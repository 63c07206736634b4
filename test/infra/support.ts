/**
 * Template tests without bundling (`aws:cdk:bundling-stacks: []`: NodejsFunction skips esbuild, a
 * synth takes milliseconds) and with the cloud assembly written to a temp dir we delete, instead
 * of the `cdk.outXXXX` dirs an App without `outdir` leaves in the OS temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { HookchainProps } from '../../infra/aws/hookchain.ts';
import { HookchainStack } from '../../infra/aws/stack.ts';

export interface Resource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, inspected freely by the tests
  Properties?: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  Metadata?: Record<string, unknown>;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface Synthesized {
  template: Template;
  resources: Record<string, Resource>;
  outputs: Record<string, { Value: unknown }>;
}

const outdirs: string[] = [];

export function synthHookchain(props: HookchainProps): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'hookchain-cdk-test-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new HookchainStack(app, `hookchain-${props.stage}`, { hookchain: props });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as { Resources: Synthesized['resources']; Outputs: Synthesized['outputs'] };
  return { template, resources: json.Resources, outputs: json.Outputs };
}

/** For `afterAll`. */
export function removeSynthOutput(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function ofType(resources: Record<string, Resource>, type: string): Array<[string, Resource]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** Every statement a role holds: its inline policies and the AWS::IAM::Policy resources attached to it. */
export function statementsOfRole(resources: Record<string, Resource>, roleId: string): Statement[] {
  const role = resources[roleId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role`);
  const inline = asArray(role.Properties?.Policies).flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );
  const attached = ofType(resources, 'AWS::IAM::Policy')
    .filter(([, p]) => asArray(p.Properties?.Roles).some((r: { Ref?: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties?.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

/** The logical id of the role a function runs as. */
export function roleOfFunction(fn: Resource): string {
  const role = fn.Properties?.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}

/** The logical id of the action role, as the platform functions' configuration names it. */
export function actionRoleOf(fn: Resource): string {
  const arn = fn.Properties?.Environment?.Variables?.HOOKCHAIN_ACTION_ROLE_ARN as {
    'Fn::GetAtt': [string, string];
  };
  return arn['Fn::GetAtt'][0];
}

export function functionNamed(resources: Record<string, Resource>, name: string): [string, Resource] {
  const found = ofType(resources, 'AWS::Lambda::Function').find(
    ([, f]) => f.Properties?.FunctionName === name,
  );
  if (!found) throw new Error(`No function named ${name}`);
  return found;
}

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

/**
 * Resolves CloudFormation intrinsics the way a deployment in ACCOUNT/REGION would, well enough to
 * compare names and ARNs: Ref, Fn::GetAtt (Arn, QueueUrl) and Fn::Join.
 */
export function resolve(value: unknown, resources: Record<string, Resource>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, resources));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return ref(object.Ref as string, resources);
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    return getAtt(id, attribute, resources);
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolve(p, resources)).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v, resources)]));
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

function physicalName(id: string, resource: Resource): string {
  const p = resource.Properties ?? {};
  return (p.TableName ?? p.QueueName ?? p.FunctionName ?? p.RoleName ?? p.LogGroupName ?? id) as string;
}

function ref(id: string, resources: Record<string, Resource>): string {
  if (PSEUDO[id]) return PSEUDO[id];
  const resource = resources[id];
  if (!resource) throw new Error(`Ref to unknown ${id}`);
  if (resource.Type === 'AWS::SQS::Queue') return getAtt(id, 'QueueUrl', resources);
  if (resource.Type === 'AWS::SecretsManager::Secret')
    return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}`;
  return physicalName(id, resource);
}

function getAtt(id: string, attribute: string, resources: Record<string, Resource>): string {
  const resource = resources[id];
  if (!resource) throw new Error(`GetAtt of unknown ${id}`);
  const name = physicalName(id, resource);
  const arns: Record<string, string> = {
    'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${name}`,
    'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
    'AWS::KMS::Key': `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`,
    'AWS::DynamoDB::Table': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
    'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    'AWS::Logs::LogGroup': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`,
  };
  if (attribute === 'QueueUrl') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
  if (attribute === 'Arn' && arns[resource.Type]) return arns[resource.Type] as string;
  throw new Error(`GetAtt ${id}.${attribute} (${resource.Type}) is not resolved by these tests`);
}

/** IAM's `*` wildcard (resources and condition values), as a RegExp. */
export function iamPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}
