/**
 * SQS, locally: local-aws-sqs (in memory) behind a thin front that fixes its long polling.
 *
 * Why the front: local-aws-sqs answers a ReceiveMessage only when MaxNumberOfMessages messages
 * are collected or WaitTimeSeconds has passed, and while it waits, a message whose visibility
 * timeout expires is collected again (duplicates in one answer). AWS answers as soon as any
 * message is available. So the front turns a long poll into short polls (WaitTimeSeconds 0) until
 * one returns messages or the wait is over. Between short polls nothing is in flight, so a client
 * that gives up on a long poll never makes a message invisible.
 *
 * In the AWS-faithful mode the front also delivers at least once, as a standard queue does: every
 * Nth message received is handed a second time to the next receive (a concurrent long poll or a
 * later one), with its own receipt handle that DeleteMessage and ChangeMessageVisibility (and their
 * batches) accept for the message, and an ApproximateReceiveCount that counts it; and the messages
 * of one receive come in reverse order (a standard queue keeps no order).
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { createRequestHandler } from 'local-aws-sqs';
import { awsBehaviour, everyNth, type Fidelity } from './fidelity.ts';
import { closeServer, listenLoopback, type RunningServer, readBody } from './http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from './local-credentials.ts';
import { LOCAL_ACCOUNT } from './resources.ts';

const SHORT_POLL_INTERVAL_MS = 50;
/** Batches are at most 1 MiB of messages; leave room for JSON and attributes. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Json = Record<string, unknown>;
type SqsMessage = Json & { MessageId?: string; ReceiptHandle?: string; Attributes?: Record<string, string> };

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
  const atLeastOnce = atLeastOnceDelivery(options.fidelity);

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
      const reply = atLeastOnce.takeDuplicates(input) ?? (await forward(req, shortPoll));
      if (reply.status !== 200 || hasMessages(reply.body) || gone || stopping || Date.now() >= deadline)
        return reply;
      await new Promise((resolve) => setTimeout(resolve, SHORT_POLL_INTERVAL_MS));
    }
  };

  const outer = createServer((req, res) => {
    (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = atLeastOnce.translateHandles(target, await readBody(req, MAX_BODY_BYTES));
      const input = target === 'AmazonSQS.ReceiveMessage' ? parseJson(body) : undefined;
      let reply =
        input && Number(input.WaitTimeSeconds) > 0
          ? await longPoll(req, res, input)
          : ((input && atLeastOnce.takeDuplicates(input)) ?? (await forward(req, body)));
      if (input) reply = atLeastOnce.received(input, reply);
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

/**
 * The AWS-faithful mode's duplicates and reordering (identity functions in the local mode).
 * Duplicates wait per queue for the next receive; their receipt handles map to the original's.
 */
function atLeastOnceDelivery(fidelity: Fidelity | undefined) {
  const settings = fidelity ? awsBehaviour(fidelity, 'sqs') : undefined;
  const duplicate = everyNth(settings?.duplicateEvery ?? 0);
  const waiting = new Map<string, SqsMessage[]>();
  /** A duplicate's receipt handle to the receipt handle of the receive it copied. */
  const handles = new Map<string, string>();
  /** Deliveries of each message that the inner queue did not count (the duplicates). */
  const extraReceives = new Map<string, number>();
  const queueOf = (input: Json) => {
    try {
      return new URL(String(input.QueueUrl)).pathname;
    } catch {
      return String(input.QueueUrl);
    }
  };
  const addReceives = (message: SqsMessage, extra: number) => {
    const count = message.Attributes?.ApproximateReceiveCount;
    if (count !== undefined && message.Attributes)
      message.Attributes.ApproximateReceiveCount = String(Number(count) + extra);
  };

  return {
    /** A receive's answer from duplicates waiting for its queue, if any wait. */
    takeDuplicates(input: Json): Reply | undefined {
      const queue = waiting.get(queueOf(input));
      if (!queue?.length) return undefined;
      const messages = queue.splice(0, Math.max(1, Number(input.MaxNumberOfMessages ?? 1)));
      return jsonReply({ Messages: messages });
    },

    /** What a receive answers: counts fixed, the Nth messages copied for another receive, reordered. */
    received(input: Json, reply: Reply): Reply {
      if (!settings || reply.status !== 200) return reply;
      const out = parseJson(reply.body);
      const messages = out?.Messages as SqsMessage[] | undefined;
      if (!out || !Array.isArray(messages) || messages.length === 0) return reply;
      for (const message of messages) {
        // A duplicate handed out from `waiting` was counted and copied when its original came.
        if (handles.has(message.ReceiptHandle ?? '')) continue;
        addReceives(message, extraReceives.get(message.MessageId ?? '') ?? 0);
        if (!duplicate()) continue;
        const copy: SqsMessage = structuredClone(message);
        copy.ReceiptHandle = `duplicate-${randomUUID()}`;
        handles.set(copy.ReceiptHandle, message.ReceiptHandle ?? '');
        addReceives(copy, 1);
        extraReceives.set(message.MessageId ?? '', (extraReceives.get(message.MessageId ?? '') ?? 0) + 1);
        const queue = queueOf(input);
        waiting.set(queue, [...(waiting.get(queue) ?? []), copy]);
      }
      out.Messages = messages.reverse();
      return jsonReply(out, reply);
    },

    /** A request naming a duplicate's receipt handle, rewritten to name the original's. */
    translateHandles(target: string, body: Buffer): Buffer {
      if (handles.size === 0 || !/^AmazonSQS\.(DeleteMessage|ChangeMessageVisibility)/.test(target))
        return body;
      const input = parseJson(body);
      if (!input) return body;
      const map = (handle: unknown) =>
        typeof handle === 'string' ? (handles.get(handle) ?? handle) : handle;
      if (Array.isArray(input.Entries)) {
        input.Entries = (input.Entries as Json[]).map((e) => ({ ...e, ReceiptHandle: map(e.ReceiptHandle) }));
      } else {
        input.ReceiptHandle = map(input.ReceiptHandle);
      }
      return Buffer.from(JSON.stringify(input));
    },
  };
}

function jsonReply(out: Json, like?: Reply): Reply {
  return {
    status: 200,
    headers: like?.headers ?? { 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(out)),
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
