/**
 * The hot path's writes (the execution record's PutItem, the tenant log's PutLogEvents) go out as
 * signed JSON-protocol requests without the SDK's middleware. They must be the request the SDK
 * sends, signed so that AWS verifies it, and retried as the SDK's standard mode retries.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { awsJsonCall } from '../../../shared/aws/json-call.ts';
import {
  type CapturedRequest,
  type CaptureServer,
  startCaptureServer,
  verifySigV4,
} from '../../support/aws-api-capture.ts';

const CREDENTIALS = { accessKeyId: 'AKIDTESTJSONCALL', secretAccessKey: 'json-call-secret' };

let server: CaptureServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const dynamo = (endpoint: string) =>
  new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials: CREDENTIALS, maxAttempts: 1 });

const putItem = (client: DynamoDBClient) =>
  awsJsonCall(client, {
    service: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    endpointCommand: PutItemCommand,
    endpointInput: { TableName: 'hookchain' },
    timeouts: { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000 },
  });

/** Answers each request in turn with the next of `answers` (status, body), then 200 `{}`. */
async function scripted(answers: Array<[number, unknown]>) {
  server = await startCaptureServer((_req, res) => {
    const [status, body] = answers.shift() ?? [200, {}];
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(body));
  });
  return server;
}

const ITEM = { pk: { S: 'EXECUTION#1' }, sk: { S: '#EXECUTION' }, status: { S: 'final' } };

describe('awsJsonCall', () => {
  it('sends the request the SDK sends for the operation, signed so that AWS verifies it', async () => {
    const { endpoint, requests } = await scripted([]);
    const client = dynamo(endpoint);
    await client.send(new PutItemCommand({ TableName: 'hookchain', Item: ITEM }));
    await putItem(client)('PutItem', { TableName: 'hookchain', Item: ITEM });
    client.destroy();

    const [fromSdk, ours] = requests as [CapturedRequest, CapturedRequest];
    expect(verifySigV4(fromSdk, CREDENTIALS.secretAccessKey)).toBe(true);
    expect(verifySigV4(ours, CREDENTIALS.secretAccessKey)).toBe(true);
    for (const header of ['x-amz-target', 'content-type'])
      expect(ours.headers[header]).toBe(fromSdk.headers[header]);
    expect(ours.path).toBe(fromSdk.path);
    expect(JSON.parse(ours.body.toString())).toEqual(JSON.parse(fromSdk.body.toString()));
    // The target is signed: a request re-aimed at another operation would not verify.
    expect(String(ours.headers.authorization)).toMatch(/SignedHeaders=[^,]*x-amz-target/);
  });

  it("answers the operation's JSON output", async () => {
    const { endpoint } = await scripted([[200, { ConsumedCapacity: { CapacityUnits: 1 } }]]);
    await expect(putItem(dynamo(endpoint))('PutItem', {})).resolves.toEqual({
      ConsumedCapacity: { CapacityUnits: 1 },
    });
  });

  it('tries a throttle or a 5xx again, and answers once the service does', async () => {
    const { endpoint, requests } = await scripted([
      [
        400,
        {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'slow down',
        },
      ],
      [500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'oops' }],
      [200, {}],
    ]);
    await expect(putItem(dynamo(endpoint))('PutItem', {})).resolves.toEqual({});
    expect(requests).toHaveLength(3);
  });

  it('gives up after three attempts with the last error, named as the SDK names it', async () => {
    const throttled: [number, unknown] = [
      400,
      {
        __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
        message: 'Rate of requests exceeds the allowed throughput.',
      },
    ];
    const { endpoint, requests } = await scripted([throttled, throttled, throttled, throttled]);
    await expect(putItem(dynamo(endpoint))('PutItem', {})).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate of requests exceeds the allowed throughput.',
      statusCode: 400,
    });
    expect(requests).toHaveLength(3);
  });

  it('never repeats a request the service refused for what it is', async () => {
    const { endpoint, requests } = await scripted([
      [
        400,
        {
          __type: 'com.amazon.coral.validate#ValidationException',
          message: 'One or more parameter values were invalid',
        },
      ],
    ]);
    await expect(putItem(dynamo(endpoint))('PutItem', {})).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(requests).toHaveLength(1);
  });

  it('stops at the caller’s signal, not trying again', async () => {
    const controller = new AbortController();
    server = await startCaptureServer((_req, res) => {
      // The caller gives up while its first attempt is being answered with a throttle.
      controller.abort();
      res.writeHead(400);
      res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'slow down' }));
    });
    await expect(putItem(dynamo(server.endpoint))('PutItem', {}, controller.signal)).rejects.toBeDefined();
    // Longer than a first throttle's longest backoff (500 ms): a second attempt would have come.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(server.requests).toHaveLength(1);
  });
});
