/**
 * One AWS API request without the SDK's per-call middleware, for the few calls on the trigger
 * hot path (Lambda Invoke, the execution record's PutItem, the tenant log's PutLogEvents). The
 * SDK's `send` costs ~430 µs of CPU per call on this project's bench machine (retry and schema
 * middleware, endpoint rules, user agent, signing); the same request signed by the SDK's own SigV4
 * signer and sent on a keep-alive agent costs ~120 µs (BENCHMARKS.md, issue 16).
 *
 * Where and as whom a request goes comes from an SDK client's resolved configuration, resolved as
 * the SDK resolves it: region, endpoint (AWS_ENDPOINT_URL_<SERVICE>, a custom endpoint, FIPS and
 * dual-stack included), credentials and their refresh, the hash. The endpoint is resolved once per
 * service: these operations' endpoint rules depend on the client, not on the request.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { SignatureV4 } from '@smithy/signature-v4';

/** What getEndpointFromInstructions needs of an SDK command class (e.g. InvokeCommand). */
type EndpointInstructions = Parameters<typeof getEndpointFromInstructions>[1];
/** The SDK client configuration the request takes its place, identity and hash from. */
type ResolvedConfig = Parameters<typeof getEndpointFromInstructions>[2] & {
  region: () => Promise<string>;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
};

export interface Timeouts {
  /** Time allowed to open a connection. */
  connectionTimeoutMs: number;
  /** Time allowed for the whole answer. */
  requestTimeoutMs: number;
}

export interface SignedService {
  /** Sends one signed request to `path` (below the endpoint's own path) and reads the answer. */
  send(request: {
    path: string;
    headers: Record<string, string>;
    body: Uint8Array;
    signal?: AbortSignal;
  }): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>;
}

/**
 * An AWS API error answer (4xx/5xx), named as the SDK names its exception of the same type, and
 * marked as the SDK marks its errors (`$fault`, `$metadata`) so isTransientAwsError reads it alike.
 */
export class AwsApiError extends Error {
  readonly statusCode: number;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, statusCode: number) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: statusCode };
  }
}

export function signedService(
  client: { config: unknown },
  service: string,
  command: EndpointInstructions,
  endpointInput: Record<string, unknown>,
  timeouts: Timeouts,
): SignedService {
  const config = client.config as ResolvedConfig;
  let target: Promise<{ url: URL; basePath: string; signer: SignatureV4; agent: HttpAgent }> | undefined;
  const resolve = async () => {
    const endpoint = await getEndpointFromInstructions(endpointInput, command, config);
    const scheme = endpoint.properties?.authSchemes?.[0] as { signingRegion?: string } | undefined;
    const url = new URL(endpoint.url.href);
    return {
      url,
      basePath: url.pathname.replace(/\/$/, ''),
      signer: new SignatureV4({
        service,
        region: scheme?.signingRegion ?? (await config.region()),
        credentials: config.credentials,
        sha256: config.sha256,
      }),
      // Keep-alive, like the SDK's handler: consecutive calls reuse warm connections.
      agent:
        url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }),
    };
  };

  return {
    async send({ path, headers, body, signal }) {
      target ??= resolve().catch((error: unknown) => {
        target = undefined;
        throw error;
      });
      const { url, basePath, signer, agent } = await target;
      const fullPath = `${basePath}${path}`;
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: fullPath,
        query: {},
        headers: { ...headers, host: url.host, 'content-length': String(body.byteLength) },
        body,
      });
      const answer = await post(url, fullPath, signed.headers, body, agent, timeouts, signal);
      if (answer.status < 200 || answer.status >= 300)
        throw apiError(answer.status, answer.headers, answer.body);
      return answer;
    },
  };
}

function post(
  url: URL,
  path: string,
  headers: Record<string, string>,
  body: Uint8Array,
  agent: HttpAgent,
  { connectionTimeoutMs, requestTimeoutMs }: Timeouts,
  signal: AbortSignal | undefined,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | undefined, answer?: Awaited<ReturnType<typeof post>>) => {
      clearTimeout(whole);
      if (answer) resolve(answer);
      else reject(error);
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      {
        method: 'POST',
        hostname: url.hostname,
        port: url.port || undefined,
        path,
        headers,
        agent,
        ...(signal ? { signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          settle(undefined, {
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
          }),
        );
        response.on('error', (error) => settle(error));
        response.on('close', () => {
          if (!response.complete) settle(new Error('The connection closed before the answer ended'));
        });
      },
    );
    const fail = (message: string) => {
      const error = new Error(message);
      error.name = 'TimeoutError';
      request.destroy(error);
    };
    const whole = setTimeout(() => fail(`No answer within ${requestTimeoutMs} ms`), requestTimeoutMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connecting = setTimeout(
        () => fail(`No connection within ${connectionTimeoutMs} ms`),
        connectionTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connecting));
      socket.once('close', () => clearTimeout(connecting));
    });
    request.on('error', (error) => settle(error));
    request.end(body);
  });
}

/** The error type as the SDK reads it: the X-Amzn-ErrorType header, else the body's code or __type. */
function apiError(status: number, headers: IncomingHttpHeaders, body: Buffer): AwsApiError {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status says what is known.
  }
  const header = headers['x-amzn-errortype'];
  const raw =
    (typeof header === 'string' ? header : undefined) ??
    (typeof parsed.code === 'string' ? parsed.code : undefined) ??
    (typeof parsed.__type === 'string' ? parsed.__type : undefined);
  // `Type:http://...` in the header, `namespace#Type` in the body.
  const name = raw?.split(':')[0]?.split('#').pop() || `Http${status}Error`;
  const message = parsed.message ?? parsed.Message;
  return new AwsApiError(name, typeof message === 'string' ? message : `AWS answered ${status}`, status);
}
