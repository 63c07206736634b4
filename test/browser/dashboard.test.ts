/**
 * The dashboard, driven in headless Chromium against the real local stack: the journey of a
 * person who writes an action, catches a type error before saving, tests, deploys, orders the
 * post-login flow by drag and drop, watches a log line arrive and rolls back. Each step leaves a
 * screenshot under test/artifacts/dashboard/. Steps run in order and build on each other.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../../dashboard/build.ts';
import { sampleEvent } from '../../shared/testing/index.ts';
import { deployedAction, waitForLive } from '../support/actions.ts';
import { accessibilityViolations, launchChromium, screenshot } from '../support/browser.ts';
import { stagePrefixOnly, startTestHookchain, type TestHookchain } from '../support/hookchain.ts';
import { type NpmRegistry, startNpmRegistry } from '../support/npm-registry.ts';

const ACTION = 'dashboard-greeter';
const GUARD = 'existing-guard';
const WIDE = { width: 1280, height: 800 };

interface ActionView {
  id: string;
  name: string;
  code: string;
  deployed_version?: { number: number; id: string };
}

// Generous limits: a busy CI machine runs other suites beside the browser; nothing here is timed.
describe('the dashboard in a browser', { timeout: 120_000 }, () => {
  let hc: TestHookchain;
  let registry: NpmRegistry;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const findAction = async (name: string): Promise<ActionView> => {
    const { body } = await hc.api<{ actions: ActionView[] }>('GET', '/api/v2/actions/actions');
    const found = body.actions.find((a) => a.name === name);
    if (!found) throw new Error(`no action named ${name}`);
    return found;
  };

  /** Inserts text at the cursor as a paste would: no auto-closing brackets or suggestions. */
  const insertLine = async (text: string) => {
    await page.keyboard.insertText(text);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    await ensureDashboardBuilt();
    registry = await startNpmRegistry();
    // Served under the stage, as API Gateway serves it: the dashboard must find the API there.
    hc = await startTestHookchain({ npmRegistry: registry.url, fidelity: stagePrefixOnly() });
    expect(new URL(hc.url).pathname).toBe('/dev');
    // Another action already runs at post-login: the new one will be dragged above it.
    await deployedAction(hc, {
      name: GUARD,
      code: "exports.onExecutePostLogin = async (event, api) => { console.log('guard ran'); };",
    });
    await hc.api('PATCH', '/api/v2/actions/triggers/post-login/bindings', {
      bindings: [{ ref: { type: 'action_name', value: GUARD } }],
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: WIDE });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hc?.stop();
    await registry?.close();
  });

  it('asks for the token, refuses a wrong one and keeps the right one for this tab only', async () => {
    await page.goto(`${hc.url}/dashboard/`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to Hookchain' }).isVisible())
      .toBe(true);
    await screenshot(page, '01-sign-in');

    await page.getByLabel('API token').fill('hc_not_a_real_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');

    await page.getByLabel('API token').fill(hc.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Actions' }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('hookchain.token')")).toBe(hc.token);
    expect(page.url()).not.toContain(hc.token);
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('lists actions with their trigger, status and deployed version', async () => {
    const row = page.getByRole('row', { name: new RegExp(GUARD) });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Login \/ Post Login.*Deployed.*v1/);
    await screenshot(page, '02-actions');
  });

  it('creates an action from the trigger template and underlines a type error before saving', async () => {
    await page.getByRole('link', { name: 'Create action' }).click();
    await page.getByLabel('Name', { exact: true }).fill(ACTION);
    await page.getByRole('radio', { name: /Login \/ Post Login/ }).check();
    await screenshot(page, '00-new-action');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.monaco-editor .view-lines').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('problem-summary').textContent()).toBe('No problems');

    // Into the handler's body (the line before its closing `};`), with a misspelt api method.
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await insertLine("console.log('hello from the dashboard', event.user.email);");
    await insertLine("api.idToken.setCustomClam('https://acme.test/greeting', 'hi');");

    await expect
      .poll(() => page.locator('.problem-list').textContent(), { timeout: 20_000 })
      .toContain("Property 'setCustomClam' does not exist on type 'IdTokenAPI<PostLoginAPI>'");
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('problem-summary').textContent()).toBe('1 error');
    expect(await page.getByText('Unsaved changes').isVisible()).toBe(true);
    // Nothing was saved: the server still has the template.
    expect((await findAction(ACTION)).code).not.toContain('setCustomClam');
    await screenshot(page, '03-editor-type-error');
  });

  it('jumps to a problem from the list, clears it once fixed, with hover docs and completion', async () => {
    await page.locator('.problem-list button', { hasText: 'setCustomClam' }).click();
    // The cursor is now on the misspelt name: select the word and type the right one.
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.insertText('setCustomClaim');
    await expect
      .poll(() => page.getByTestId('problem-summary').textContent(), { timeout: 20_000 })
      .toBe('No problems');
    // Decorations render a frame after the markers change.
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count()).toBe(0);

    // Hover documentation at the cursor (Ctrl+K Ctrl+I), from the shipped declarations.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+i');
    await expect
      .poll(() => page.locator('.monaco-hover').first().textContent(), { timeout: 15_000 })
      .toContain('Sets a custom claim on the ID token');
    await screenshot(page, '04-editor-hover');
    await page.keyboard.press('Escape');

    // Completion at the cursor (Ctrl+Space) offers the api's members with their types.
    await page.keyboard.press('Control+Space');
    await expect
      .poll(() => page.locator('.suggest-widget').first().textContent(), { timeout: 15_000 })
      .toContain('setCustomClaim');
    await page.keyboard.press('Escape');
  });

  it('saves the draft with Ctrl+S; the build status updates live', async () => {
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByText('Unsaved changes').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('action-status').textContent(), { timeout: 30_000 })
      .toContain('Built');
    expect((await findAction(ACTION)).code).toContain(
      "api.idToken.setCustomClaim('https://acme.test/greeting'",
    );
    await screenshot(page, '05-editor-saved');
  });

  it('tests the draft on the sample event: commands, console output and timings', async () => {
    await page.getByRole('tab', { name: 'Test' }).click();
    const eventBox = page.getByLabel('Event (post-login)');
    expect(JSON.parse(await eventBox.inputValue())).toHaveProperty('user.email');
    await page.getByRole('button', { name: 'Run test' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('test-commands').textContent()).toContain('https://acme.test/greeting');
    expect(await page.getByTestId('test-logs').textContent()).toContain('hello from the dashboard');
    expect(await result.textContent()).toMatch(/Timings.*total request duration/i);
    await screenshot(page, '06-test-panel');

    await eventBox.fill('{ not json');
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not valid JSON');
    await page.getByRole('button', { name: 'Reset to sample' }).click();
  });

  it('keeps secrets write-only', async () => {
    await page.getByRole('tab', { name: 'Secrets' }).click();
    await page.getByLabel('Name', { exact: true }).fill('GREETING_KEY');
    await page.getByLabel('Value', { exact: true }).fill('s3cr3t-value');
    await page.getByRole('button', { name: 'Save secret' }).click();
    await page.getByText('Secret GREETING_KEY added.').waitFor();
    expect(await page.locator('.item-list').textContent()).toContain('GREETING_KEY');
    expect(await page.content()).not.toContain('s3cr3t-value');
    await screenshot(page, '07-secrets');
  });

  it('underlines require() of an undeclared package until it is added as a dependency', async () => {
    await page.getByRole('tab', { name: 'Code' }).click();
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+Home');
    await insertLine("const { greet } = require('greeter');");
    await expect
      .poll(() => page.locator('.problem-list').textContent())
      .toContain("Cannot find module 'greeter'");

    await page.getByRole('tab', { name: 'Dependencies' }).click();
    await page.getByLabel('Package', { exact: true }).fill('greeter');
    await page.getByLabel('Version', { exact: true }).fill('1.0.0');
    await page.getByRole('button', { name: 'Add dependency' }).click();
    await page.getByText('greeter@1.0.0 added.').waitFor();
    await expect
      .poll(() => page.getByTestId('action-status').textContent(), { timeout: 60_000 })
      .toContain('Built');
    expect(await page.locator('.item-list').textContent()).toContain('greeter@1.0.0');
    await screenshot(page, '08-dependencies');

    await page.getByRole('tab', { name: 'Code' }).click();
    await expect.poll(() => page.getByTestId('problem-summary').textContent()).toBe('No problems');
    // The edit made before switching tabs is still there, not yet saved.
    expect(await page.getByText('Unsaved changes').isVisible()).toBe(true);

    // Leaving the action with unsaved code asks first; staying keeps the edit.
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.dismiss();
      }),
    );
    await page.getByRole('link', { name: 'Flows' }).click();
    expect(await asked).toContain('unsaved code changes will be lost');
    await expect.poll(() => page.url()).toContain('/dashboard/#/actions/');
    expect(await page.getByText('Unsaved changes').isVisible()).toBe(true);
  });

  it('deploys the draft and shows the live version', async () => {
    await page.getByRole('tab', { name: 'Code' }).click();
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Version 1 is deployed and live.').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('action-status').textContent()).toContain('Deployed');
    expect((await findAction(ACTION)).deployed_version?.number).toBe(1);
  });

  it('drags the action into the post-login flow above the action already there', async () => {
    await page.getByRole('link', { name: 'Flows' }).click();
    const available = page.getByTestId('available-action').filter({ hasText: ACTION });
    await available.waitFor();
    const guard = page.getByTestId('chain-link').filter({ hasText: GUARD });
    await screenshot(page, '09-flow-before');
    await available.dragTo(guard);
    await expect
      .poll(() => page.getByTestId('chain-link').allTextContents())
      .toEqual([expect.stringContaining(ACTION), expect.stringContaining(GUARD)]);
    await screenshot(page, '10-flow-dragged');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The Login / Post Login flow is updated.').waitFor();

    const { body } = await hc.api<{ bindings: Array<{ display_name: string }> }>(
      'GET',
      '/api/v2/actions/triggers/post-login/bindings',
    );
    expect(body.bindings.map((b) => b.display_name)).toEqual([ACTION, GUARD]);
    await screenshot(page, '11-flow-applied');
  });

  it('reorders the chain by dragging a link onto another, and by the keyboard alone', async () => {
    const links = page.getByTestId('chain-link');
    await links.filter({ hasText: GUARD }).dragTo(links.filter({ hasText: ACTION }));
    await expect
      .poll(() => links.allTextContents())
      .toEqual([expect.stringContaining(GUARD), expect.stringContaining(ACTION)]);
    await page.getByRole('button', { name: 'Discard' }).click();

    await page.getByRole('button', { name: `Move ${ACTION} down` }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('chain-link').allTextContents())
      .toEqual([expect.stringContaining(GUARD), expect.stringContaining(ACTION)]);
    expect(await page.getByText('Not applied').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect
      .poll(() => page.getByTestId('chain-link').allTextContents())
      .toEqual([expect.stringContaining(ACTION), expect.stringContaining(GUARD)]);
  });

  let executionId = '';

  it('shows the log line of an execution triggered through the API as it arrives', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    await expect
      .poll(() => page.getByTestId('log-connection').textContent(), { timeout: 10_000 })
      .toContain('Live');
    expect(await page.getByTestId('log-run').count()).toBe(0);
    // Layout shifts from here on (the browser's own Cumulative Layout Shift entries).
    await page.evaluate(`
      window.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
      }).observe({ type: 'layout-shift' });
    `);

    const run = await hc.api<{ execution_id?: string; result: { id_token_claims: Record<string, string> } }>(
      'POST',
      '/api/v2/actions/triggers/post-login/execute',
      { event: sampleEvent('post-login') },
    );
    expect(run.status).toBe(200);
    expect(run.body.result.id_token_claims['https://acme.test/greeting']).toBe('hi');

    const line = page.getByTestId('log-run').filter({ hasText: 'hello from the dashboard' });
    await line.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('log-run').count(), { timeout: 10_000 }).toBe(2);
    // Two more polls while the runs are shown (each updates the status); the page must not move.
    const status = page.getByTestId('log-connection');
    for (let poll = 0; poll < 2; poll++) {
      const before = await status.textContent();
      await expect.poll(() => status.textContent()).not.toBe(before);
    }
    expect(await page.evaluate<number>('window.layoutShift')).toBeLessThan(0.01);
    executionId = (await line.locator('.log-execution').textContent()) ?? '';
    expect(executionId).not.toBe('');
    await screenshot(page, '12-logs');

    await page.getByLabel('Action', { exact: true }).selectOption(GUARD);
    await expect
      .poll(() => page.getByTestId('log-run').allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringContaining('guard ran')]);
    await page.getByLabel('Action', { exact: true }).selectOption('');
  });

  it('opens the execution from its log line with each action result', async () => {
    await page.getByRole('link', { name: executionId }).first().click();
    const details = page.getByTestId('execution');
    await details.waitFor();
    expect(await details.textContent()).toContain(ACTION);
    expect(await details.textContent()).toContain(GUARD);
    expect(await details.textContent()).toContain('post-login');
    await screenshot(page, '13-execution');
  });

  it('shows the diff between versions and rolls back with one click', async () => {
    const action = await findAction(ACTION);
    await page.goto(`${hc.url}/dashboard/#/actions/${action.id}`);
    await page.locator('.monaco-editor .view-lines').waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await insertLine("api.idToken.setCustomClaim('https://acme.test/version', 'two');");
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Version 2 is deployed and live.').waitFor({ timeout: 60_000 });

    await page.getByRole('tab', { name: 'Version history' }).click();
    await page.getByRole('heading', { name: 'Changes in version 2' }).waitFor();
    await page.getByTestId('diff-view').locator('.monaco-diff-editor').waitFor();
    await expect
      .poll(() => page.getByTestId('diff-view').textContent(), { timeout: 15_000 })
      .toContain('https://acme.test/version');
    await screenshot(page, '14-version-diff');

    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page
      .getByText('Rolled back: version 3 (a copy of version 1) is live.')
      .waitFor({ timeout: 60_000 });
    const live = await waitForLive(hc, action.id, 3);
    const versions = await hc.api<{ versions: Array<{ number: number; code: string }> }>(
      'GET',
      `/api/v2/actions/actions/${live.id}/versions`,
    );
    const code = (n: number) => versions.body.versions.find((v) => v.number === n)?.code;
    expect(code(3)).toBe(code(1));
    expect(code(3)).not.toContain('https://acme.test/version');
    await screenshot(page, '15-rolled-back');
  });

  it('works on a narrow screen without sideways scrolling', async () => {
    // A new tab starts signed out (the token is per tab): sign it in as the first tab was.
    const narrow = await context.newPage();
    await narrow.addInitScript(`sessionStorage.setItem('hookchain.token', ${JSON.stringify(hc.token)})`);
    await narrow.setViewportSize({ width: 390, height: 844 });
    for (const [name, hash, ready] of [
      ['16-narrow-actions', '#/actions', '[data-testid=status-badge]'],
      ['17-narrow-flows', '#/flows/post-login', '[data-testid=chain-link]'],
      ['18-narrow-logs', '#/logs', '[data-testid=log-run]'],
    ] as const) {
      await narrow.goto(`${hc.url}/dashboard/${hash}`);
      await narrow.locator(ready).first().waitFor();
      const overflow = await narrow.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `${hash} scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(narrow, name);
    }
    await narrow.close();
  });

  it('deletes an action after asking, and lists the rest', async () => {
    const { body } = await hc.api<{ id: string }>('POST', '/api/v2/actions/actions', {
      name: 'short-lived',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      code: 'exports.onExecutePostLogin = async () => {};',
    });
    await page.goto(`${hc.url}/dashboard/#/actions/${body.id}`);
    await page.getByRole('heading', { name: 'short-lived' }).waitFor();
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('button', { name: 'Delete' }).click();
    expect((await hc.api('GET', `/api/v2/actions/actions/${body.id}`)).status).toBe(200);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Actions' }).waitFor();
    await page.getByRole('row', { name: new RegExp(GUARD) }).waitFor();
    expect(await page.getByRole('row', { name: /short-lived/ }).count()).toBe(0);
    expect((await hc.api('GET', `/api/v2/actions/actions/${body.id}`)).status).toBe(404);
  });

  it('meets WCAG 2 A and AA on every page (axe-core), the editors aside', async () => {
    const action = await findAction(ACTION);
    const routes = [
      '#/actions',
      '#/actions/new',
      `#/actions/${action.id}`,
      `#/actions/${action.id}/test`,
      `#/actions/${action.id}/secrets`,
      `#/actions/${action.id}/dependencies`,
      `#/actions/${action.id}/versions`,
      '#/flows/post-login',
      `#/executions/${executionId}`,
      '#/logs',
    ];
    const found: Record<string, string[]> = {};
    for (const route of routes) {
      await page.goto(`${hc.url}/dashboard/${route}`);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      const violations = await accessibilityViolations(page);
      if (violations.length > 0) found[route] = violations;
    }
    const signedOut = await context.newPage();
    await signedOut.goto(`${hc.url}/dashboard/`);
    await signedOut.getByLabel('API token').waitFor();
    const signIn = await accessibilityViolations(signedOut);
    if (signIn.length > 0) found['sign-in'] = signIn;
    // The check can fail: a nameless button is reported.
    await signedOut.evaluate("document.querySelector('form').append(document.createElement('button'))");
    expect(await accessibilityViolations(signedOut)).toEqual([expect.stringContaining('button-name')]);
    await signedOut.close();
    expect(found).toEqual({});
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
