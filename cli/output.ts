/**
 * Output for people and for machines. People get tables, colours and spinners (colours only on a
 * terminal and without NO_COLOR; spinners only on a terminal, plain progress lines otherwise).
 * Machines pass `--json` and get exactly one JSON document on stdout (NDJSON for streams), with
 * progress and notes kept off stdout.
 */
import { createSpinner } from 'nanospinner';
import picocolors from 'picocolors';

/** picocolors' colour functions (no-ops when colour is off). */
export type Colors = ReturnType<typeof picocolors.createColors>;

export type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };

export interface OutputOptions {
  json: boolean;
  /** False for --no-color. */
  color: boolean;
  env: NodeJS.ProcessEnv;
  stdout?: Stream;
  stderr?: Stream;
}

export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  /** Ends without a final line. */
  stop(): void;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleLength = (text: string) => text.replace(ANSI, '').length;

export class Output {
  readonly json: boolean;
  readonly c: Colors;
  private readonly stdout: Stream;
  private readonly stderr: Stream;
  private readonly interactive: boolean;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    const { env } = options;
    const colour =
      options.color &&
      !this.json &&
      !env.NO_COLOR &&
      (Boolean(env.FORCE_COLOR) || (Boolean(this.stdout.isTTY) && env.TERM !== 'dumb'));
    this.c = picocolors.createColors(colour);
    this.interactive =
      !this.json &&
      Boolean(this.stderr.isTTY) &&
      Boolean(this.stdout.isTTY) &&
      !env.CI &&
      env.TERM !== 'dumb';
  }

  /** A line of the command's result (stdout). Suppressed in --json mode, where `data` speaks. */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${text}\n`);
  }

  /** A note about what is happening (stderr), never mixed into results. */
  note(text: string): void {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.c.yellow('warning')} ${text}\n`);
  }

  /** The machine-readable result: pretty JSON on stdout in --json mode. */
  data(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One compact JSON document per line, for streams (`logs tail --json`). */
  ndjson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Raw text on stdout whatever the mode (e.g. `actions show --code`). */
  raw(text: string): void {
    this.stdout.write(text);
  }

  error(message: string, hint?: string): void {
    if (this.json) {
      this.stderr.write(`${JSON.stringify({ error: { message, ...(hint ? { hint } : {}) } })}\n`);
      return;
    }
    this.stderr.write(`${this.c.red('Error:')} ${message}\n`);
    if (hint) this.stderr.write(`${this.c.dim(hint)}\n`);
  }

  table(header: string[], rows: string[][]): void {
    if (rows.length === 0) return;
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
    const render = (cells: string[]) =>
      cells
        .map((cell, i) =>
          i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)),
        )
        .join('  ')
        .trimEnd();
    this.line(this.c.bold(render(header)));
    for (const row of rows) this.line(render(row));
  }

  /** A spinner on a terminal; start and end lines elsewhere; nothing in --json mode. */
  progress(text: string): Progress {
    if (this.json) return { update() {}, succeed() {}, fail() {}, stop() {} };
    if (!this.interactive) {
      this.stderr.write(`${text}\n`);
      return {
        update() {},
        succeed: (done) => done && this.stderr.write(`${done}\n`),
        fail: (done) => done && this.stderr.write(`${done}\n`),
        stop() {},
      };
    }
    const spinner = createSpinner(text, { stream: this.stderr as NodeJS.WriteStream }).start();
    return {
      update: (next) => spinner.update({ text: next }),
      succeed: (done) => spinner.success(done === undefined ? {} : { text: done }),
      fail: (done) => spinner.error(done === undefined ? {} : { text: done }),
      stop: () => spinner.stop(),
    };
  }
}
