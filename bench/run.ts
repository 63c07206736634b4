/**
 * `npm run bench`: runs every bench section in turn and prints, per section, the command that
 * reproduces it and one markdown table in which each figure sits beside the floor it is compared
 * against (measured in the same run), ready for BENCHMARKS.md. A section is a module exporting a
 * function that returns rows; add it to SECTIONS. `npm run bench -- <name>…` runs only the named
 * sections.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import type { Row } from './stats.ts';

// Set before any section is imported: the handlers' loggers read their level once, when created,
// and their lines would land in the tables. The SDK's Node 20 support notice is noise too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

interface Section {
  name: string;
  /** What the section measures, for the table's heading. */
  title: string;
  run: () => Promise<Row[]>;
  /** Runs only when named. */
  optIn?: boolean;
}

// Sections load on demand (see the environment above).
const SECTIONS: Section[] = [
  {
    name: 'startup',
    title: 'Start-up (`npm start`)',
    run: async () => (await import('./startup.ts')).runStartupBench(),
  },
  {
    name: 'function-host',
    title: 'Function host (local Lambda)',
    run: async () => (await import('./function-host.ts')).runFunctionHostBench(),
  },
  { name: 'build', title: 'Build', run: async () => (await import('./build.ts')).runBuildBench() },
  {
    name: 'dispatch',
    title: 'Deploy and dispatch',
    run: async () => (await import('./dispatch.ts')).runDispatchBench(),
  },
  {
    name: 'load',
    title: 'Sustained load and memory',
    run: async () => (await import('./load.ts')).runLoadBench(),
  },
  {
    // Not in the default run (five minutes): `npm run bench -- soak`.
    name: 'soak',
    title: 'Soak: sustained load for five minutes',
    optIn: true,
    run: async () => (await import('./load.ts')).runLoadBench({ durationMs: 300_000 }),
  },
  {
    name: 'dashboard',
    title: 'Dashboard (served and loaded in Chromium)',
    run: async () => (await import('./dashboard.ts')).runDashboardBench(),
  },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown section(s): ${unknown.join(', ')}. Known: ${SECTIONS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const cpu = cpus();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
console.log(
  `${new Date().toISOString()} · Node ${process.version} · ${process.platform}/${process.arch} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${Math.round(totalmem() / 2 ** 30)} GiB · load average at start ${load()}`,
);

const value = (row: Row | undefined, key: 'p50_ms' | 'p99_ms') => (row ? `${row[key]}` : '');

for (const section of SECTIONS.filter((s) => (wanted.length === 0 ? !s.optIn : wanted.includes(s.name)))) {
  process.stderr.write(`bench: ${section.name}…\n`);
  const started = performance.now();
  const rows = await section.run();
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`\n### ${section.title}\n`);
  console.log(`Command: \`npm run bench -- ${section.name}\` (${seconds} s; load average after ${load()})\n`);
  console.log('| measurement | n | p50 | p99 | unit | floor | floor p50 | floor p99 | note |');
  console.log('|---|---:|---:|---:|---|---|---:|---:|---|');
  for (const row of rows) {
    const floor = row.floor ? rows.find((r) => r.name === row.floor) : undefined;
    console.log(
      `| ${row.name} | ${row.n} | ${row.p50_ms} | ${row.p99_ms} | ${row.unit ?? 'ms'} | ${row.floor ?? ''} | ${value(floor, 'p50_ms')} | ${value(floor, 'p99_ms')} | ${row.note ?? ''} |`,
    );
  }
}
