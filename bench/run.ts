/**
 * `npm run bench`: runs every bench section in turn and prints one markdown table, ready for
 * BENCHMARKS.md. A section is a module exporting a function that returns rows; add it to
 * SECTIONS. `npm run bench -- <name>…` runs only the named sections.
 */
import { cpus } from 'node:os';
import { runBuildBench } from './build.ts';
import { runDispatchBench } from './dispatch.ts';
import { runFunctionHostBench } from './function-host.ts';
import type { Row } from './stats.ts';

interface Section {
  name: string;
  run: () => Promise<Row[]>;
}

const SECTIONS: Section[] = [
  { name: 'function-host', run: () => runFunctionHostBench() },
  { name: 'build', run: () => runBuildBench() },
  { name: 'dispatch', run: () => runDispatchBench() },
];

// The SDK warns on Node 20 about its future support policy; that noise is not part of a measurement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(
    `Unknown section(s): ${unknown.join(', ')}. Known: ${SECTIONS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const rows: Row[] = [];
for (const section of SECTIONS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  process.stderr.write(`bench: ${section.name}…\n`);
  rows.push(...(await section.run()));
}

const cpu = cpus();
console.log(
  `\n${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${process.platform}/${process.arch} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}\n`,
);
console.log('| section | measurement | n | p50 (ms) | p99 (ms) | note |');
console.log('|---|---|---:|---:|---:|---|');
for (const row of rows) {
  console.log(
    `| ${row.section} | ${row.name} | ${row.n} | ${row.p50_ms} | ${row.p99_ms} | ${row.note ?? ''} |`,
  );
}
