/** The host's side of the runtime channel: whatever a function writes on it, the host only reads messages. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  type ChildMessage,
  MAX_MESSAGE_CHARS,
  readChannel,
} from '../../../../infra/local/function-host/channel.ts';

function listen() {
  const stream = new PassThrough();
  const messages: ChildMessage[] = [];
  const violations: string[] = [];
  readChannel(
    stream,
    (m) => messages.push(m),
    (v) => violations.push(v),
  );
  return { stream, messages, violations };
}

describe('readChannel', () => {
  it('reads one message per line, across and within chunks', () => {
    const { stream, messages, violations } = listen();
    stream.write('{"type":"ready"}\n{"type":"log","timestamp":1,');
    stream.write('"line":"hello"}\n');
    expect(messages).toEqual([{ type: 'ready' }, { type: 'log', timestamp: 1, line: 'hello' }]);
    expect(violations).toEqual([]);
  });

  it('reports a line that is not JSON once, and reads nothing after it', () => {
    const { stream, messages, violations } = listen();
    stream.write('garbage\n{"type":"ready"}\n');
    expect(messages).toEqual([]);
    expect(violations).toEqual(['a line that is not a runtime message']);
  });

  it('reports JSON that is not a message', () => {
    const { stream, violations } = listen();
    stream.write('{"type":"result","requestId":7}\n');
    expect(violations).toEqual(['a line that is not a runtime message']);
  });

  it('reports a line longer than the limit before it ends', () => {
    const { stream, violations } = listen();
    const chunk = 'x'.repeat(1024 * 1024);
    for (let written = 0; written <= MAX_MESSAGE_CHARS; written += chunk.length) stream.write(chunk);
    expect(violations).toEqual([expect.stringMatching(/^a message of more than \d+ characters$/)]);
  });
});
