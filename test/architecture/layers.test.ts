/**
 * The layout keeps its promises (docs/architecture.md): the logic knows nothing of AWS and talks
 * to the world only through shared/ports; ports are interfaces; nothing imports in a circle; the
 * CDK app needs nothing from the local stack; the dashboard reaches the server only through
 * shared/client, which stays browser-safe.
 */
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, ROOT, relativeTargets, sources, specifiers } from '../support/imports.ts';

/** The product logic: plain functions over the ports. */
const LOGIC = [
  'shared/model',
  'shared/actions',
  'shared/modules',
  'shared/integrations',
  'shared/dispatch',
  'shared/flow',
  'shared/triggers',
  'shared/runtime',
  'shared/tenancy',
  'shared/build',
];

const ADAPTERS = ['shared/aws', 'shared/memory', 'infra', 'functions'];

const under = (target: string, folders: readonly string[]) =>
  folders.some((folder) => target === folder || target.startsWith(`${folder}/`));

/** `from -> to` for each relative import of `files` that `bad` rejects. */
function offending(files: readonly string[], bad: (target: string) => boolean): string[] {
  return files.flatMap((file) =>
    relativeTargets(file)
      .filter(bad)
      .map((target) => `${file} -> ${target}`),
  );
}

/** Who imports whom among `files` (type-only imports included: they tangle the model just the same). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(files.map((file) => [file, relativeTargets(file).filter((target) => target !== file)]));
}

/** Every cycle a depth-first walk of the graph closes, each as the path that goes round. */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next) && edges.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the product logic', () => {
  it('imports no adapter, no AWS SDK and nothing from the handlers or the stacks', () => {
    const files = LOGIC.flatMap(sources);
    expect(offending(files, (target) => under(target, ADAPTERS))).toEqual([]);
    const sdk = files.flatMap((file) =>
      specifiers(file)
        .filter((spec) => spec.startsWith('@aws-sdk/') || spec.startsWith('@aws-lambda-powertools/'))
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(sdk).toEqual([]);
  });
});

describe('shared/ports', () => {
  it('holds interfaces: what it imports is types only, and never an adapter', () => {
    const files = sources('shared/ports');
    const runtime = files.flatMap((file) =>
      importsOf(file)
        .filter((site) => !site.typeOnly)
        .map((site) => `${file} -> ${site.specifier}`),
    );
    expect(runtime).toEqual([]);
    expect(offending(files, (target) => under(target, ADAPTERS))).toEqual([]);
  });
});

describe('imports', () => {
  it('never go round in a circle', () => {
    const files = ['shared', 'functions', 'infra', 'cli'].flatMap(sources);
    expect(cycles(importGraph(files))).toEqual([]);
  });

  it('the cycle check finds a cycle, and only a cycle', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    expect(cycles(new Map([...graph, ['c.ts', ['d.ts']]]))).toEqual([]);
  });
});

describe('the stacks', () => {
  it('the CDK app imports nothing from the local stack: what both need lives in infra/shared', () => {
    const files = sources('infra/aws');
    expect(offending(files, (target) => under(target, ['infra/local']))).toEqual([]);
    expect(files.some((file) => relativeTargets(file).includes('infra/shared/resources.ts'))).toBe(true);
  });
});

describe('the clients', () => {
  it('the dashboard imports nothing from cli/', () => {
    expect(offending(sources('dashboard'), (target) => under(target, ['cli']))).toEqual([]);
  });

  it('shared/client imports no Node built-in, no package and nothing outside its folder', () => {
    const found = sources('shared/client').flatMap((file) =>
      specifiers(file)
        .filter(
          (spec) =>
            !spec.startsWith('.') ||
            !relative(ROOT, resolve(ROOT, dirname(file), spec)).startsWith('shared/client/'),
        )
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(found).toEqual([]);
  });

  it('the scan sees what a file imports', () => {
    expect(specifiers('test/architecture/layers.test.ts')).toEqual(
      expect.arrayContaining(['node:path', 'vitest', '../support/imports.ts']),
    );
  });
});
