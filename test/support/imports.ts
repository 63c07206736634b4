/** Reading the repository's imports, for the tests that keep its layout (test/architecture). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Repository-relative paths of the TypeScript files under `dir`. */
export function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !file.includes('node_modules'))
    .map((file) => join(dir, file));
}

export interface ImportSite {
  specifier: string;
  /** `import type` / `export type`: gone once compiled. */
  typeOnly: boolean;
}

/** Every module a file imports or re-exports, static or dynamic. */
export function importsOf(file: string): ImportSite[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found = text.matchAll(
    /(?:^|\n)\s*(import|export)\b(\s+type\b)?[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  );
  return [...found].map((match) => ({
    specifier: (match[3] ?? match[4]) as string,
    typeOnly: match[2] !== undefined,
  }));
}

/** The module specifiers of a file's imports. */
export function specifiers(file: string): string[] {
  return importsOf(file).map((site) => site.specifier);
}

/** Repository-relative targets of a file's relative imports. */
export function relativeTargets(file: string): string[] {
  return specifiers(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(ROOT, resolve(ROOT, dirname(file), spec)));
}
