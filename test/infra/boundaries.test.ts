import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const infra = fileURLToPath(new URL('../../infra/', import.meta.url));

async function importsOf(dir: string): Promise<Array<{ file: string; from: string }>> {
  const found: Array<{ file: string; from: string }> = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    if (!entry.endsWith('.ts')) continue;
    const text = await readFile(join(dir, entry), 'utf8');
    for (const match of text.matchAll(/from '([^']+)'/g)) found.push({ file: entry, from: match[1] ?? '' });
  }
  return found;
}

it('the CDK app imports nothing from the local stack: what both need lives in infra/shared', async () => {
  const imports = await importsOf(join(infra, 'aws'));
  expect(imports.filter(({ from }) => from.includes('/local/'))).toEqual([]);
  expect(imports.some(({ from }) => from.includes('../shared/resources.ts'))).toBe(true);
});
