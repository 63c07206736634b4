/**
 * SQS, locally: local-aws-sqs (in memory) behind a front that makes it behave as SQS does where
 * it does not.
 *
 * Long polling: local-aws-sqs answers a ReceiveMessage only when MaxNumberOfMessages messages are
 * collected or WaitTimeSeconds has passed, and while it waits, a message whose visibility timeout
 * expires is collected again (duplicates in one answer). AWS answers as soon as any message is
 * available. So the front turns a long poll into short polls (WaitTimeSeconds 0) until one returns
 * messages or the wait is over. Between short polls nothing is in flight, so a client that gives
 * up on a long poll never makes a message invisible.
 *
 * Receive counts and redrive: local-aws-sqs adds one to ApproximateReceiveCount on every
 * ChangeMessageVisibility too, and moves a message to its DLQ on that count, so a consumer that
 * hands messages back early (backoff) loses them before their last delivery. SQS counts receives
 * only, and moves a message when a receive would take its count past maxReceiveCount. So the
 * front counts receives itself, tells local-aws-sqs a maxReceiveCount it never reaches (while
 * GetQueueAttributes still answers the real one), and moves messages to the DLQ itself. Both modes
 * do this: it is how SQS works, not how kind it is.
 *
 * In the AWS-faithful mode the front also delivers at least once, as a standard queue does: every
 * Nth message received is handed a second time to the next receive (a concurrent long poll or a
 * later one), with its own receipt handle that DeleteMessage and ChangeMessageVisibility (and their
 * batches) accept for the message, and an ApproximateReceiveCount that counts it; and the messages
 * of one receive come in reverse order (a standard queue keeps no order).
 *
 * The front speaks SQS's JSON protocol (the SDK's); other requests pass through untouched.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { type IMessageAttributes, md5OfMessageAttributes } from 'aws-md5-of-message-attributes';
import { createRequestHandler } from 'local-aws-sqs';
import { awsBehaviour, everyNth, type Fidelity } from './fidelity.ts';
import { closeServer, listenLoopback, type RunningServer, readBody } from './http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from './local-credentials.ts';
import { LOCAL_ACCOUNT } from './resources.ts';

const SHORT_POLL_INTERVAL_MS = 50;
/** Batches are at most 1 MiB of messages; leave room for JSON and attributes. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * The maxReceiveCount local-aws-sqs is told (its largest): its own count, inflated by visibility
 * changes, does not reach it before the front's true count moves the message.
 */
const INNER_MAX_RECEIVE_COUNT = 1000;

type Json = Record<string, unknown>;
type SqsMessage = Json & {
  MessageId?: string;
  ReceiptHandle?: string;
  Body?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: IMessageAttributes;
  MD5OfMessageAttributes?: string;
};
type SqsService = ReturnType<typeof createRequestHandler>['service'];

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
  const receives = receiveCounting(service);
  const atLeastOnce = atLeastOnceDelivery(options.fidelity, receives.count);

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

  /** A ReceiveMessage: short polls until messages come (or the wait is over), then counted, copied, as asked. */
  const receive = async (req: IncomingMessage, res: ServerResponse, input: Json): Promise<Reply> => {
    const queue = queueName(input.QueueUrl);
    const max = Math.max(1, Number(input.MaxNumberOfMessages ?? 1));
    const longPoll = Number(input.WaitTimeSeconds) > 0;
    const deadline = Date.now() + (longPoll ? Number(input.WaitTimeSeconds) * 1000 : 0);
    // Each message whole: the front may have to move it to the DLQ or copy it.
    const shortPoll = Buffer.from(
      JSON.stringify({
        ...input,
        ...(longPoll ? { WaitTimeSeconds: 0 } : {}),
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    for (;;) {
      let messages = atLeastOnce.take(queue, max);
      let like: Reply | undefined;
      if (messages.length === 0) {
        like = await forward(req, shortPoll);
        if (like.status !== 200) return like;
        messages = atLeastOnce.received(queue, receives.received(queue, messagesOf(like)));
      }
      if (messages.length > 0 || gone || stopping || Date.now() >= deadline) {
        const asked = atLeastOnce.reorder(messages).map((message) => asAskedFor(message, input));
        return jsonReply(asked.length > 0 ? { Messages: asked } : {}, like);
      }
      await new Promise((resolve) => setTimeout(resolve, SHORT_POLL_INTERVAL_MS));
    }
  };

  const outer = createServer((req, res) => {
    (async () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const body = await readBody(req, MAX_BODY_BYTES);
      const input = parseJson(body);
      let reply: Reply;
      if (!input) {
        reply = await forward(req, body);
      } else if (target === 'ReceiveMessage') {
        reply = await receive(req, res, input);
      } else {
        const asked = atLeastOnce.translateHandles(target, input);
        const sent = Buffer.from(JSON.stringify(receives.toInner(target, asked)));
        reply = receives.fromInner(target, asked, await forward(req, sent));
      }
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
 * SQS's ApproximateReceiveCount and redrive, kept by the front: receives counted per queue and
 * message, each queue's real maxReceiveCount, and the move to the DLQ when a receive would pass it.
 */
function receiveCounting(service: SqsService) {
  /** Receives so far, by queue name and MessageId; forgotten when the message is deleted or moved. */
  const counts = new Map<string, Map<string, number>>();
  /** Each queue's maxReceiveCount as its RedrivePolicy says (local-aws-sqs holds a larger one). */
  const maxReceives = new Map<string, number>();
  const inner = (name: string) => service.Queues.find((queue) => queue.QueueName === name);
  const arnOf = (name: string) => `arn:aws:sqs:${service.REGION}:${service.ACCOUNT_ID}:${name}`;
  const forget = (handle: unknown) => {
    const message = messageOfHandle(handle);
    if (message) counts.get(message.QueueName)?.delete(message.MessageId);
  };

  /** Moves a received message to its queue's DLQ as local-aws-sqs would (same MessageId, source ARN). */
  const moveToDlq = (name: string, message: SqsMessage): boolean => {
    const source = inner(name);
    const dlq = inner(source?.RedrivePolicy?.deadLetterTargetArn.split(':').at(-1) ?? '');
    // No DLQ to move it to (deleted since): delivered, rather than lost.
    if (!source || !dlq || !message.ReceiptHandle) return false;
    const attributes = message.Attributes ?? {};
    const system = (key: string) =>
      attributes[key] === undefined ? {} : { [key]: { DataType: 'String', StringValue: attributes[key] } };
    dlq.setRecord(
      {
        MessageBody: message.Body,
        MessageAttributes: message.MessageAttributes,
        MessageSystemAttributes: {
          DeadLetterQueueSourceArn: { DataType: 'String', StringValue: arnOf(name) },
          ...system('AWSTraceHeader'),
        },
        MessageGroupId: attributes.MessageGroupId,
        MessageDeduplicationId: attributes.MessageDeduplicationId,
      },
      message.MessageId,
    );
    source.delete(message.ReceiptHandle);
    return true;
  };

  const count = (name: string, message: SqsMessage): number => {
    const queue = counts.get(name) ?? new Map<string, number>();
    counts.set(name, queue);
    const n = (queue.get(message.MessageId ?? '') ?? 0) + 1;
    queue.set(message.MessageId ?? '', n);
    if (message.Attributes) message.Attributes.ApproximateReceiveCount = String(n);
    return n;
  };

  return {
    /** Counts one delivery of a message (its ApproximateReceiveCount says so); answers the count. */
    count,

    /** The messages local-aws-sqs handed to a receive, counted; those past maxReceiveCount go to the DLQ instead. */
    received(name: string, messages: SqsMessage[]): SqsMessage[] {
      const max = maxReceives.get(name);
      return messages.filter((message) => {
        if (count(name, message) <= (max ?? Number.POSITIVE_INFINITY) || !moveToDlq(name, message))
          return true;
        counts.get(name)?.delete(message.MessageId ?? '');
        return false;
      });
    },

    /** A request as local-aws-sqs gets it: a valid RedrivePolicy with its maxReceiveCount raised out of reach. */
    toInner(target: string, input: Json): Json {
      if (target === 'DeleteMessage') forget(input.ReceiptHandle);
      if (target === 'DeleteMessageBatch' && Array.isArray(input.Entries))
        for (const entry of input.Entries as Json[]) forget(entry.ReceiptHandle);
      if (target !== 'CreateQueue' && target !== 'SetQueueAttributes') return input;
      const attributes = input.Attributes as Json | undefined;
      const policy = redrivePolicy(attributes?.RedrivePolicy);
      if (!policy) return input;
      const name = target === 'CreateQueue' ? String(input.QueueName) : queueName(input.QueueUrl);
      const known = maxReceives.get(name);
      // Creating a queue that exists with another maxReceiveCount: local-aws-sqs sees the real
      // value, so it refuses the difference as SQS does.
      if (target === 'CreateQueue' && known !== undefined && known !== policy.maxReceiveCount) return input;
      const raised = { ...policy.json, maxReceiveCount: INNER_MAX_RECEIVE_COUNT };
      return { ...input, Attributes: { ...attributes, RedrivePolicy: JSON.stringify(raised) } };
    },

    /** local-aws-sqs's answer to a request as SQS's: the real maxReceiveCount recorded, and shown. */
    fromInner(target: string, input: Json, reply: Reply): Reply {
      if (reply.status !== 200) return reply;
      const name = target === 'CreateQueue' ? String(input.QueueName) : queueName(input.QueueUrl);
      if (target === 'DeleteQueue') {
        counts.delete(name);
        maxReceives.delete(name);
      }
      if (target === 'CreateQueue' || target === 'SetQueueAttributes') {
        const asked = (input.Attributes as Json | undefined)?.RedrivePolicy;
        const policy = redrivePolicy(asked);
        if (policy) maxReceives.set(name, policy.maxReceiveCount);
        if (asked === '') maxReceives.delete(name);
      }
      if (target !== 'GetQueueAttributes') return reply;
      const out = parseJson(reply.body);
      const attributes = out?.Attributes as Record<string, string> | undefined;
      const policy = redrivePolicy(attributes?.RedrivePolicy);
      const max = maxReceives.get(name);
      if (!out || !attributes || !policy || max === undefined) return reply;
      attributes.RedrivePolicy = JSON.stringify({ ...policy.json, maxReceiveCount: max });
      return jsonReply(out, reply);
    },
  };
}

/**
 * The AWS-faithful mode's duplicates and reordering (nothing in the local mode). A copy is counted
 * as a delivery when it is made, and waits per queue for the next receive; its receipt handle
 * stands for the original's.
 */
function atLeastOnceDelivery(
  fidelity: Fidelity | undefined,
  count: (queue: string, message: SqsMessage) => number,
) {
  const settings = fidelity ? awsBehaviour(fidelity, 'sqs') : undefined;
  const duplicate = everyNth(settings?.duplicateEvery ?? 0);
  const waiting = new Map<string, SqsMessage[]>();
  /** A duplicate's receipt handle to the receipt handle of the receive it copied. */
  const handles = new Map<string, string>();

  return {
    /** Up to `max` copies waiting for a receive of this queue. */
    take(queue: string, max: number): SqsMessage[] {
      return waiting.get(queue)?.splice(0, max) ?? [];
    },

    /** A receive's messages, the Nth of them copied for another receive. */
    received(queue: string, messages: SqsMessage[]): SqsMessage[] {
      for (const message of messages) {
        if (!settings || !duplicate()) continue;
        const copy: SqsMessage = structuredClone(message);
        copy.ReceiptHandle = `duplicate-${randomUUID()}`;
        handles.set(copy.ReceiptHandle, message.ReceiptHandle ?? '');
        count(queue, copy);
        waiting.set(queue, [...(waiting.get(queue) ?? []), copy]);
      }
      return messages;
    },

    /** The messages of one answer in the order they are answered: a standard queue keeps none. */
    reorder(messages: SqsMessage[]): SqsMessage[] {
      return settings ? messages.reverse() : messages;
    },

    /** A request naming a duplicate's receipt handle, rewritten to name the original's. */
    translateHandles(target: string, input: Json): Json {
      if (handles.size === 0 || !/^(DeleteMessage|ChangeMessageVisibility)/.test(target)) return input;
      const map = (handle: unknown) =>
        typeof handle === 'string' ? (handles.get(handle) ?? handle) : handle;
      if (Array.isArray(input.Entries))
        return {
          ...input,
          Entries: (input.Entries as Json[]).map((e) => ({ ...e, ReceiptHandle: map(e.ReceiptHandle) })),
        };
      return { ...input, ReceiptHandle: map(input.ReceiptHandle) };
    },
  };
}

/**
 * A whole message (all attributes, all message attributes) as one receive asked for it: what
 * local-aws-sqs answers for those AttributeNames and MessageAttributeNames.
 */
function asAskedFor(message: SqsMessage, input: Json): SqsMessage {
  const { Attributes, MessageAttributes, MD5OfMessageAttributes, ...rest } = message;
  const out: SqsMessage = rest;
  const attributeNames = stringsOf(input.AttributeNames);
  const attributes = attributeNames?.includes('All')
    ? Attributes
    : pick(Attributes, (name) => attributeNames?.includes(name) ?? false);
  if (attributes && Object.keys(attributes).length > 0) out.Attributes = attributes;
  const names = stringsOf(input.MessageAttributeNames);
  const all = names?.some((name) => name === 'All' || name === '.*') ?? false;
  const picked = all
    ? MessageAttributes
    : pick(MessageAttributes, (key) =>
        (names ?? []).some((name) =>
          name.endsWith('.*') ? key.startsWith(name.split('.')[0] ?? '') : key === name,
        ),
      );
  if (picked && Object.keys(picked).length > 0) {
    out.MessageAttributes = picked;
    out.MD5OfMessageAttributes = all ? MD5OfMessageAttributes : md5OfMessageAttributes(picked);
  }
  return out;
}

function pick<T>(record: Record<string, T> | undefined, keep: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([key]) => keep(key)));
}

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** A RedrivePolicy attribute that local-aws-sqs accepts (maxReceiveCount 1–1000), parsed. */
function redrivePolicy(value: unknown): { json: Json; maxReceiveCount: number } | undefined {
  const json = typeof value === 'string' ? parseJson(value) : undefined;
  const max = Number(json?.maxReceiveCount);
  if (!json || !Number.isInteger(max) || max < 1 || max > INNER_MAX_RECEIVE_COUNT) return undefined;
  return { json, maxReceiveCount: max };
}

/** The message a local-aws-sqs receipt handle names: it is base64 of a UUID and that JSON. */
function messageOfHandle(handle: unknown): { MessageId: string; QueueName: string } | undefined {
  if (typeof handle !== 'string') return undefined;
  const text = Buffer.from(handle, 'base64').toString('utf8');
  const json = parseJson(text.slice(text.indexOf('{')));
  if (typeof json?.MessageId !== 'string' || typeof json.QueueName !== 'string') return undefined;
  return { MessageId: json.MessageId, QueueName: json.QueueName };
}

/** A queue's name from its URL, as local-aws-sqs finds it (the last path segment). */
function queueName(queueUrl: unknown): string {
  try {
    return new URL(String(queueUrl)).pathname.split('/').filter(Boolean).at(-1) ?? '';
  } catch {
    return String(queueUrl);
  }
}

function messagesOf(reply: Reply): SqsMessage[] {
  const messages = parseJson(reply.body)?.Messages;
  return Array.isArray(messages) ? (messages as SqsMessage[]) : [];
}

function jsonReply(out: Json, like?: Reply): Reply {
  return {
    status: 200,
    headers: like?.headers ?? { 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(out)),
  };
}

function parseJson(body: Buffer | string): Json | undefined {
  try {
    const value: unknown = JSON.parse(body.toString());
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
