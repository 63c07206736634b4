/**
 * Who may import what, so the client stays one: the dashboard reaches the server only through
 * shared/client and never imports the CLI (whose errors carry terminal hints), and shared/client
 * bundles for the browser as well as it runs in Node (no built-ins, nothing outside its folder).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(dir, file));
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = text.matchAll(
    /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  );
  return [...found].map((match) => (match[1] ?? match[2]) as string);
}

/** Repository-relative targets of a file's relative imports. */
function relativeTargets(file: string): string[] {
  return specifiers(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
}

describe('import boundaries', () => {
  it('the dashboard imports nothing from cli/', () => {
    const offending = sources('dashboard').flatMap((file) =>
      relativeTargets(file)
        .filter((target) => target === 'cli' || target.startsWith('cli/'))
        .map((target) => `${file} -> ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('the client imports no Node built-in, no package and nothing outside shared/client', () => {
    const offending = sources('shared/client').flatMap((file) =>
      specifiers(file)
        .filter(
          (spec) =>
            !spec.startsWith('.') ||
            !relative(ROOT, resolve(ROOT, dirname(file), spec)).startsWith('shared/client/'),
        )
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    // The scan itself, on this very file: it imports node built-ins and a package.
    expect(specifiers('test/unit/client/boundaries.test.ts')).toEqual(
      expect.arrayContaining(['node:fs', 'node:path', 'vitest']),
    );
  });
});
