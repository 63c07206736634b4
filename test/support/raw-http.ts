/**
 * HTTP as it is on the wire, for checks that `fetch` would hide: the path is sent exactly as
 * written (no URL normalisation), and the body is read to its end as bytes (gzip stays gzip).
 */
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Keep-alive connections, for repeated requests (benchmarks). */
  agent?: Agent;
}

/**
 * `base` is the stack's url (`http://host:port`, or `http://host:port/dev` under a stage); `path`
 * goes out unchanged after the base's own path, as `${base}${path}` would.
 */
export function rawRequest(base: string, path: string, options: RawRequest = {}): Promise<RawReply> {
  const { hostname, port, pathname } = new URL(base);
  const prefix = pathname.replace(/\/$/, '');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: `${prefix}${path}`,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
