/** The event a command sends: a JSON file, stdin (`-`), or the trigger's sample event. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getTrigger } from '../shared/triggers/registry.ts';
import { UsageError } from './errors.ts';

export interface LoadedEvent {
  event: Record<string, unknown>;
  /** Where it came from, for notes ("examples/project/events/post-login.json", "sample"). */
  source: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function loadEvent(
  file: string | undefined,
  trigger: string,
  cwd: string,
): Promise<LoadedEvent> {
  if (file === undefined) {
    return { event: getTrigger(trigger).sampleEvent(), source: `the sample ${trigger} event` };
  }
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `Could not read the event file ${file}: ${(error as Error).message}`,
      'Pass a JSON file holding the event, e.g. --event examples/project/events/post-login.json (or leave --event out to use the sample event).',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The event file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`The event file ${file} must hold a JSON object (the event).`);
  }
  // Accept the API's own body shape too ({ "event": {...} }), as saved from a request.
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record);
  const inner = record.event;
  const event =
    keys.length === 1 && typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : record;
  return { event, source: file === '-' ? 'stdin' : file };
}
