/**
 * Persists log groups as JSON lines, one file per group under `<dir>/`, so logs survive a restart.
 * Appends are buffered and written in the background (a flood of log lines costs one write per
 * tick, not one per line); flush() and close() drain the buffer.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type JournalRecord =
  | { k: 'g'; c: number }
  | { k: 's'; s: string; c: number }
  | { k: 'e'; s: string; t: number; i: number; id: string; m: string };

const FLUSH_INTERVAL_MS = 200;

export class LogJournal {
  private readonly pending = new Map<string, string[]>();
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Reads every group's records from disk. */
  async load(): Promise<Map<string, JournalRecord[]>> {
    await mkdir(this.dir, { recursive: true });
    const groups = new Map<string, JournalRecord[]>();
    for (const file of await readdir(this.dir)) {
      if (!file.endsWith('.jsonl')) continue;
      const group = decodeURIComponent(file.slice(0, -'.jsonl'.length));
      const records: JournalRecord[] = [];
      for (const line of (await readFile(join(this.dir, file), 'utf8')).split('\n')) {
        if (line === '') continue;
        try {
          records.push(JSON.parse(line) as JournalRecord);
        } catch {
          // A line torn by a hard kill mid-write: skip it, keep the rest.
        }
      }
      groups.set(group, records);
    }
    return groups;
  }

  append(group: string, record: JournalRecord): void {
    let lines = this.pending.get(group);
    if (!lines) {
      lines = [];
      this.pending.set(group, lines);
    }
    lines.push(JSON.stringify(record));
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  /** Replaces a group's file with exactly these records (compaction after trimming old events). */
  rewrite(group: string, records: JournalRecord[]): Promise<void> {
    this.pending.delete(group);
    return this.enqueue(async () => {
      const file = this.fileOf(group);
      const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
  }

  removeGroup(group: string): Promise<void> {
    this.pending.delete(group);
    return this.enqueue(() => rm(this.fileOf(group), { force: true }));
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    return this.enqueue(async () => {
      if (batch.length > 0 && !existsSync(this.dir)) await mkdir(this.dir, { recursive: true });
      for (const [group, lines] of batch) await appendFile(this.fileOf(group), `${lines.join('\n')}\n`);
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    // Writes run one at a time, in order, so a group's lines never interleave or reorder. A failed
    // write is reported and does not stop later ones.
    this.writing = this.writing.then(task).catch(this.onError);
    return this.writing;
  }

  private fileOf(group: string): string {
    return join(this.dir, `${encodeURIComponent(group)}.jsonl`);
  }
}
