// UI-level tests: playwright drives the real VS Code workbench (code-server + headless chromium)
// the way a user would: Explorer clicks, mouse hovers, the Problems count in the status bar,
// Ctrl+. for quick fixes. Screenshots go to test-output/ (git-ignored); with
// CONVLENS_UPDATE_SCREENSHOTS=1 the hover screenshot is also copied to docs/images/hover.png for
// the README. Run: `npm run test:ui` (after `node scripts/setup.mjs --workbench --chromium`, which `npm test` does).
//
// Every wait is a retry loop with a deadline (hovers fade in, activation is lazy), never a sleep.

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  REPO_ROOT,
  TempDirs,
  developmentPayload,
  launchChromium,
  makeTestWorkspace,
  startCodeServer,
  waitFor,
  workbenchUrl,
  type Chromium,
  type CodeServer,
} from '../integration/code-server';

const OUTPUT = path.join(REPO_ROOT, 'test-output');
const UPDATE_SCREENSHOTS = process.env['CONVLENS_UPDATE_SCREENSHOTS'] === '1';
const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Saves a PNG of the page, or of one part of it (e.g. the editor area). */
async function screenshot(page: Page, name: string, part?: Locator): Promise<string> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, name);
  const clip = part ? ((await part.boundingBox()) ?? undefined) : undefined;
  await page.screenshot({ path: file, clip });
  return file;
}

/** Waits until the hover has finished fading in (a screenshot mid-fade is translucent). */
async function hoverSettled(page: Page): Promise<void> {
  await waitFor(
    'the hover to be fully opaque',
    () =>
      page
        .locator('.monaco-hover')
        .first()
        .evaluate((el) => (getComputedStyle(el).opacity === '1' ? true : undefined)),
    10000,
  );
}

/** Clicks an Explorer row by its label, expanding folders on the way (`test-models/lenet.cnn.yaml`). */
async function openFromExplorer(page: Page, relative: string): Promise<void> {
  const parts = relative.split('/');
  for (const [i, part] of parts.entries()) {
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-level="${i + 1}"][aria-label="${part}"]`);
    await row.waitFor({ timeout: 30000 });
    const expanded = await row.getAttribute('aria-expanded');
    if (i < parts.length - 1 && expanded === 'true') continue;
    await row.click();
  }
  await page.locator(`.tabs-container .tab[aria-label^="${parts[parts.length - 1]}"]`).waitFor({ timeout: 30000 });
}

/** The rendered editor line whose text contains `needle` (Monaco renders spaces as U+00A0). */
function editorLine(page: Page, needle: string): Locator {
  return page.locator('.editor-instance .monaco-editor .view-line').filter({ hasText: needle.replace(/ /g, '\u00a0') });
}

/** A token span of an editor line, by its exact text. */
function token(line: Locator, text: string): Locator {
  return line
    .locator('span > span')
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
    .first();
}

/** Moves the mouse onto `target` until the hover shows `expected`; returns the hover's text. */
async function hoverUntil(page: Page, target: Locator, expected: string): Promise<string> {
  return waitFor(
    `a hover containing ${JSON.stringify(expected)}`,
    async () => {
      // Leave and come back: a hover that appeared too early (before activation) is refreshed.
      await page.mouse.move(5, 5);
      await target.hover();
      const hover = page.locator('.monaco-hover-content').filter({ hasText: expected });
      try {
        await hover.first().waitFor({ state: 'visible', timeout: 2000 });
      } catch {
        return undefined;
      }
      return (await hover.first().innerText()).replace(/\u00a0/g, ' ');
    },
    60000,
    0,
  );
}

/** The Problems item of the status bar: [errors, warnings]. */
async function problemCounts(page: Page): Promise<[number, number]> {
  const label = (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
  if (/no problems/i.test(label)) return [0, 0];
  const errors = /(\d+)\s+Errors?/i.exec(label)?.[1] ?? /Errors?:\s*(\d+)/i.exec(label)?.[1] ?? '0';
  const warnings = /(\d+)\s+Warnings?/i.exec(label)?.[1] ?? /Warnings?:\s*(\d+)/i.exec(label)?.[1] ?? '0';
  return [Number(errors), Number(warnings)];
}

async function waitForProblems(page: Page, expected: [number, number]): Promise<void> {
  let last: [number, number] = [-1, -1];
  try {
    await waitFor(
      `the status bar to show ${expected[0]} errors and ${expected[1]} warnings`,
      async () => {
        last = await problemCounts(page);
        return last[0] === expected[0] && last[1] === expected[1] ? true : undefined;
      },
      30000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${last[0]} errors, ${last[1]} warnings`, { cause: error });
  }
}

describe('ConvLens in the VS Code workbench (code-server + chromium)', function () {
  this.timeout(300000);
  let dirs: TempDirs;
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  let page: Page;

  before(async () => {
    dirs = new TempDirs();
    const workspace = makeTestWorkspace(dirs);
    server = await startCodeServer({ dirs, verbose: process.env['CONVLENS_TEST_VERBOSE'] === '1' });
    chromium = await launchChromium(dirs);
    page = chromium.page;
    await page.goto(workbenchUrl(server, workspace, developmentPayload(server, REPO_ROOT)));
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90000 });
  });

  after(async () => {
    await chromium?.close();
    await server?.stop();
    dirs?.cleanup();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`).catch(() => undefined);
  });

  it('opens LeNet-5 from the Explorer and shows inline shapes, the CodeLens and the status-bar totals', async () => {
    await openFromExplorer(page, 'test-models/lenet.cnn.yaml');
    // conv1: (28 + 2·2 − 5) / 1 + 1 = 28 → [1, 6, 28, 28], rendered after the parameters.
    await editorLine(page, '→ [1, 6, 28, 28]').first().waitFor({ timeout: 60000 });
    await editorLine(page, '→ [1, 10]').first().waitFor();
    // 61,706 params and 416,520 MACs (the contract's LeNet-5 figures).
    await page.locator('.codelens-decoration', { hasText: '61.71 K params' }).first().waitFor();
    const totals = page.locator('.statusbar-item', { hasText: '61.71 K params' });
    await totals.first().waitFor();
    await waitForProblems(page, [0, 0]);
    await screenshot(page, 'inline-shapes.png');
  });

  it('hovers conv1 and reads the formula, params and MACs from the hover', async () => {
    const conv1 = editorLine(page, 'conv2d: {out_channels: 6');
    const text = await hoverUntil(page, token(conv1, 'conv2d'), 'conv1');
    assert.ok(text.includes('(28 + 2·2 − 5) / 1 + 1 = 28'), text);
    assert.ok(text.includes('[1, 6, 28, 28]'), text);
    assert.ok(text.includes('156'), text); // 6·1·5·5 + 6
    assert.ok(text.includes('117,600 MACs'), text); // 6·28·28·1·5·5
    assert.ok(text.includes('784 × 25'), text); // im2col: 28·28 rows, 1·5·5 columns
    await hoverSettled(page);
    const file = await screenshot(page, 'hover.png', page.locator('.part.editor'));
    if (UPDATE_SCREENSHOTS) {
      const docs = path.join(REPO_ROOT, 'docs', 'images');
      fs.mkdirSync(docs, { recursive: true });
      fs.copyFileSync(file, path.join(docs, 'hover.png'));
    }
    await page.mouse.move(5, 5);
  });

  it('counts the mistakes in the status bar and fixes one with Ctrl+.', async () => {
    await openFromExplorer(page, 'test-models/mistakes.cnn.yaml');
    // Errors: in_channels 3 ≠ 8; unknown parameter kernel_sise and the then missing kernel_size;
    // unknown kind reluu. Warnings: (28 − 5) / 3 + 1 = 8.67 for H and for W.
    await waitForProblems(page, [4, 2]);
    await screenshot(page, 'problems.png');

    const conv2 = editorLine(page, 'in_channels: 3');
    await token(conv2, 'in_channels').click();
    await page.keyboard.press(`${MOD}+Period`);
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Set in_channels to 8' });
    await fix.first().waitFor({ timeout: 30000 });
    await screenshot(page, 'quick-fix.png');
    // Keyboard, as a user would (the menu's pointer guard swallows synthetic clicks): move the
    // focus onto the fix, then Enter.
    await waitFor(
      'the fix to be focused in the menu',
      async () => {
        const focused = await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label');
        if (focused === 'Set in_channels to 8') return true;
        await page.keyboard.press('ArrowDown');
        return undefined;
      },
      10000,
    );
    await page.keyboard.press('Enter');
    await editorLine(page, 'in_channels: 8').first().waitFor({ timeout: 30000 });
    await waitForProblems(page, [3, 2]);
  });
});
