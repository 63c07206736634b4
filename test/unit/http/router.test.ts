/**
 * Request bodies as API Gateway hands them over. With binary media types `*\/*` (which the dashboard
 * needs to send gzip bytes), every body arrives base64-encoded with `isBase64Encoded: true`: both
 * API handlers must read it as the JSON it is. The real handlers run against dynalite.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcherHandler } from '../../../functions/dispatcher/handler.ts';
import { createManagementHandler } from '../../../functions/management-api/handler.ts';
import { createPlatform, type Platform } from '../../../functions/platform.ts';
import { loadConfig } from '../../../shared/config.ts';
import { bootstrap } from '../../../shared/tenancy/service.ts';
import { generateToken } from '../../../shared/tenancy/tokens.ts';
import { sampleEvent } from '../../../shared/testing/index.ts';
import { startDynalite } from '../../support/dynalite.ts';

const savedEnv = { ...process.env };
let dynalite: Awaited<ReturnType<typeof startDynalite>>;
let platform: Platform;
const token = generateToken();
const operatorToken = generateToken();

beforeAll(async () => {
  dynalite = await startDynalite();
  const endpoint = await dynalite.client.config.endpoint?.();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  const created = createPlatform(
    loadConfig({
      HOOKCHAIN_SECRET_KEY: randomBytes(32).toString('base64'),
      HOOKCHAIN_TABLE: dynalite.tableName,
      AWS_REGION: 'us-east-1',
    }),
  );
  // No CloudWatch here: tenants' log groups are not what this file tests.
  platform = { ...created, logs: { ...created.logs, createTenantGroup: async () => {} } };
  await bootstrap(
    { store: platform.store, logs: platform.logs, logger: platform.dispatch.logger },
    { tenant: 'acme', token, operatorToken },
  );
});
afterAll(async () => {
  process.env = savedEnv;
  await dynalite?.stop();
});

function post(path: string, bearer: string, body: unknown, base64: boolean): APIGatewayProxyEvent {
  const json = JSON.stringify(body);
  return {
    httpMethod: 'POST',
    path,
    resource: '/api/v2/{proxy+}',
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: base64 ? Buffer.from(json).toString('base64') : json,
    isBase64Encoded: base64,
    requestContext: {} as never,
  };
}

describe('base64-encoded JSON bodies (binary media types */*)', () => {
  it('the trigger API reads the event from a base64 body as from a plain one', async () => {
    const handler = createDispatcherHandler(() => platform);
    const path = '/api/v2/actions/triggers/post-login/execute';
    for (const base64 of [true, false]) {
      const reply = await handler(
        post(path, token, { event: sampleEvent('post-login') }, base64),
        {} as Context,
      );
      expect(reply.statusCode, `base64: ${base64}`).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ status: 'final' });
    }
    // The decoded body is validated as an event: the answer is about the event, not about JSON.
    const invalid = await handler(post(path, token, { event: { user: 42 } }, true), {} as Context);
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(invalid.body).errorCode).not.toBe('invalid_json');
  });

  it('the management API creates what a base64 body describes', async () => {
    const handler = createManagementHandler(() => platform);
    const created = await handler(
      post('/api/v2/hookchain/tenants', operatorToken, { id: 'globex', name: 'Globex' }, true),
      {} as Context,
    );
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ id: 'globex', name: 'Globex' });
  });

  it('a base64 body that is not JSON is refused as invalid JSON, not read as text', async () => {
    const handler = createManagementHandler(() => platform);
    const event = post('/api/v2/hookchain/tenants', operatorToken, {}, true);
    event.body = Buffer.from('{"id": "initech"').toString('base64');
    const reply = await handler(event, {} as Context);
    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body).errorCode).toBe('invalid_json');
  });
});
