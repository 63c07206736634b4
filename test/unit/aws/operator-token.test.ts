/**
 * The bootstrap operator token on AWS: read from Secrets Manager (a stand-in speaking its JSON
 * protocol, the SDK client is the real one), registered once as a hash, and usable through the
 * management handler right after a cold start.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createManagementHandler } from '../../../functions/management-api/handler.ts';
import { createPlatform, type Platform } from '../../../functions/platform.ts';
import { createDynamoStore } from '../../../shared/aws/dynamo/store.ts';
import {
  BOOTSTRAP_OPERATOR_TOKEN_NAME,
  onceUntilSuccess,
  registerOperatorToken,
} from '../../../shared/aws/operator-token.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { TokenRecord } from '../../../shared/model/tenants.ts';
import type { Store } from '../../../shared/ports/store.ts';
import { OPERATOR_TENANT } from '../../../shared/tenancy/service.ts';
import { hashToken, OPERATOR_SCOPE } from '../../../shared/tenancy/tokens.ts';
import { startDynalite } from '../../support/dynalite.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OperatorToken-abc';

function memoryTokens() {
  const tokens = new Map<string, TokenRecord>();
  const store = {
    tokens: {
      find: async (hash: string) => tokens.get(hash),
      put: async (record: TokenRecord) => void tokens.set(record.hash, record),
    },
  } as unknown as Store;
  return { store, tokens };
}

describe('registerOperatorToken', () => {
  it('registers the token’s hash for the operator, once', async () => {
    const { store, tokens } = memoryTokens();
    const token = 'generated-by-cloudformation-0123456789abcdef';
    expect(await registerOperatorToken(store, token)).toBe(true);
    expect(await registerOperatorToken(store, token)).toBe(false);
    expect([...tokens.values()]).toEqual([
      expect.objectContaining({
        hash: hashToken(token),
        tenant_id: OPERATOR_TENANT,
        scopes: [OPERATOR_SCOPE],
        name: BOOTSTRAP_OPERATOR_TOKEN_NAME,
      }),
    ]);
    expect(JSON.stringify([...tokens.values()])).not.toContain(token);
  });
});

describe('onceUntilSuccess', () => {
  it('runs once after a success, again after a failure, and never throws', async () => {
    const errors: unknown[] = [];
    const register = vi.fn().mockRejectedValueOnce(new Error('throttled')).mockResolvedValue(true);
    const ensure = onceUntilSuccess(register, (error) => errors.push(error));
    await ensure();
    expect(errors).toHaveLength(1);
    await ensure();
    await ensure();
    expect(register).toHaveBeenCalledTimes(2);
  });
});

describe('the management handler on a cold start', () => {
  const token = randomBytes(24).toString('hex');
  const requests: Array<{ target: string; body: Record<string, unknown> }> = [];
  const savedEnv = { ...process.env };
  let server: Server;
  let dynalite: Awaited<ReturnType<typeof startDynalite>>;
  let platform: Platform;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ target: String(req.headers['x-amz-target']), body });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'OperatorToken-abc', SecretString: token }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      // Creating a tenant creates its log group: the same stand-in accepts it.
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    dynalite = await startDynalite();
    const created = createPlatform(
      loadConfig({
        HOOKCHAIN_SECRET_KEY: randomBytes(32).toString('base64'),
        HOOKCHAIN_OPERATOR_TOKEN_SECRET_ARN: SECRET_ARN,
        AWS_REGION: 'eu-west-1',
      }),
    );
    const store = createDynamoStore(dynalite.tableName, dynalite.client);
    platform = { ...created, store, actions: { ...created.actions, store } };
  });
  afterAll(async () => {
    process.env = savedEnv;
    await dynalite?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const request = (path: string, bearer: string, method = 'GET', body?: unknown) =>
    ({
      httpMethod: method,
      path,
      resource: '/{proxy+}',
      headers: { Authorization: `Bearer ${bearer}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: body ? JSON.stringify(body) : null,
      isBase64Encoded: false,
      requestContext: {},
    }) as unknown as APIGatewayProxyEvent;

  it('the token from Secrets Manager manages tenants at once; the secret is read once', async () => {
    const handler = createManagementHandler(() => platform);
    const created = await handler(
      request('/api/v2/hookchain/tenants', token, 'POST', { id: 'acme' }),
      {} as Context,
    );
    expect(created.statusCode).toBe(201);
    const listed = await handler(request('/api/v2/hookchain/tenants', token), {} as Context);
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body).tenants.map((t: { id: string }) => t.id)).toContain('acme');
    expect(requests.filter((r) => r.target.startsWith('secretsmanager.'))).toEqual([
      { target: 'secretsmanager.GetSecretValue', body: expect.objectContaining({ SecretId: SECRET_ARN }) },
    ]);
    // ...and the new tenant got its log group, with retention.
    expect(requests.filter((r) => r.target.startsWith('Logs_')).map((r) => r.target)).toEqual([
      'Logs_20140328.CreateLogGroup',
      'Logs_20140328.PutRetentionPolicy',
    ]);
  });

  it('another token is still refused', async () => {
    const handler = createManagementHandler(() => platform);
    const reply = await handler(request('/api/v2/hookchain/tenants', 'not-the-token'), {} as Context);
    expect(reply.statusCode).toBe(401);
  });
});
