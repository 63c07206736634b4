/**
 * SQS, locally: local-aws-sqs (in memory) behind a thin front that fixes its long polling.
 *
 * Why the front: local-aws-sqs answers a ReceiveMessage only when MaxNumberOfMessages messages
 * are collected or WaitTimeSeconds has passed, and while it waits, a message whose visibility
 * timeout expires is collected again (duplicates in one answer). AWS answers as soon as any
 * message is available. So the front turns a long poll into short polls (WaitTimeSeconds 0) until
 * one returns messages or the wait is over. Between short polls nothing is in flight, so a client
 * that gives up on a long poll never makes a message invisible.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { createRequestHandler } from 'local-aws-sqs';
import type { Fidelity } from './fidelity.ts';
import { closeServer, listenLoopback, type RunningServer, readBody } from './http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from './local-credentials.ts';
import { LOCAL_ACCOUNT } from './resources.ts';

const SHORT_POLL_INTERVAL_MS = 50;
/** Batches are at most 1 MiB of messages; leave room for JSON and attributes. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function startSqs(options: {
  port?: number;
  credentials: LocalCredentials;
  fidelity?: Fidelity;
}): Promise<RunningServer> {
  const { requestHandler, service } = createRequestHandler({
    port: 0,
    hostname: '127.0.0.1',
    region: LOCAL_ACCOUNT.region,
    accountId: LOCAL_ACCOUNT.accountId,
    // AWS makes a deleted queue's name unusable for 60 s; locally that only slows tests down.
    emulateQueueCreationLifecycle: false,
  });
  const inner = createServer(requestHandler);
  // The inner server is on loopback too: it checks the (forwarded) credentials as the front does.
  requireCredentials(inner, options.credentials, REFUSALS.sqs);
  const innerPort = await listenLoopback(inner, 0);
  const agent = new Agent({ keepAlive: true });
  let stopping = false;

  const forward = (req: IncomingMessage, body: Buffer): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'content-length': String(body.length) };
      delete headers.host;
      const upstream = request(
        { host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const longPoll = async (
    req: IncomingMessage,
    res: ServerResponse,
    input: Record<string, unknown>,
  ): Promise<Reply> => {
    const deadline = Date.now() + Number(input.WaitTimeSeconds) * 1000;
    const shortPoll = Buffer.from(JSON.stringify({ ...input, WaitTimeSeconds: 0 }));
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    for (;;) {
      const reply = await forward(req, shortPoll);
      if (reply.status !== 200 || hasMessages(reply.body) || gone || stopping || Date.now() >= deadline)
        return reply;
      await new Promise((resolve) => setTimeout(resolve, SHORT_POLL_INTERVAL_MS));
    }
  };

  const outer = createServer((req, res) => {
    (async () => {
      const body = await readBody(req, MAX_BODY_BYTES);
      const input = req.headers['x-amz-target'] === 'AmazonSQS.ReceiveMessage' ? parseJson(body) : undefined;
      const reply =
        input && Number(input.WaitTimeSeconds) > 0
          ? await longPoll(req, res, input)
          : await forward(req, body);
      if (res.destroyed) return;
      const headers = { ...reply.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      delete headers['keep-alive'];
      res.writeHead(reply.status, { ...headers, 'content-length': reply.body.length });
      res.end(reply.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  requireCredentials(outer, options.credentials, REFUSALS.sqs);
  const port = await listenLoopback(outer, options.port ?? 0);
  // Queue URLs name the front's port, so every client comes through it.
  service.PORT = port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      stopping = true;
      await closeServer(outer);
      agent.destroy();
      await closeServer(inner);
    },
  };
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hasMessages(body: Buffer): boolean {
  const messages = parseJson(body)?.Messages;
  return Array.isArray(messages) && messages.length > 0;
}
