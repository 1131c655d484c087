// UI-level test of "ConvLens: Preview Layer Outputs" in a real workbench (code-server + headless
// chromium): open lenet5.cnn.yaml from the Explorer, run the command from the command palette,
// wait (polling with a deadline) until the webview reports it has drawn, check that a heatmap
// canvas is not blank and the weights label is visible, and save a screenshot to
// test-output/preview.png (and docs/images/preview.png with CONVLENS_UPDATE_SCREENSHOTS=1).

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
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

const SCREENSHOT = path.join(REPO_ROOT, 'test-output', 'preview.png');
const README_SCREENSHOT = path.join(REPO_ROOT, 'docs', 'images', 'preview.png');

/** What the test reads from the preview page: its state and the first heatmap's pixels. */
interface PageProbe {
  state: string | undefined;
  weights: string | null;
  input: string | null;
  heatmaps: number;
  /** Distinct colours in the first heatmap canvas (1 means blank). */
  colours: number;
  error: string | null;
}

async function probe(frame: Frame): Promise<PageProbe | undefined> {
  return frame
    .evaluate((): PageProbe | undefined => {
      const app = document.getElementById('app');
      if (app === null) return undefined;
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.heatmap');
      const colours = new Set<number>();
      const ctx = canvas?.getContext('2d');
      if (canvas && ctx) {
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      }
      return {
        state: app.dataset['state'],
        weights: document.getElementById('weights-label')?.textContent ?? null,
        input: document.getElementById('input-label')?.textContent ?? null,
        heatmaps: document.querySelectorAll('canvas.heatmap').length,
        colours: colours.size,
        error: document.querySelector('.view .error')?.textContent ?? null,
      };
    })
    .catch(() => undefined);
}

/** The webview frame holding the preview page (VS Code nests it two iframes deep). */
async function previewFrame(page: Page): Promise<{ frame: Frame; probe: PageProbe }> {
  return waitFor(
    'the preview webview to draw its first layer',
    async () => {
      for (const frame of page.frames()) {
        const result = await probe(frame);
        if (result?.state === 'failed') throw new Error(`the preview failed: ${result.error ?? '?'}`);
        if (result?.state === 'rendered') return { frame, probe: result };
      }
      return undefined;
    },
    90000,
    250,
  );
}

async function openFromExplorer(page: Page, name: string): Promise<void> {
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
  await waitFor(`${name} in the Explorer`, async () => ((await row.count()) > 0 ? true : undefined), 60000);
  await row.click();
  await waitFor(`${name} open in an editor`, async () => ((await page.locator(`.tab[aria-label^="${name}"]`).count()) > 0 ? true : undefined), 30000);
}

async function runCommand(page: Page, title: string): Promise<void> {
  await waitFor(
    `the command palette to offer "${title}"`,
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`);
      const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await entry.waitFor({ state: 'visible', timeout: 5000 });
      await page.keyboard.press('Enter');
      return true;
    },
    60000,
    500,
  );
}

describe('Preview Layer Outputs in the workbench', function () {
  this.timeout(300000);
  let dirs: TempDirs;
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  let workspace: string;

  before(async () => {
    dirs = new TempDirs();
    workspace = makeTestWorkspace(dirs);
    server = await startCodeServer({ dirs });
    chromium = await launchChromium(dirs, { width: 1400, height: 860 });
  });

  after(async () => {
    await chromium?.close();
    await server?.stop();
    dirs?.cleanup();
  });

  it('runs from the command palette and draws non-blank heatmaps with the weights label', async () => {
    const page = chromium!.page;
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
    await page.goto(workbenchUrl(server!, workspace, developmentPayload(server!, REPO_ROOT)));
    await openFromExplorer(page, 'lenet5.cnn.yaml');
    // More room for the editor and the preview (and the README's screenshot).
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await runCommand(page, 'ConvLens: Preview Layer Outputs');
    const started = Date.now();
    const { frame, probe: result } = await previewFrame(page);
    console.log(`      preview drawn ${Date.now() - started} ms after the command ran: ${result.heatmaps} heatmaps, ${result.input}`);
    assert.strictEqual(result.weights, 'random weights (seed 0)');
    assert.ok(result.heatmaps >= 6, `conv1's 6 channels are drawn (got ${result.heatmaps})`);
    assert.ok(result.colours > 8, `the first heatmap is not blank (${result.colours} distinct colours)`);
    // The page's own PNG of the heatmap, as a second look at the pixels.
    const dataUrlLength = await frame.evaluate(() => document.querySelector<HTMLCanvasElement>('canvas.heatmap')?.toDataURL('image/png').length ?? 0);
    assert.ok(dataUrlLength > 200, `toDataURL gives a real image (${dataUrlLength} characters)`);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env['CONVLENS_UPDATE_SCREENSHOTS'] === '1') {
      fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, README_SCREENSHOT);
    }
  });
});
