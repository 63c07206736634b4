/**
 * A child process's CPU time and resident memory, as the worker's watchdog samples them (Linux).
 * Both come from /proc/<pid>/stat, read through one file handle held for the child's life: one
 * pread per sample, where reading /proc/<pid>/{status,stat} by name cost an open, fstat, read and
 * close each through the thread pool (~50× the time; 10 % of the local stack's CPU under load).
 * The handle belongs to the process it was opened for: once that process is gone, reads fail
 * (ESRCH) rather than reach another process that reused its pid.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface ProcessSample {
  /** User + system CPU time, ms. */
  cpuMs: number;
  /** Resident set size, bytes (the same counters as VmRSS in /proc/<pid>/status). */
  rssBytes: number;
}

/** Clock ticks per second in /proc/<pid>/stat: USER_HZ, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;
/** /proc/<pid>/stat is one line of about 300 bytes; its command name is at most 64. */
const STAT_BYTES = 1024;

export class ProcessStat {
  private fd: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(STAT_BYTES);

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Undefined where there is no /proc (not Linux) or the process is already gone. */
  static open(pid: number): ProcessStat | undefined {
    try {
      return new ProcessStat(openSync(`/proc/${pid}/stat`, 'r'));
    } catch {
      return undefined;
    }
  }

  /** Undefined once the process is gone or the handle closed. */
  sample(): ProcessSample | undefined {
    if (this.fd === undefined) return undefined;
    let length: number;
    try {
      // procfs builds the text afresh on every read from offset 0; it never blocks on a disk.
      length = readSync(this.fd, this.buffer, 0, STAT_BYTES, 0);
    } catch {
      return undefined;
    }
    return parseStat(this.buffer.toString('latin1', 0, length));
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Fields of /proc/<pid>/stat (proc(5)), counted after the command name. */
export function parseStat(stat: string): ProcessSample | undefined {
  // The command name (2nd field) is in parentheses and may hold spaces: count from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) and 24 (rss, in pages); `state` (3) is fields[0].
  const ticks = Number(fields[11]) + Number(fields[12]);
  const pages = Number(fields[21]);
  if (!Number.isFinite(ticks) || !Number.isFinite(pages)) return undefined;
  return { cpuMs: (ticks * 1000) / USER_HZ, rssBytes: pages * pageSize() };
}

let pageBytes: number | undefined;

/** The kernel's base page size (Node does not expose it): from this process's first mapping. */
function pageSize(): number {
  if (pageBytes !== undefined) return pageBytes;
  pageBytes = 4096;
  try {
    const fd = openSync('/proc/self/smaps', 'r');
    try {
      const head = Buffer.allocUnsafe(4096);
      const length = readSync(fd, head, 0, head.length, 0);
      const kb = /^KernelPageSize:\s+(\d+) kB$/m.exec(head.toString('latin1', 0, length));
      if (kb) pageBytes = Number(kb[1]) * 1024;
    } finally {
      closeSync(fd);
    }
  } catch {
    // No /proc: no samples either.
  }
  return pageBytes;
}
