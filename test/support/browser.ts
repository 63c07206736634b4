/**
 * Headless Chromium for the dashboard's browser tests: Debian's chromium (installed by .ci/run
 * when missing), driven by playwright-core. Flags keep it off the network it cannot reach here
 * (background networking, component updates, sync) and in a fresh profile per launch.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary: HOOKCHAIN_CHROMIUM, else Debian's; installed with apt-get when we may. */
export function chromiumPath(): string {
  const configured = process.env.HOOKCHAIN_CHROMIUM;
  if (configured) return configured;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  if (process.getuid?.() === 0) {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    'The browser tests need Chromium: install it with `sudo apt-get install chromium` (or set HOOKCHAIN_CHROMIUM).',
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Screenshots of each run go here (gitignored), to be looked at. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/dashboard/', import.meta.url));

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * WCAG 2 A/AA violations on the page, as `rule: target` lines, by axe-core. Monaco's editors are
 * left out (third-party widgets with their own accessibility mode). The script is evaluated
 * through the DevTools protocol, so the page's Content-Security-Policy stays in force.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(await readFile(AXE_SOURCE, 'utf8'));
  return page.evaluate<string[]>(`
    axe.run(
      { exclude: [['.monaco-editor'], ['.monaco-diff-editor']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    ).then((result) =>
      result.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' (' + v.help + ')')),
    )`);
}
