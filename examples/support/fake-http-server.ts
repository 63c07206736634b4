/**
 * A fake third-party HTTP API for example tests: listens on 127.0.0.1 on a random port, records
 * every request and answers with what the test's responder returns. Close it when the test ends.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/messages`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status?: number;
  json?: unknown;
  /** Wait this long before answering (to exercise timeouts). */
  delay_ms?: number;
}

export type Responder = (request: RecordedRequest) => FakeResponse;

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a fake server that is closed automatically when the current test finishes. */
export async function startFakeServer(respond: Responder = () => ({ status: 204 })): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const { status = 200, json, delay_ms = 0 } = respond(recorded);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (json === undefined) {
          res.writeHead(status).end();
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      }, delay_ms);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve, reject) => {
      for (const timer of timers) clearTimeout(timer);
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closed;
  };
  onTestFinished(close);
  return { url: `http://127.0.0.1:${port}`, requests, close };
}

/** The body of a recorded request, parsed as JSON. */
export const jsonBody = (request: RecordedRequest | undefined): unknown =>
  request ? JSON.parse(request.body) : undefined;
