/**
 * The host's side of the channel to a function's process: one JSON message per line on the
 * child's fd 3 (see worker-bootstrap.cjs). Everything on it may be forged by the function's code,
 * which can write to that fd itself, so every line is size-capped, parsed and checked here and a
 * bad one is reported, never thrown: a function must not be able to crash the host.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';

/**
 * The largest line accepted: a 6 MB response, JSON-escaped once more inside its message (at worst
 * twice its size), plus room for the envelope. The bootstrap never sends more.
 */
export const MAX_MESSAGE_CHARS = 2 * 6 * 1024 * 1024 + 64 * 1024;

const errorPayload = z.object({
  errorType: z.string().optional(),
  errorMessage: z.string(),
  trace: z.array(z.string()).optional(),
});

const childMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('init-error'), error: errorPayload }),
  z.object({ type: z.literal('log'), timestamp: z.number(), line: z.string() }),
  z.object({
    type: z.literal('result'),
    requestId: z.string(),
    payload: z.string().optional(),
    error: errorPayload.optional(),
    rssBytes: z.number(),
  }),
  z.object({ type: z.literal('fatal'), requestId: z.string().optional(), error: errorPayload }),
]);

export type ChildMessage = z.infer<typeof childMessage>;

/**
 * Reads messages from the child's channel. On the first line that is too long, not JSON or not a
 * message, `onViolation` is called once and nothing more is read.
 */
export function readChannel(
  stream: Readable,
  onMessage: (message: ChildMessage) => void,
  onViolation: (reason: string) => void,
): void {
  const decoder = new StringDecoder('utf8');
  let chunks: string[] = [];
  let pending = 0;
  let broken = false;
  const violate = (reason: string): void => {
    broken = true;
    chunks = [];
    stream.destroy();
    onViolation(reason);
  };
  stream.on('data', (data: Buffer) => {
    if (broken) return;
    const text = decoder.write(data);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      chunks.push(text.slice(start, newline));
      const line = chunks.join('');
      chunks = [];
      pending = 0;
      start = newline + 1;
      if (line === '') continue;
      if (line.length > MAX_MESSAGE_CHARS) return violate(`a message of ${line.length} characters`);
      const message = parse(line);
      if (!message) return violate('a line that is not a runtime message');
      onMessage(message);
      if (broken) return;
    }
    const rest = text.slice(start);
    pending += rest.length;
    if (pending > MAX_MESSAGE_CHARS) return violate(`a message of more than ${MAX_MESSAGE_CHARS} characters`);
    if (rest !== '') chunks.push(rest);
  });
  // The process may die with its channel still open elsewhere; its exit is reported by the worker.
  stream.on('error', () => {});
}

function parse(line: string): ChildMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = childMessage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
