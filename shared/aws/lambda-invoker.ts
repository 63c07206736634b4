/**
 * Lambda's Invoke (RequestResponse) without the SDK's per-call middleware: the hot path makes one
 * per action, in sequence, on every login. The SDK's `send` costs ~430 µs of CPU per Invoke on
 * this project's bench machine (retry and schema middleware, endpoint rules, user agent, signing);
 * the same request signed by the SDK's own SigV4 signer and sent on a keep-alive agent costs
 * ~120 µs (BENCHMARKS.md, issue 16).
 *
 * Everything that decides where and as whom the request goes comes from a LambdaClient's resolved
 * configuration, resolved the way the SDK resolves it: region, endpoint (AWS_ENDPOINT_URL_LAMBDA,
 * a custom endpoint, FIPS and dual-stack included), credentials and their refresh, the hash. The
 * endpoint is resolved once: Lambda's endpoint rules depend on the client, not on the request.
 *
 * One attempt, no retries: an Invoke that failed after the function ran must not run it again
 * (the caller retries throttles, which Lambda answers before running anything). A Lambda API error
 * is a LambdaApiError named as the SDK names its exceptions (`TooManyRequestsException`, ...).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { SignatureV4 } from '@smithy/signature-v4';

export interface InvokeAnswer {
  /** The function's answer, as the bytes it returned. */
  payload: Buffer;
  /** Lambda's X-Amz-Function-Error: the function failed (`Unhandled`), and `payload` says how. */
  functionError?: string;
}

export type LambdaInvoker = (
  functionName: string,
  payload: Uint8Array,
  options?: { signal?: AbortSignal },
) => Promise<InvokeAnswer>;

export interface LambdaInvokerOptions {
  /** Time allowed to open a connection. */
  connectionTimeoutMs: number;
  /** Time allowed for the whole answer: a little past the functions' own timeout. */
  requestTimeoutMs: number;
}

/** A Lambda API error answer (4xx/5xx), named like the SDK's exception of the same type. */
export class LambdaApiError extends Error {
  readonly statusCode: number;
  constructor(name: string, message: string, statusCode: number) {
    super(message);
    this.name = name;
    this.statusCode = statusCode;
  }
}

interface Target {
  url: URL;
  signer: SignatureV4;
  agent: HttpAgent;
}

export function lambdaInvoker(client: LambdaClient, options: LambdaInvokerOptions): LambdaInvoker {
  let target: Promise<Target> | undefined;
  const resolveTarget = async (): Promise<Target> => {
    const { config } = client;
    const endpoint = await getEndpointFromInstructions({ FunctionName: 'any' }, InvokeCommand, config);
    const scheme = endpoint.properties?.authSchemes?.[0] as { signingRegion?: string } | undefined;
    const url = new URL(endpoint.url.href);
    return {
      url,
      signer: new SignatureV4({
        service: 'lambda',
        region: scheme?.signingRegion ?? (await config.region()),
        credentials: config.credentials,
        sha256: config.sha256,
      }),
      // Keep-alive, like the SDK's handler: a login's invokes reuse warm connections.
      agent:
        url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }),
    };
  };

  return async (functionName, payload, { signal } = {}) => {
    target ??= resolveTarget().catch((error: unknown) => {
      target = undefined;
      throw error;
    });
    const { url, signer, agent } = await target;
    const path = `${url.pathname.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/json',
        'content-length': String(payload.byteLength),
      },
      body: payload,
    });
    const { response, body } = await send(url, path, signed.headers, payload, agent, options, signal);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw apiError(status, response, body);
    const functionError = response.headers['x-amz-function-error'];
    return typeof functionError === 'string' ? { payload: body, functionError } : { payload: body };
  };
}

function send(
  url: URL,
  path: string,
  headers: Record<string, string>,
  payload: Uint8Array,
  agent: HttpAgent,
  { connectionTimeoutMs, requestTimeoutMs }: LambdaInvokerOptions,
  signal: AbortSignal | undefined,
): Promise<{ response: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const settle = (error: Error | undefined, answer?: { response: IncomingMessage; body: Buffer }) => {
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
        response.on('end', () => settle(undefined, { response, body: Buffer.concat(chunks) }));
        response.on('error', (error) => settle(error));
        response.on('close', () => {
          if (!response.complete) settle(new Error('Lambda closed the connection before its answer ended'));
        });
      },
    );
    const fail = (name: string, message: string) => {
      const error = new Error(message);
      error.name = name;
      request.destroy(error);
    };
    const whole = setTimeout(
      () => fail('TimeoutError', `Lambda did not answer within ${requestTimeoutMs} ms`),
      requestTimeoutMs,
    );
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connecting = setTimeout(
        () => fail('TimeoutError', `Could not connect to Lambda within ${connectionTimeoutMs} ms`),
        connectionTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(connecting));
      socket.once('close', () => clearTimeout(connecting));
    });
    request.on('error', (error) => settle(error));
    request.end(payload);
  });
}

/** The error type as the SDK reads it: the X-Amzn-ErrorType header, else the body's code or __type. */
function apiError(status: number, response: IncomingMessage, body: Buffer): LambdaApiError {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status says what is known.
  }
  const header = response.headers['x-amzn-errortype'];
  const raw =
    (typeof header === 'string' ? header : undefined) ??
    (typeof parsed.code === 'string' ? parsed.code : undefined) ??
    (typeof parsed.__type === 'string' ? parsed.__type : undefined);
  // `Type:http://...` in the header, `namespace#Type` in the body.
  const name = raw?.split(':')[0]?.split('#').pop() || `Http${status}Error`;
  const message = parsed.message ?? parsed.Message;
  return new LambdaApiError(
    name,
    typeof message === 'string' ? message : `Lambda answered ${status} to Invoke`,
    status,
  );
}
