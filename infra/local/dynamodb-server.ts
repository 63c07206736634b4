/**
 * DynamoDB, locally: dynalite (the DynamoDB protocol over LevelDB on disk), on 127.0.0.1 only,
 * answering only requests signed with the stack's credentials. In the AWS-faithful mode a thin
 * front imitates eventual consistency (dynamodb-stale-reads.ts); dynalite itself is unchanged.
 */
import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import dynalite from 'dynalite';
import { createStaleReads, type DynamoReply } from './dynamodb-stale-reads.ts';
import { awsBehaviour, type Fidelity } from './fidelity.ts';
import { closeServer, listenLoopback, type RunningServer, readBody } from './http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from './local-credentials.ts';

/** DynamoDB's item limit is 400 KB; BatchWriteItem carries up to 25 of them. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function startDynamoDb(options: {
  path?: string;
  port?: number;
  credentials: LocalCredentials;
  fidelity?: Fidelity;
  /** The clock of the stale-read window (tests step it instead of sleeping). */
  now?: () => number;
}): Promise<RunningServer> {
  // createTableMs 0: tables are ACTIVE at once, so start-up never waits on a CREATING table.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const refuse = REFUSALS.json('application/x-amz-json-1.0');
  requireCredentials(server, options.credentials, refuse);
  const staleReadMs = options.fidelity ? (awsBehaviour(options.fidelity, 'dynamodb')?.staleReadMs ?? 0) : 0;
  if (staleReadMs <= 0) {
    const port = await listenLoopback(server, options.port ?? 0);
    return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
  }

  const innerPort = await listenLoopback(server, 0);
  const agent = new Agent({ keepAlive: true });
  const staleReads = createStaleReads({ staleReadMs, now: options.now });
  const forward =
    (req: IncomingMessage) =>
    (target: string, body: Buffer): Promise<DynamoReply> =>
      new Promise((resolve, reject) => {
        const headers = { ...req.headers, 'x-amz-target': target, 'content-length': String(body.length) };
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

  const front = createServer((req, res) => {
    (async () => {
      const body = await readBody(req, MAX_BODY_BYTES);
      const target = String(req.headers['x-amz-target'] ?? '');
      const reply = await staleReads.handle(target, body, forward(req));
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
  requireCredentials(front, options.credentials, refuse);
  const port = await listenLoopback(front, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await closeServer(front);
      agent.destroy();
      await closeServer(server);
    },
  };
}
