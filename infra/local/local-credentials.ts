/**
 * The local stack's AWS credentials: random at every start, known to the stack's own clients and
 * to nobody else. The local servers (DynamoDB, SQS, Lambda, CloudWatch Logs) listen on loopback,
 * where any local process — a function's included — can reach them, so each refuses a request
 * whose SigV4 credential scope does not name this access key id, with the error AWS answers for
 * an unknown key. Signatures are not verified: the key id is random and secret, which is enough
 * to keep other local processes out; it is not AWS's cryptographic guarantee.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function generateLocalCredentials(): LocalCredentials {
  return {
    // AWS's shape: 20 upper-case characters; the prefix says where a stray key came from.
    accessKeyId: `LKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

/** The access key id a request was signed with: header signing or a presigned URL. */
export function accessKeyIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const fromHeader = typeof header === 'string' ? /Credential=([^/,\s]+)\//.exec(header)?.[1] : undefined;
  if (fromHeader) return fromHeader;
  const credential = new URL(req.url ?? '/', 'http://localhost').searchParams.get('X-Amz-Credential');
  return credential?.split('/')[0] || undefined;
}

function sameKey(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** How each protocol answers an unknown access key, as AWS does. */
export const REFUSALS = {
  /** DynamoDB (JSON 1.0) and CloudWatch Logs (JSON 1.1). */
  json:
    (contentType: string) =>
    (res: ServerResponse): void =>
      send(res, 400, contentType, {
        __type: 'com.amazon.coral.service#UnrecognizedClientException',
        message: INVALID_TOKEN,
      }),
  /** SQS's JSON protocol, with the query-compatible code the SDK reads. */
  sqs: (res: ServerResponse): void =>
    send(
      res,
      403,
      'application/x-amz-json-1.0',
      { __type: 'com.amazon.coral.service#InvalidClientTokenId', message: INVALID_TOKEN },
      { 'x-amzn-query-error': 'InvalidClientTokenId;Sender' },
    ),
  /** Lambda's REST-JSON protocol. */
  rest: (res: ServerResponse): void =>
    send(
      res,
      403,
      'application/json',
      { Type: 'User', message: INVALID_TOKEN },
      { 'x-amzn-ErrorType': 'UnrecognizedClientException' },
    ),
};

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Puts the credential check in front of a server's request handlers (a third-party server's too,
 * e.g. dynalite's). `exempt` lets through requests authorised some other way (a signed URL).
 */
export function requireCredentials(
  server: Server,
  credentials: LocalCredentials,
  refuse: (res: ServerResponse) => void,
  exempt?: (req: IncomingMessage) => boolean,
): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (sameKey(accessKeyIdOf(req), credentials.accessKeyId) || exempt?.(req)) {
      for (const handler of handlers) handler.call(server, req, res);
      return;
    }
    // Read what is left of the body, or a keep-alive connection would stall on it.
    req.resume();
    refuse(res);
  });
}
