/**
 * Hostile actions that try to get out of their sandbox on the local stack: read the environment,
 * the filesystem beyond their own bundle (platform keys, tokens, other tenants' code), start
 * processes, forge runtime messages, and reach the platform's own AWS services on loopback
 * (DynamoDB, SQS, Lambda, CloudWatch Logs) or another tenant's function and logs. Everything is
 * refused; the attempts are reported as data; the bystander tenant keeps being served. And what
 * actions legitimately do (fetch, node:crypto) still works under the same sandbox.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, startFakeServer } from '../../../examples/support/fake-http-server.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import type { TestHookchain } from '../../support/hookchain.ts';
import {
  bystanderTenant,
  chain,
  execute,
  expectBystanderServes,
  expectHealthy,
  expectWellBehavedNext,
  type HostileGroup,
  hostileGroup,
  startHostileStack,
} from './support.ts';

const handler = (body: string) => `exports.onExecutePostLogin = async (event, api) => {\n${body}\n};`;
const claim = (name: string) => `https://hookchain.test/${name}`;
/** Runs a probe and answers what it got, or the code of the error that stopped it. */
const ATTEMPT = `const attempt = (probe) => { try { probe(); return 'allowed'; } catch (e) { return e.code || e.message; } };`;

const ENV_READER = handler(`api.idToken.setCustomClaim('${claim('env')}', { ...process.env });
  api.idToken.setCustomClaim('${claim('secret-seen')}', event.secrets.CANARY === 'tweety');
  api.idToken.setCustomClaim('${claim('uuid')}', require('node:crypto').randomUUID());`);

const FS_READER = handler(`const fs = require('node:fs');
  ${ATTEMPT}
  const paths = JSON.parse(event.secrets.PATHS);
  const out = {};
  for (const [key, path] of Object.entries(paths)) {
    out[key] = attempt(() => (fs.statSync(path).isDirectory() ? fs.readdirSync(path) : fs.readFileSync(path)));
  }
  out.ownBundle = attempt(() => fs.readFileSync(__filename));
  out.writeState = attempt(() => fs.writeFileSync(paths.secretKey, 'pwned'));
  out.writeOwnBundle = attempt(() => fs.writeFileSync(__filename, 'pwned'));
  out.writeTmp = attempt(() => fs.writeFileSync(require('node:os').tmpdir() + '/scratch', 'ok'));
  api.idToken.setCustomClaim('${claim('fs')}', out);`);

const ESCAPE_ARTIST = handler(`${ATTEMPT}
  api.idToken.setCustomClaim('${claim('escapes')}', {
    fork: attempt(() => require('node:child_process').fork(__filename)),
    worker: attempt(() => new (require('node:worker_threads').Worker)('1', { eval: true })),
    addon: attempt(() => process.dlopen({ exports: {} }, __filename)),
    wasi: attempt(() => new (require('node:wasi').WASI)({ version: 'preview1' })),
    inspector: attempt(() => require('node:inspector').open(0)),
    binding: attempt(() => process.binding('spawn_sync')),
    killHost: attempt(() => process.kill(process.ppid, 'SIGKILL')),
    killGroup: attempt(() => process.kill(0, 0)),
    starveHost: attempt(() => require('node:os').setPriority(process.ppid, 19)),
    v8Flags: attempt(() => require('node:v8').setFlagsFromString('--allow-natives-syntax')),
    traceFiles: attempt(() => require('node:trace_events').createTracing({ categories: ['v8'] }).enable()),
  });`);

const PROBER = handler(`const t = JSON.parse(event.secrets.TARGETS);
  // What a stolen-looking or guessed key would send: a well-formed SigV4 header.
  const sigv4 = (service) => 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/' + service +
    '/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64);
  const call = async (url, init) => {
    const res = await fetch(url, init);
    const text = await res.text();
    const type = res.headers.get('x-amzn-errortype') || (text.match(/#(\\w+)/) || [])[1] || '';
    return res.status + ' ' + type;
  };
  const json = (target, service, body, version = '1.0') => ({ method: 'POST', body: JSON.stringify(body), headers: {
    'x-amz-target': target, 'content-type': 'application/x-amz-json-' + version, authorization: sigv4(service) } });
  api.idToken.setCustomClaim('${claim('probes')}', {
    envEndpoints: Object.keys(process.env).filter((k) => /ENDPOINT|ACCESS_KEY|SECRET|TOKEN|HOOKCHAIN/.test(k)).length,
    dynamodbScan: await call(t.dynamodb, json('DynamoDB_20120810.Scan', 'dynamodb', { TableName: 'hookchain' })),
    dynamodbUnsigned: await call(t.dynamodb, { method: 'POST', body: '{"TableName":"hookchain"}',
      headers: { 'x-amz-target': 'DynamoDB_20120810.Scan', 'content-type': 'application/x-amz-json-1.0' } }),
    sqsListQueues: await call(t.sqs, json('AmazonSQS.ListQueues', 'sqs', {})),
    lambdaList: await call(t.lambda + '/2015-03-31/functions', { headers: { authorization: sigv4('lambda') } }),
    lambdaInvokeOtherTenant: await call(t.lambda + '/2015-03-31/functions/' + t.bystanderFunction + '/invocations',
      { method: 'POST', body: '{"warmup":true}', headers: { authorization: sigv4('lambda') } }),
    lambdaOtherTenantsCode: await call(t.lambda + '/local/functions/' + t.bystanderFunction + '/code.zip', {}),
    logsOtherTenant: await call(t.logs, json('Logs_20140328.FilterLogEvents', 'logs',
      { logGroupName: '/hookchain/local/' + t.bystanderTenant }, '1.1')),
    managementApi: (await fetch(t.gateway + '/api/v2/actions/actions')).status,
    triggerApiGuessedToken: (await fetch(t.gateway + '/api/v2/actions/triggers/post-login/execute', {
      method: 'POST', body: '{"event":{}}', headers: { 'content-type': 'application/json', authorization: 'Bearer hc_guessed' } })).status,
  });`);

const FORGER = handler(`require('node:fs').writeSync(3, 'this is not a runtime message\\n');
  await new Promise((resolve) => setTimeout(resolve, 1000));`);

let hc: TestHookchain;
let bystander: HostileGroup;
let escapes: HostileGroup;
let paths: Record<string, string>;

beforeAll(async () => {
  hc = await startHostileStack();
  bystander = await bystanderTenant(hc);
  const { stateDir } = hc.stack;
  const otherTenant = join(stateDir, 'functions', bystander.functionOf('greet'));
  paths = {
    repoPackageJson: join(process.cwd(), 'package.json'),
    etcPasswd: '/etc/passwd',
    secretKey: join(stateDir, 'secret.key'),
    operatorToken: join(stateDir, 'operator.token'),
    localJson: join(stateDir, 'local.json'),
    database: join(stateDir, 'dynamodb'),
    functions: join(stateDir, 'functions'),
    otherTenantsZip: join(otherTenant, 'code.zip'),
    otherTenantsConfig: join(otherTenant, 'config.json'),
    ownEnviron: '/proc/self/environ',
    hostCommandLine: `/proc/${process.pid}/cmdline`,
  };
  // What the prober is told; a port scan of 127.0.0.1 would find the same.
  const targets = {
    ...hc.stack.endpoints,
    gateway: hc.url,
    bystanderFunction: bystander.functionOf('greet'),
    bystanderTenant: bystander.id,
  };
  escapes = await hostileGroup(hc, 'h-escapes', {
    'env-reader': { code: ENV_READER, secrets: [{ name: 'CANARY', value: 'tweety' }] },
    'fs-reader': { code: FS_READER, secrets: [{ name: 'PATHS', value: JSON.stringify(paths) }] },
    spawner: handler(`require('node:child_process').execSync('id');`),
    'escape-artist': ESCAPE_ARTIST,
    prober: { code: PROBER, secrets: [{ name: 'TARGETS', value: JSON.stringify(targets) }] },
    forger: FORGER,
  });
}, 240_000);
afterAll(() => hc?.stop());

/** Binds `greet` then the hostile action, runs the chain, and answers the hostile action's claim. */
async function run(name: string) {
  await chain(hc, escapes, name);
  return execute(hc, escapes);
}

describe('hostile actions reaching out of their sandbox', () => {
  it('process.env holds the function’s own and Lambda’s variables only: no credentials, endpoints or secrets', async () => {
    const { body } = await run('env-reader');
    expect(body.status).toBe('final');
    const env = body.result.id_token_claims[claim('env')] as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(
      [
        'PATH',
        'LANG',
        'TZ',
        'TMPDIR',
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        '_HANDLER',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_REGION',
        'AWS_DEFAULT_REGION',
        'LAMBDA_TASK_ROOT',
      ].sort(),
    );
    expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe(escapes.functionOf('env-reader'));
    // Secrets reach the action in its event, never in its environment; nothing of the platform's does.
    expect(body.result.id_token_claims[claim('secret-seen')]).toBe(true);
    expect(body.result.id_token_claims[claim('uuid')]).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(env);
    const { accessKeyId, secretAccessKey } = hc.stack.clientConfig('dynamodb').credentials;
    const ports = Object.values(hc.stack.endpoints).map((url) => `:${new URL(url).port}`);
    for (const secret of ['tweety', accessKeyId, secretAccessKey, hc.operatorToken, hc.token, ...ports]) {
      expect(text).not.toContain(secret);
    }
    await expectWellBehavedNext(hc, escapes);
  });

  it('reads nothing outside its own bundle: platform keys, tokens, other tenants’ code, the host', async () => {
    const { body } = await run('fs-reader');
    expect(body.status).toBe('final');
    const denied = Object.fromEntries(Object.keys(paths).map((key) => [key, 'ERR_ACCESS_DENIED']));
    expect(body.result.id_token_claims[claim('fs')]).toEqual({
      ...denied,
      ownBundle: 'allowed',
      writeState: 'ERR_ACCESS_DENIED',
      writeOwnBundle: 'ERR_ACCESS_DENIED',
      writeTmp: 'allowed',
    });
    expect(readFileSync(paths.secretKey as string, 'utf8')).not.toContain('pwned');
    await expectWellBehavedNext(hc, escapes);
  });

  it('spawning a process (child_process.execSync) is refused and reported as the action’s error', async () => {
    const { body } = await run('spawner');
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ class: 'action_error', action_name: 'spawner', name: 'Error' });
    expect(body.error?.message).toMatch(/Access to this API has been restricted/);
    await expectWellBehavedNext(hc, escapes);
  });

  it('threads, addons, WASI, the inspector, process.binding, V8 flags, trace files and signals to others are refused', async () => {
    const { body } = await run('escape-artist');
    expect(body.status).toBe('final');
    expect(body.result.id_token_claims[claim('escapes')]).toEqual({
      fork: 'ERR_ACCESS_DENIED',
      worker: 'ERR_ACCESS_DENIED',
      addon: 'ERR_DLOPEN_DISABLED',
      wasi: 'ERR_ACCESS_DENIED',
      inspector: 'ERR_ACCESS_DENIED',
      binding: 'ERR_ACCESS_DENIED',
      killHost: 'EPERM',
      killGroup: 'EPERM',
      starveHost: 'EPERM',
      v8Flags: 'ERR_ACCESS_DENIED',
      traceFiles: 'ERR_ACCESS_DENIED',
    });
    await expectHealthy(hc);
    await expectWellBehavedNext(hc, escapes);
  });

  it('the platform’s AWS services and other tenants’ functions and logs refuse it on loopback', async () => {
    const { body } = await run('prober');
    expect(body.status).toBe('final');
    expect(body.result.id_token_claims[claim('probes')]).toEqual({
      envEndpoints: 0,
      dynamodbScan: '400 UnrecognizedClientException',
      dynamodbUnsigned: '400 UnrecognizedClientException',
      sqsListQueues: '403 InvalidClientTokenId',
      lambdaList: '403 UnrecognizedClientException',
      lambdaInvokeOtherTenant: '403 UnrecognizedClientException',
      lambdaOtherTenantsCode: '403 UnrecognizedClientException',
      logsOtherTenant: '400 UnrecognizedClientException',
      managementApi: 401,
      triggerApiGuessedToken: 401,
    });
    await expectBystanderServes(hc, bystander);
    await expectWellBehavedNext(hc, escapes);
  });

  it('a forged line on the runtime channel kills only that action’s process, reported as its crash', async () => {
    const { body } = await run('forger');
    expect(body.status).toBe('failed');
    expect(body.error).toMatchObject({ class: 'action_error', action_name: 'forger', name: 'RuntimeCrash' });
    expect(body.error?.message).toMatch(/Runtime\.InvalidRuntimeMessage/);
    await expectHealthy(hc);
    await expectBystanderServes(hc, bystander);
    await expectWellBehavedNext(hc, escapes);
  });
});

describe('what actions legitimately do still works in the sandbox', () => {
  it('the SMS example calls its provider over HTTP (fetch to loopback) from its function', async () => {
    const filename = fileURLToPath(
      new URL('../../../examples/actions/send-phone-message/sms-via-provider.js', import.meta.url),
    );
    const requests: RecordedRequest[] = [];
    const server = await startFakeServer((request) => {
      requests.push(request);
      if (request.path === '/oauth/token')
        return { json: { access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 } };
      return { status: 201, json: { id: 'msg_001', status: 'queued' } };
    });
    const sender = await hostileGroup(
      hc,
      'sms-sender',
      {
        'sms-via-provider': {
          code: readFileSync(filename, 'utf8'),
          secrets: [
            { name: 'SMS_API_URL', value: server.url },
            { name: 'SMS_CLIENT_ID', value: 'hookchain-mfa' },
            { name: 'SMS_CLIENT_SECRET', value: 'provider-client-secret' },
            { name: 'SMS_FROM', value: 'ACME' },
          ],
        },
      },
      'send-phone-message',
    );
    await chain(hc, sender, 'sms-via-provider');
    const event = sampleEvent('send-phone-message');
    const { body } = await execute(hc, sender, 'send-phone-message', event);
    expect(body.status).toBe('final');
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /oauth/token', 'POST /v1/messages']);
  }, 120_000);
});
