/**
 * What the synthesized template promises: queues with DLQs and alarms, functions with retained
 * log groups, least-privilege roles (the action role above all), the table's protections, the
 * API's routes, and a configuration every function can load.
 */
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILDER_NODE_MODULES, RUNTIME_ENTRY_IN_ASSET } from '../../infra/aws/builder-bundling.ts';
import { hookchainPropsFromContext } from '../../infra/aws/context.ts';
import { ACTION_RUNTIME } from '../../shared/aws/lambda-function-host.ts';
import { loadConfig } from '../../shared/config.ts';
import {
  actionRoleOf,
  asArray,
  functionNamed,
  iamPattern,
  ofType,
  type Resource,
  removeSynthOutput,
  resolve,
  roleOfFunction,
  type Statement,
  statementsOfRole,
  synthHookchain,
} from './support.ts';

const dev = synthHookchain({ stage: 'dev' });
const prod = synthHookchain({ stage: 'prod', architecture: 'x86_64' });
afterAll(removeSynthOutput);

const { resources } = dev;
const functions = ofType(resources, 'AWS::Lambda::Function');
const PLATFORM_FUNCTIONS = ['management', 'dispatcher', 'async-worker', 'builder', 'dashboard'].map(
  (r) => `hookchain-dev-${r}`,
);
/** The functions that run the platform's logic and load its configuration; the dashboard does not. */
const CONFIGURED_FUNCTIONS = PLATFORM_FUNCTIONS.filter((name) => name !== 'hookchain-dev-dashboard');
const fn = (role: string) => functionNamed(resources, `hookchain-dev-${role}`);
const statementsOf = (role: string) => statementsOfRole(resources, roleOfFunction(fn(role)[1]));
const actions = (s: Statement) => asArray(s.Action);
const resourcesOf = (s: Statement) => asArray(s.Resource).map((r) => resolve(r, resources) as string);

describe('queues', () => {
  const queues = ofType(resources, 'AWS::SQS::Queue');
  const deadLetterIds = new Set(
    queues.flatMap(([, q]) => {
      const target = q.Properties?.RedrivePolicy?.deadLetterTargetArn;
      return target ? [target['Fn::GetAtt'][0] as string] : [];
    }),
  );
  const workQueues = queues.filter(([id]) => !deadLetterIds.has(id));

  it('the trigger and build queues each redrive to their own DLQ after at least five receives (throttled ones count)', () => {
    expect(workQueues.map(([, q]) => q.Properties?.QueueName).sort()).toEqual([
      'hookchain-dev-builds',
      'hookchain-dev-triggers',
    ]);
    expect(deadLetterIds.size).toBe(workQueues.length);
    for (const [, queue] of workQueues) {
      expect(queue.Properties?.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    }
    for (const id of deadLetterIds) {
      expect(resources[id]?.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    }
  });

  it('every work queue has an age-of-oldest-message alarm, every DLQ a not-empty alarm', () => {
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
    const alarmedQueues = (metric: string) =>
      alarms
        .filter((a) => a.MetricName === metric)
        .map((a) => a.Dimensions[0].Value['Fn::GetAtt'][0] as string)
        .sort();
    expect(alarmedQueues('ApproximateAgeOfOldestMessage')).toEqual(workQueues.map(([id]) => id).sort());
    expect(alarmedQueues('ApproximateNumberOfMessagesVisible')).toEqual([...deadLetterIds].sort());
  });

  it('a consumer never sees a message again while it may still be working on it', () => {
    for (const [, mapping] of ofType(resources, 'AWS::Lambda::EventSourceMapping')) {
      const queueId = mapping.Properties?.EventSourceArn['Fn::GetAtt'][0] as string;
      const consumer = resources[mapping.Properties?.FunctionName.Ref as string] as Resource;
      expect(resources[queueId]?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * consumer.Properties?.Timeout,
      );
    }
  });

  it('the builder takes one build at a time, the worker ten executions; both report partial failures', () => {
    const mappingOf = (role: string) =>
      ofType(resources, 'AWS::Lambda::EventSourceMapping').find(
        ([, m]) => m.Properties?.FunctionName.Ref === fn(role)[0],
      )?.[1].Properties;
    expect(mappingOf('builder')).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mappingOf('async-worker')).toMatchObject({
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('concurrency isolation', () => {
  const mappingOf = (synth: typeof dev, name: string) =>
    ofType(synth.resources, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties?.FunctionName.Ref === functionNamed(synth.resources, name)[0],
    )?.[1].Properties;

  it('the dispatcher has concurrency of its own, so queued work can never starve logins', () => {
    expect(fn('dispatcher')[1].Properties?.ReservedConcurrentExecutions).toBe(100);
    for (const role of ['management', 'async-worker', 'builder', 'dashboard']) {
      expect(fn(role)[1].Properties?.ReservedConcurrentExecutions, role).toBeUndefined();
    }
  });

  it('both queue consumers have a maximum concurrency: builds two at a time, async batches ten', () => {
    expect(mappingOf(dev, 'hookchain-dev-builder')?.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(mappingOf(dev, 'hookchain-dev-async-worker')?.ScalingConfig).toEqual({ MaximumConcurrency: 10 });
  });

  it('all three are context settings; a reservation of 0 means none (not a dispatcher that is always throttled)', () => {
    const app = new App({
      context: {
        stage: 'qa',
        dispatcherReservedConcurrency: '0',
        builderMaxConcurrency: '3',
        asyncWorkerMaxConcurrency: '50',
      },
    });
    const props = hookchainPropsFromContext(app.node);
    expect(props).toMatchObject({
      dispatcherReservedConcurrency: 0,
      builderMaxConcurrency: 3,
      asyncWorkerMaxConcurrency: 50,
    });
    const qa = synthHookchain(props);
    expect(
      functionNamed(qa.resources, 'hookchain-qa-dispatcher')[1].Properties?.ReservedConcurrentExecutions,
    ).toBeUndefined();
    expect(mappingOf(qa, 'hookchain-qa-builder')?.ScalingConfig).toEqual({ MaximumConcurrency: 3 });
    expect(mappingOf(qa, 'hookchain-qa-async-worker')?.ScalingConfig).toEqual({ MaximumConcurrency: 50 });
    const bad = new App({ context: { builderMaxConcurrency: '1' } });
    expect(() => hookchainPropsFromContext(bad.node)).toThrow(
      '-c builderMaxConcurrency=1: use a whole number from 2 to 1000.',
    );
  });
});

describe('functions', () => {
  it('the five platform functions run nodejs22.x on the chosen architecture, like action functions', () => {
    expect(functions.map(([, f]) => f.Properties?.FunctionName).sort()).toEqual(
      [...PLATFORM_FUNCTIONS].sort(),
    );
    for (const [, f] of functions) {
      expect(f.Properties?.Runtime).toBe(ACTION_RUNTIME);
      expect(f.Properties?.Architectures).toEqual(['arm64']);
      expect(f.Properties?.Handler).toBe('index.handler');
    }
    for (const [, f] of ofType(prod.resources, 'AWS::Lambda::Function')) {
      expect(f.Properties?.Architectures).toEqual(['x86_64']);
      if (f.Properties?.FunctionName !== 'hookchain-prod-dashboard') {
        expect(f.Properties?.Environment.Variables.HOOKCHAIN_ACTION_ARCHITECTURE).toBe('x86_64');
      }
    }
  });

  it('every function has its own log group with retention, created before the function', () => {
    const groups = ofType(resources, 'AWS::Logs::LogGroup');
    for (const [id, f] of functions) {
      const name = `/aws/lambda/${f.Properties?.FunctionName}`;
      const group = groups.find(([, g]) => g.Properties?.LogGroupName === name);
      expect(group, name).toBeDefined();
      expect(group?.[1].Properties?.RetentionInDays).toBeGreaterThan(0);
      expect(f.DependsOn, id).toContain(group?.[0]);
    }
  });

  it('every function but the dashboard can load its configuration from its environment, with the KMS cipher', () => {
    for (const [, f] of functions.filter(([, f]) =>
      CONFIGURED_FUNCTIONS.includes(f.Properties?.FunctionName),
    )) {
      const env = resolve(f.Properties?.Environment.Variables, resources) as Record<string, string>;
      const config = loadConfig({ ...env, AWS_REGION: 'eu-west-1' });
      expect(config.kmsKeyId).toMatch(/^arn:aws:kms:/);
      expect(config.secretKey).toBeUndefined();
      expect(config.stage).toBe('dev');
      expect(config.tableName).toBe('hookchain-dev-data');
      expect(config.triggerQueueUrl).toMatch(/hookchain-dev-triggers$/);
      expect(config.triggerDlqUrl).toMatch(/hookchain-dev-triggers-dlq$/);
      expect(config.buildQueueUrl).toMatch(/hookchain-dev-builds$/);
      expect(env.POWERTOOLS_SERVICE_NAME).toMatch(/^hookchain-/);
    }
    const builder = fn('builder')[1].Properties?.Environment.Variables;
    expect(builder).toMatchObject({
      HOOKCHAIN_RUNTIME_ENTRY: RUNTIME_ENTRY_IN_ASSET,
      HOOKCHAIN_BUILD_CACHE_DIR: expect.stringMatching(/^\/tmp\//),
    });
    expect(fn('management')[1].Properties?.Environment.Variables.HOOKCHAIN_OPERATOR_TOKEN_SECRET_ARN).toEqual(
      {
        Ref: expect.stringMatching(/OperatorToken/),
      },
    );
  });

  it('the dashboard serves files: small, quick, and told nothing about the platform', () => {
    const dashboard = fn('dashboard')[1].Properties;
    expect(dashboard?.MemorySize).toBeLessThanOrEqual(256);
    expect(dashboard?.Timeout).toBeLessThanOrEqual(10);
    expect(Object.keys(dashboard?.Environment.Variables).filter((k) => k.startsWith('HOOKCHAIN_'))).toEqual(
      [],
    );
    expect(dashboard?.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('hookchain-dashboard');
  });

  it('the builder has room to install and bundle', () => {
    const builder = fn('builder')[1].Properties;
    expect(builder?.MemorySize).toBeGreaterThanOrEqual(2048);
    expect(builder?.Timeout).toBeGreaterThanOrEqual(300);
    expect(builder?.EphemeralStorage.Size).toBeGreaterThanOrEqual(2048);
    expect(BUILDER_NODE_MODULES).toContain('esbuild');
  });
});

describe('IAM', () => {
  const actionRoleId = actionRoleOf(fn('builder')[1]);

  it('the action role may write the action functions’ own logs (not create their groups), and nothing else', () => {
    const role = resources[actionRoleId]?.Properties;
    expect(role?.ManagedPolicyArns).toBeUndefined();
    expect(role?.PermissionsBoundary).toBeUndefined();
    expect(role?.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const statements = statementsOfRole(resources, actionRoleId);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(actions(statement).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(resourcesOf(statement)).toEqual([
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hc-dev-*',
      ]);
      expect(statement.Condition).toBeUndefined();
    }
  });

  it('no platform role holds a managed policy; each writes only its own log group', () => {
    for (const [, f] of functions) {
      const roleId = roleOfFunction(f);
      expect(resources[roleId]?.Properties?.ManagedPolicyArns).toBeUndefined();
      const logResources = statementsOfRole(resources, roleId)
        .filter((s) => actions(s).some((a) => a === 'logs:PutLogEvents'))
        .flatMap(resourcesOf);
      expect(logResources).toContain(
        `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/${f.Properties?.FunctionName}:*`,
      );
    }
  });

  it('no policy grants DynamoDB or Lambda on `*`: the table, its indexes, the action prefix only', () => {
    const policies = [
      ...ofType(resources, 'AWS::IAM::Policy').flatMap(
        ([, p]) => p.Properties?.PolicyDocument.Statement as Statement[],
      ),
      ...ofType(resources, 'AWS::IAM::Role').flatMap(([id]) => statementsOfRole(resources, id)),
    ];
    const touches = (s: Statement, service: string) =>
      actions(s).some((a) => a === '*' || a.startsWith(`${service}:`));
    const dynamo = policies.filter((s) => touches(s, 'dynamodb'));
    let lambda = policies.filter((s) => touches(s, 'lambda'));
    expect(dynamo.length).toBeGreaterThan(0);
    expect(lambda.length).toBeGreaterThan(0);
    // The one exception: an account-level read that has no resource (the code-storage quota).
    const accountRead = (s: Statement) => actions(s).join() === 'lambda:GetAccountSettings';
    expect(lambda.some(accountRead)).toBe(true);
    lambda = lambda.filter((s) => !accountRead(s));
    for (const s of [...dynamo, ...lambda]) {
      expect(actions(s)).not.toContain('*');
      expect(asArray(s.Resource)).not.toContain('*');
    }
    for (const s of dynamo) {
      expect(resourcesOf(s).sort()).toEqual([
        'arn:aws:dynamodb:eu-west-1:123456789012:table/hookchain-dev-data',
        'arn:aws:dynamodb:eu-west-1:123456789012:table/hookchain-dev-data/index/*',
      ]);
      expect(actions(s).filter((a) => /Scan|Table|Stream|Backup/.test(a))).toEqual([]);
    }
    for (const s of lambda) {
      expect(resourcesOf(s)).toEqual(['arn:aws:lambda:eu-west-1:123456789012:function:hc-dev-*']);
      // Platform functions are out of reach of every action grant.
      for (const name of PLATFORM_FUNCTIONS) {
        expect(
          iamPattern(resourcesOf(s)[0] as string).test(
            `arn:aws:lambda:eu-west-1:123456789012:function:${name}`,
          ),
        ).toBe(false);
      }
    }
  });

  it('Lambda grants: the builder deploys, management invokes and deletes, dispatcher and worker invoke', () => {
    const lambdaActions = (role: string) =>
      statementsOf(role)
        .flatMap(actions)
        .filter((a) => a.startsWith('lambda:'))
        .sort();
    expect(lambdaActions('builder')).toEqual([
      'lambda:CreateFunction',
      'lambda:DeleteFunction',
      'lambda:GetAccountSettings',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:InvokeFunction',
      'lambda:ListTags',
      'lambda:TagResource',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
    ]);
    expect(lambdaActions('management')).toEqual(['lambda:DeleteFunction', 'lambda:InvokeFunction']);
    expect(lambdaActions('dispatcher')).toEqual(['lambda:InvokeFunction']);
    expect(lambdaActions('async-worker')).toEqual(['lambda:InvokeFunction']);
  });

  it('every grant on existing action functions holds for this stage’s tag only; creation must carry it', () => {
    for (const role of ['builder', 'management', 'dispatcher', 'async-worker']) {
      const onFunctions = statementsOf(role).filter((s) =>
        resourcesOf(s).includes('arn:aws:lambda:eu-west-1:123456789012:function:hc-dev-*'),
      );
      expect(onFunctions.length, role).toBeGreaterThan(0);
      for (const s of onFunctions) {
        if (actions(s).includes('lambda:CreateFunction')) {
          expect(s.Condition?.StringEquals).toMatchObject({ 'aws:RequestTag/hookchain:stage': 'dev' });
          // ...and TagResource on an existing function cannot re-tag another stage's into this one.
          expect(s.Condition?.StringEqualsIfExists).toEqual({ 'aws:ResourceTag/hookchain:stage': 'dev' });
        } else {
          expect(s.Condition, `${role}: ${actions(s).join()}`).toEqual({
            StringEquals: { 'aws:ResourceTag/hookchain:stage': 'dev' },
          });
        }
      }
    }
  });

  it('refuses a stage name whose IAM name patterns could match another stage’s (hc-prod-* and prod-eu)', () => {
    expect(() => synthHookchain({ stage: 'prod-eu' })).toThrow(
      /Stage 'prod-eu': use lowercase letters and digits only/,
    );
    expect(() => synthHookchain({ stage: 'prodeu' })).not.toThrow();
  });

  it('the builder manages the action functions’ log groups (created with retention before each function) and reads the account’s code storage', () => {
    const onActionGroups = statementsOf('builder').filter((s) =>
      resourcesOf(s).includes('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hc-dev-*'),
    );
    expect(onActionGroups.flatMap(actions).sort()).toEqual([
      'logs:CreateLogGroup',
      'logs:DeleteLogGroup',
      'logs:PutRetentionPolicy',
    ]);
    expect(statementsOf('builder').filter((s) => actions(s).includes('lambda:GetAccountSettings'))).toEqual([
      { Effect: 'Allow', Action: 'lambda:GetAccountSettings', Resource: '*' },
    ]);
  });

  it('only the builder may pass a role, only the action role, only to Lambda', () => {
    for (const role of ['management', 'dispatcher', 'async-worker']) {
      expect(statementsOf(role).flatMap(actions)).not.toContain('iam:PassRole');
    }
    const passRole = statementsOf('builder').filter((s) => actions(s).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(passRole[0]?.Resource).toEqual({ 'Fn::GetAtt': [actionRoleId, 'Arn'] });
    expect(passRole[0]?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    });
  });

  it('only the dispatcher, worker and management API may decrypt with the key directly, for secrets only', () => {
    const kms = (role: string) =>
      statementsOf(role).filter((s) => actions(s).some((a) => a.startsWith('kms:')));
    const direct = (role: string) => kms(role).filter((s) => !s.Condition?.StringEquals?.['kms:ViaService']);
    for (const role of ['management', 'dispatcher', 'async-worker']) {
      expect(direct(role).flatMap(actions)).toContain('kms:Decrypt');
      for (const s of direct(role)) {
        expect(s.Condition).toEqual({
          StringEquals: { 'kms:EncryptionContext:hookchain:purpose': 'action-secrets' },
        });
      }
    }
    expect(direct('management').flatMap(actions)).toContain('kms:GenerateDataKey');
    expect(direct('dispatcher').flatMap(actions)).not.toContain('kms:GenerateDataKey');
    expect(direct('builder')).toEqual([]);
    // Reading the encrypted table needs the key through DynamoDB, and only through it.
    for (const role of ['management', 'dispatcher', 'async-worker', 'builder']) {
      const viaDynamo = kms(role).filter((s) => s.Condition?.StringEquals?.['kms:ViaService']);
      expect(viaDynamo).toHaveLength(1);
      expect(resolve(viaDynamo[0]?.Condition, resources)).toEqual({
        StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' },
      });
    }
  });

  it('tenant logs: dispatcher and worker write, management reads, all under /hookchain/<stage>/ only', () => {
    const tenantLogs = (role: string) =>
      statementsOf(role).filter((s) => resourcesOf(s).some((r) => r.includes(':log-group:/hookchain/')));
    for (const role of ['dispatcher', 'async-worker']) {
      expect(tenantLogs(role).flatMap(actions).sort()).toEqual([
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'logs:PutRetentionPolicy',
      ]);
    }
    // Management creates each tenant's group, with retention, with the tenant; and tails it.
    expect(tenantLogs('management').flatMap(actions).sort()).toEqual([
      'logs:CreateLogGroup',
      'logs:FilterLogEvents',
      'logs:PutRetentionPolicy',
    ]);
    expect(tenantLogs('builder')).toEqual([]);
    for (const s of ['dispatcher', 'management'].flatMap(tenantLogs)) {
      expect(resourcesOf(s)).toEqual(['arn:aws:logs:eu-west-1:123456789012:log-group:/hookchain/dev/*']);
    }
  });

  it('the dashboard’s role may write its own log group, and nothing else', () => {
    const statements = statementsOf('dashboard');
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(actions(statement).every((a) => a.startsWith('logs:'))).toBe(true);
      expect(resourcesOf(statement)).toEqual([
        'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hookchain-dev-dashboard:*',
      ]);
    }
  });

  it('only the management function reads the operator token secret', () => {
    const secretId = ofType(resources, 'AWS::SecretsManager::Secret')[0]?.[0];
    const readers = functions
      .filter(([, f]) =>
        statementsOfRole(resources, roleOfFunction(f)).some((s) =>
          asArray(s.Resource).some((r) => (r as { Ref?: string }).Ref === secretId),
        ),
      )
      .map(([, f]) => f.Properties?.FunctionName);
    expect(readers).toEqual(['hookchain-dev-management']);
  });
});

describe('table, key and secret', () => {
  it('the table is on-demand, recoverable, expires records and is encrypted with the key', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'hookchain-dev-data',
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
    });
    dev.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('deletion protection and retained data outside development stages only', () => {
    const [, devTable] = ofType(dev.resources, 'AWS::DynamoDB::Table')[0] as [string, Resource];
    const [, prodTable] = ofType(prod.resources, 'AWS::DynamoDB::Table')[0] as [string, Resource];
    expect(devTable.Properties?.DeletionProtectionEnabled).toBe(false);
    expect(devTable.DeletionPolicy).toBe('Delete');
    expect(prodTable.Properties?.DeletionProtectionEnabled).toBe(true);
    expect(prodTable.DeletionPolicy).toBe('Retain');
    for (const type of ['AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      for (const [, r] of ofType(prod.resources, type)) expect(r.DeletionPolicy, type).toBe('Retain');
    }
  });

  it('the operator token is generated by CloudFormation; its ARN and the API URL are outputs', () => {
    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
    });
    expect(Object.keys(dev.outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'DashboardUrl', 'OperatorTokenSecretArn']),
    );
  });
});

describe('REST API', () => {
  const apiResources = ofType(resources, 'AWS::ApiGateway::Resource');
  const rootId = ofType(resources, 'AWS::ApiGateway::RestApi')[0]?.[0] as string;
  const pathOf = (id: string): string => {
    if (id === rootId) return '';
    const resource = resources[id] as Resource;
    const parent = resource.Properties?.ParentId;
    const parentId = parent['Fn::GetAtt'] ? rootId : (parent.Ref as string);
    return `${pathOf(parentId)}/${resource.Properties?.PathPart}`;
  };
  const routes = ofType(resources, 'AWS::ApiGateway::Method').map(([, m]) => {
    const uri = JSON.stringify(m.Properties?.Integration.Uri);
    const target = functions.find(([id]) => uri.includes(`"${id}"`))?.[1].Properties?.FunctionName;
    const resourceId = m.Properties?.ResourceId;
    const path = resourceId.Ref ? pathOf(resourceId.Ref) : '/';
    return { route: `${m.Properties?.HttpMethod} ${path}`, target, type: m.Properties?.Integration.Type };
  });

  it('is a REST API (v1) with proxy integrations', () => {
    expect(apiResources.length).toBeGreaterThan(0);
    for (const r of routes) expect(r.type).toBe('AWS_PROXY');
  });

  it('sends execute and continue to the dispatcher, everything else under /api/v2 to management, GET and HEAD under /dashboard to the dashboard', () => {
    const table = Object.fromEntries(routes.map((r) => [r.route, r.target]));
    expect(table).toEqual({
      'POST /api/v2/actions/triggers/{triggerId}/execute': 'hookchain-dev-dispatcher',
      'POST /api/v2/actions/triggers/{triggerId}/continue': 'hookchain-dev-dispatcher',
      'ANY /api/v2/{proxy+}': 'hookchain-dev-management',
      'ANY /api/v2/actions': 'hookchain-dev-management',
      'ANY /api/v2/actions/{proxy+}': 'hookchain-dev-management',
      'ANY /api/v2/actions/triggers': 'hookchain-dev-management',
      'ANY /api/v2/actions/triggers/{triggerId}': 'hookchain-dev-management',
      'ANY /api/v2/actions/triggers/{triggerId}/{proxy+}': 'hookchain-dev-management',
      'GET /dashboard': 'hookchain-dev-dashboard',
      'HEAD /dashboard': 'hookchain-dev-dashboard',
      'GET /dashboard/{proxy+}': 'hookchain-dev-dashboard',
      'HEAD /dashboard/{proxy+}': 'hookchain-dev-dashboard',
    });
  });

  it('treats every media type as binary, so base64 answers (gzip, fonts) reach clients as bytes', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
  });

  it('the dashboard is at <api url>/dashboard/', () => {
    expect(resolve(dev.outputs.DashboardUrl?.Value, resources)).toMatch(/\/dashboard\/$/);
  });

  it('API Gateway may invoke exactly the three API functions', () => {
    const invoked = ofType(resources, 'AWS::Lambda::Permission')
      .filter(([, p]) => p.Properties?.Principal === 'apigateway.amazonaws.com')
      .map(([, p]) => resources[p.Properties?.FunctionName['Fn::GetAtt'][0]]?.Properties?.FunctionName)
      .sort();
    expect(invoked).toEqual([
      'hookchain-dev-dashboard',
      'hookchain-dev-dispatcher',
      'hookchain-dev-management',
    ]);
  });
});

describe('monitoring', () => {
  const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
  const functionIdOf = (name: string) => fn(name.replace('hookchain-dev-', ''))[0];
  const alarmed = (metric: string, namespace = 'AWS/Lambda') =>
    alarms
      .filter((a) => a.Namespace === namespace && a.MetricName === metric)
      .map((a) => a.Dimensions?.[0]?.Value?.Ref as string)
      .sort();

  it('every platform function has an alarm on errors and one on throttles', () => {
    const ids = PLATFORM_FUNCTIONS.map(functionIdOf).sort();
    expect(alarmed('Errors')).toEqual(ids);
    expect(alarmed('Throttles')).toEqual(ids);
  });

  it('the API has alarms on 5XX answers and on p99 latency', () => {
    const api = alarms.filter((a) => a.Namespace === 'AWS/ApiGateway');
    expect(api.map((a) => [a.MetricName, a.Statistic ?? a.ExtendedStatistic]).sort()).toEqual([
      ['5XXError', 'Sum'],
      ['Latency', 'p99'],
    ]);
    for (const a of api) {
      expect(
        Object.fromEntries(a.Dimensions.map((d: { Name: string; Value: unknown }) => [d.Name, d.Value])),
      ).toMatchObject({
        ApiName: 'hookchain-dev-api',
        Stage: expect.anything(),
      });
    }
  });

  it('DynamoDB throttling on the table raises an alarm', () => {
    const throttles = alarms.filter((a) =>
      asArray(a.Metrics).some((m: { MetricStat?: { Metric: { MetricName: string } } }) =>
        /ThrottleEvents$/.test(m.MetricStat?.Metric.MetricName ?? ''),
      ),
    );
    expect(throttles).toHaveLength(1);
    const queries = asArray(throttles[0]?.Metrics) as Array<{
      MetricStat?: { Metric: Record<string, unknown> };
    }>;
    const metrics = queries
      .flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))
      .map((m) => [m.Namespace, m.MetricName, resolve(m.Dimensions, resources)]);
    expect(metrics.sort()).toEqual([
      ['AWS/DynamoDB', 'ReadThrottleEvents', [{ Name: 'TableName', Value: 'hookchain-dev-data' }]],
      ['AWS/DynamoDB', 'WriteThrottleEvents', [{ Name: 'TableName', Value: 'hookchain-dev-data' }]],
    ]);
  });

  it('Lambda code storage at 80% (the builder’s Hookchain/LambdaCodeStorageUsedPercent) raises an alarm', () => {
    expect(alarms.filter((a) => a.Namespace === 'Hookchain')).toEqual([
      expect.objectContaining({
        MetricName: 'LambdaCodeStorageUsedPercent',
        // What the builder publishes through Powertools: its service, and the stage.
        Dimensions: expect.arrayContaining([
          { Name: 'service', Value: 'hookchain-builder' },
          { Name: 'Stage', Value: 'dev' },
        ]),
        Threshold: 80,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ]);
  });

  it('every alarm notifies: the stack’s encrypted SNS topic by default, an e-mail when asked', () => {
    const [topicId, topic] = ofType(resources, 'AWS::SNS::Topic')[0] as [string, Resource];
    expect(topic.Properties?.TopicName).toBe('hookchain-dev-alarms');
    expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    const mailed = synthHookchain({ stage: 'qa', alarmEmail: 'ops@example.com' });
    expect(ofType(mailed.resources, 'AWS::SNS::Subscription').map(([, s]) => s.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.com' }),
    ]);
  });

  it('API Gateway writes a JSON access log to a group with retention, and errors to an execution log group it does not create itself', () => {
    const [, stage] = ofType(resources, 'AWS::ApiGateway::Stage')[0] as [string, Resource];
    const destination = stage.Properties?.AccessLogSetting?.DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources[destination]?.Type).toBe('AWS::Logs::LogGroup');
    expect(resources[destination]?.Properties?.RetentionInDays).toBeGreaterThan(0);
    const format = JSON.parse(stage.Properties?.AccessLogSetting?.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(stage.Properties?.MethodSettings).toEqual([
      expect.objectContaining({ LoggingLevel: 'ERROR', DataTraceEnabled: false }),
    ]);
    const execution = ofType(resources, 'AWS::Logs::LogGroup').find(([, g]) =>
      JSON.stringify(g.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'),
    );
    expect(execution?.[1].Properties?.RetentionInDays).toBeGreaterThan(0);
    // Logging needs the account's API Gateway CloudWatch role, kept when the stack goes.
    expect(ofType(resources, 'AWS::ApiGateway::Account')).toHaveLength(1);
  });

  it('no source maps on the hot path: only the builder asks Node to apply them', () => {
    for (const [, f] of functions) {
      const options = f.Properties?.Environment?.Variables?.NODE_OPTIONS ?? '';
      if (f.Properties?.FunctionName === 'hookchain-dev-builder')
        expect(options).toContain('--enable-source-maps');
      else expect(options, f.Properties?.FunctionName).not.toContain('--enable-source-maps');
    }
  });
});

describe('timeouts', () => {
  it('the API functions stop before API Gateway’s integration timeout, so an overrun is their own answer, not a bare 504', () => {
    const methods = ofType(resources, 'AWS::ApiGateway::Method');
    expect(methods.length).toBeGreaterThan(0);
    for (const [, m] of methods) {
      const uri = JSON.stringify(m.Properties?.Integration.Uri);
      const [, target] = functions.find(([id]) => uri.includes(`"${id}"`)) as [string, Resource];
      expect(target.Properties?.Timeout * 1000, target.Properties?.FunctionName).toBeLessThan(
        m.Properties?.Integration.TimeoutInMillis,
      );
    }
  });
});
