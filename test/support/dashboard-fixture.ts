/**
 * A small stand-in for Vite's dashboard build (index.html and content-hashed assets), written to a
 * temp dir, so tests serve a dashboard without building the real one. A few files are there to be
 * refused: dotfiles, and a symbolic link out of the root.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const FIXTURE_INDEX = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Hookchain</title>
    <script type="module" crossorigin src="./assets/index-B7x2kQ9a.js"></script>
    <link rel="stylesheet" crossorigin href="./assets/index-Cw3dE1fG.css" />
  </head>
  <body><div id="root"></div></body>
</html>
`;

/** Minified-looking code well over the gzip threshold, with quotes, newlines and non-ASCII text. */
export const FIXTURE_SCRIPT = Array.from(
  { length: 600 },
  (_, i) => `export const label${i} = "Déploiement → étape ${i}";\nconsole.log('"quoted"', label${i});`,
).join('\n');

export interface DashboardFixture {
  /** The dashboard's root (Vite's dist/). */
  dir: string;
  /** Every file by its path under the root, as written. */
  files: Record<string, Buffer>;
  /** A file beside the root, which a symbolic link inside it (assets/escape.txt) points to. */
  outside: string;
  remove(): Promise<void>;
}

export const FIXTURE_FILES: Record<string, string | Buffer> = {
  'index.html': FIXTURE_INDEX,
  'assets/index-B7x2kQ9a.js': FIXTURE_SCRIPT,
  'assets/index-Cw3dE1fG.css': 'body{margin:0}#root{height:100vh}',
  'assets/logo-Dq8sV2hJ.svg': `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">${'<rect width="1" height="1"/>'.repeat(60)}</svg>`,
  'assets/codicon-Ee4rT6yU.ttf': Buffer.from([0x00, 0x01, 0x00, 0x00, 0xff, 0xfe, 0x80, 0x0a, 0x0d, 0x22]),
  'favicon.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]),
  '.env': 'DASHBOARD_SECRET=never-served\n',
  'assets/.hidden': 'never served either\n',
};

/** Writes the fixture into a new temp dir; without `index.html` when not `built`. */
export async function writeDashboardFixture(options: { built?: boolean } = {}): Promise<DashboardFixture> {
  const parent = await mkdtemp(join(tmpdir(), 'hookchain-dashboard-'));
  const dir = join(parent, 'dist');
  const files: Record<string, Buffer> = {};
  for (const [name, content] of Object.entries(FIXTURE_FILES)) {
    if (name === 'index.html' && options.built === false) continue;
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    files[name] = Buffer.from(content);
  }
  const outside = join(parent, 'outside.txt');
  await writeFile(outside, 'outside the dashboard root\n');
  await symlink(outside, join(dir, 'assets', 'escape.txt'));
  return { dir, files, outside, remove: () => rm(parent, { recursive: true, force: true }) };
}
