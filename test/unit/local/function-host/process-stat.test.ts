import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcessStat, parseStat } from '../../../../infra/local/function-host/process-stat.ts';

describe('parseStat', () => {
  it('reads CPU time and resident pages, whatever the command name holds', () => {
    const line =
      '42 (a) b (c) S 1 42 42 0 -1 4194304 2177 0 0 0 8 3 0 0 20 0 7 0 2631650 745713664 10078 18446744073709551615 0\n';
    const sample = parseStat(line);
    expect(sample?.cpuMs).toBe(110);
    // Pages of the kernel's size: a power of two, 4 KiB or more.
    const page = (sample?.rssBytes ?? 0) / 10078;
    expect(page).toBeGreaterThanOrEqual(4096);
    expect(Number.isInteger(Math.log2(page))).toBe(true);
  });

  it('gives nothing for a line it cannot read', () => {
    expect(parseStat('')).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('ProcessStat', () => {
  it('samples a live process through one handle, and nothing once it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const pid = child.pid ?? 0;
    const stat = ProcessStat.open(pid);
    expect(stat).toBeDefined();
    const first = stat?.sample();
    expect(first?.rssBytes).toBeGreaterThan(0);
    expect(stat?.sample()).toBeDefined();
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(stat?.sample()).toBeUndefined();
    stat?.close();
    expect(stat?.sample()).toBeUndefined();
  });
});
