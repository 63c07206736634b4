/**
 * Inside an action's bundle the trigger namespaces run on a small hand-written stand-in for zod
 * (shared/runtime/zod-in-bundle.ts), the dispatcher on zod itself. The two must give the same
 * answer to every api call: the triggers are bundled here exactly as the builder bundles them, and
 * every command's fields and every event schema are fed the same inputs on both sides.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeZod } from '../../../shared/build/bundle.ts';
import type { TriggerDefinition } from '../../../shared/triggers/framework.ts';
import { LOOKUP_ARGUMENTS } from '../../../shared/triggers/namespaces/lookups.ts';
import { allTriggers } from '../../../shared/triggers/registry.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let dir: string;
let bundled: { allTriggers(): TriggerDefinition[]; LOOKUP_ARGUMENTS: typeof LOOKUP_ARGUMENTS };
let bundleText: string;

beforeAll(async () => {
  const out = await build({
    stdin: {
      contents: [
        "export { allTriggers } from './shared/triggers/registry.ts';",
        "export { LOOKUP_ARGUMENTS } from './shared/triggers/namespaces/lookups.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    plugins: [runtimeZod(ROOT)],
  });
  bundleText = out.outputFiles[0]?.text ?? '';
  dir = await mkdtemp(path.join(tmpdir(), 'hookchain-zod-in-bundle-'));
  const file = path.join(dir, 'triggers.cjs');
  await writeFile(file, bundleText);
  bundled = createRequire(file)(file) as typeof bundled;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A small deterministic generator, so a failure names inputs that reproduce. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'a',
  'sub',
  'user_id',
  'has space',
  'https://example.com/path?x=1',
  'ftp://example.com',
  'x'.repeat(256),
  // 200 code points in 400 UTF-16 units: zod measures strings in code points.
  '\u{1F600}'.repeat(200),
  0,
  1,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  true,
  false,
  [],
  ['a', 'b'],
  [1, { a: 1 }],
  // Over the size caps of list arguments (zod rejects those before looking at any item).
  Array.from({ length: 12 }, (_, i) => `v${i}`),
  Array.from({ length: 30 }, () => 1),
  {},
  { a: 'b' },
  { a: 1, nested: { deep: [true] } },
  cyclic,
  () => 1,
  10n,
];

/** The values an enum field allows (zod's `options`), so that fields checked against it are reached. */
function enumValues(field: unknown): unknown[] {
  const f = (field ?? {}) as { options?: unknown[]; unwrap?: () => unknown };
  if (Array.isArray(f.options) && f.options.every((o) => typeof o === 'string')) return f.options;
  return typeof f.unwrap === 'function' ? enumValues(f.unwrap()) : [];
}

function inputsFor(shape: Record<string, unknown>, seed: number): unknown[] {
  const keys = Object.keys(shape);
  const next = random(seed);
  const pick = () => VALUES[Math.floor(next() * VALUES.length)];
  const inputs: unknown[] = [undefined, null, 'text', [], {}];
  for (const key of keys) for (const value of VALUES) inputs.push({ [key]: value });
  // Each allowed value of an enum field beside every value of each other field (SAML settings).
  for (const key of keys) {
    for (const option of enumValues(shape[key])) {
      for (const other of keys.filter((k) => k !== key)) {
        for (const value of VALUES) inputs.push({ [key]: option, [other]: value });
      }
    }
  }
  for (let i = 0; i < 300; i++) {
    const input: Record<string, unknown> = {};
    for (const key of keys) if (next() < 0.85) input[key] = pick();
    if (next() < 0.1) input.extra = pick();
    inputs.push(input);
  }
  return inputs;
}

type Parser = { safeParse(input: unknown): { success: boolean; data?: unknown; error?: unknown } };

/** What a caller can observe of a parse: success, the data, or each issue's path and message. */
function answer(schema: Parser, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const { issues } = result.error as { issues: Array<{ path: PropertyKey[]; message: string }> };
  return { ok: false, issues: issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) };
}

function shapeOf(schema: unknown): Record<string, unknown> {
  return (schema as { shape?: Record<string, unknown> }).shape ?? { key: undefined, value: undefined };
}

describe('zod in the action bundle', () => {
  it('leaves zod itself out of the bundle', () => {
    expect(bundleText).not.toMatch(/node_modules\/zod\//);
  });

  it('answers the arguments of the lookup methods (no command: checked in the action only) as zod does', () => {
    const inputs = [...VALUES, ...inputsFor({ take: undefined, from: undefined }, 3)];
    for (const [method, schema] of Object.entries(LOOKUP_ARGUMENTS)) {
      const small = bundled.LOOKUP_ARGUMENTS[method as keyof typeof LOOKUP_ARGUMENTS]();
      for (const input of inputs) {
        expect({ method, input, ...answer(small, input) }).toEqual({
          method,
          input,
          ...answer(schema(), input),
        });
      }
    }
  });

  for (const trigger of allTriggers()) {
    it(`answers every ${trigger.id} command as zod does`, () => {
      const twin = bundled.allTriggers().find((t) => t.id === trigger.id);
      expect(twin?.commands.map((c) => c.type)).toEqual(trigger.commands.map((c) => c.type));
      trigger.commands.forEach((spec, index) => {
        const small = twin?.commands[index] as (typeof trigger.commands)[number];
        for (const input of inputsFor(shapeOf(spec.fields), index + 1)) {
          const expected = answer(spec.fields, input);
          expect({ command: spec.type, input, ...answer(small.fields, input) }).toEqual({
            command: spec.type,
            input,
            ...expected,
          });
        }
      });
    });

    it(`answers ${trigger.id} events as zod does`, () => {
      const twin = bundled.allTriggers().find((t) => t.id === trigger.id) as TriggerDefinition;
      const sample = trigger.sampleEvent();
      const next = random(7);
      const inputs: unknown[] = [sample, {}, null, []];
      for (let i = 0; i < 200; i++) {
        const event = structuredClone(sample) as Record<string, unknown>;
        const keys = Object.keys(event);
        const key = keys[Math.floor(next() * keys.length)] as string;
        event[key] = VALUES[Math.floor(next() * VALUES.length)];
        inputs.push(event);
      }
      for (const input of inputs) {
        expect({ input, ...answer(twin.eventSchema, input) }).toEqual({
          input,
          ...answer(trigger.eventSchema, input),
        });
      }
    });
  }
});
