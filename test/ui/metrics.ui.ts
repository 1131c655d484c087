// UI-level test of "ConvLens: Evaluate Detections" in a real workbench (code-server + headless
// chromium): select examples/detections/ground-truth.json and detections.json in the Explorer,
// run the command from the Explorer's context menu, wait (polling with a deadline) until the
// webview reports it has drawn, check the summary's AP and that the PR chart canvases are not
// blank, save test-output/metrics.png (and docs/images/metrics.png with
// CONVLENS_UPDATE_SCREENSHOTS=1) and test-output/metrics-image.png (the single-image view), sort
// the per-class table by AP with a header click, then switch the webview's metric chooser to
// VOC2007 and wait for its mAP.

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  REPO_ROOT,
  TempDirs,
  developmentPayload,
  launchChromium,
  makeTestWorkspace,
  startCodeServer,
  runCommand,
  waitFor,
  workbenchUrl,
  type Chromium,
  type CodeServer,
} from '../integration/code-server';

const SCREENSHOT = path.join(REPO_ROOT, 'test-output', 'metrics.png');
const IMAGE_SCREENSHOT = path.join(REPO_ROOT, 'test-output', 'metrics-image.png');
const README_SCREENSHOT = path.join(REPO_ROOT, 'docs', 'images', 'metrics.png');

/** What the test reads from the metrics page. */
interface PageProbe {
  state: string | undefined;
  metric: string | undefined;
  /** The summary table's AP cell, or the VOC mAP. */
  ap: string | null;
  vocMap: string | null;
  charts: number;
  /** Distinct colours and painted pixels of the first PR chart (1 colour: blank). */
  colours: number;
  inked: number;
  imageCanvas: boolean;
}

async function probe(frame: Frame): Promise<PageProbe | undefined> {
  return frame
    .evaluate((): PageProbe | undefined => {
      const app = document.getElementById('app');
      if (app === null || document.querySelector('.card.summary') === null) return undefined;
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.pr-chart');
      const colours = new Set<number>();
      let inked = 0;
      const ctx = canvas?.getContext('2d');
      if (canvas && ctx && canvas.width > 0) {
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] !== 0) inked += 1;
          colours.add((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!);
        }
      }
      return {
        state: app.dataset['state'],
        metric: app.dataset['metric'],
        ap: document.querySelector('#summary-table td[data-name="AP"]')?.textContent ?? null,
        vocMap: document.getElementById('voc-map')?.textContent ?? null,
        charts: document.querySelectorAll('canvas.pr-chart').length,
        colours: colours.size,
        inked,
        imageCanvas: document.querySelector('canvas.image-canvas') !== null,
      };
    })
    .catch(() => undefined);
}

/** The webview frame holding the metrics page (VS Code nests it two iframes deep), once `accept` holds. */
async function metricsFrame(page: Page, what: string, accept: (p: PageProbe) => boolean): Promise<{ frame: Frame; probe: PageProbe }> {
  let last: PageProbe | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        for (const frame of page.frames()) {
          const result = await probe(frame);
          if (result) last = result;
          if (result && accept(result)) return { frame, probe: result };
        }
        return undefined;
      },
      120000,
      250,
    );
  } catch (error) {
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-output', 'metrics-failure.png') });
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; last page seen: ${JSON.stringify(last)} (screenshot: test-output/metrics-failure.png)`,
      { cause: error },
    );
  }
}

function explorerRow(page: Page, name: string, folder: boolean): Locator {
  return page
    .locator(`.explorer-folders-view .monaco-list-row${folder ? '[aria-expanded]' : ':not([aria-expanded])'}[aria-label^="${name}"]`)
    .first();
}

async function visible(what: string, locator: Locator): Promise<void> {
  await waitFor(what, async () => ((await locator.count()) > 0 && (await locator.isVisible()) ? true : undefined), 60000);
}

describe('Evaluate Detections in the workbench', function () {
  this.timeout(300000);
  let dirs: TempDirs;
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  let workspace: string;

  before(async () => {
    dirs = new TempDirs();
    workspace = makeTestWorkspace(dirs);
    server = await startCodeServer({ dirs });
    chromium = await launchChromium(dirs, { width: 1400, height: 900 });
  });

  after(async () => {
    await chromium?.close();
    await server?.stop();
    dirs?.cleanup();
  });

  it('runs from the Explorer context menu on two files, draws the COCO summary and non-blank PR charts, and switches to VOC', async () => {
    const page = chromium!.page;
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
    await page.goto(workbenchUrl(server!, workspace, developmentPayload(server!, REPO_ROOT)));

    // Select both files of examples/detections in the Explorer and right-click them.
    const folder = explorerRow(page, 'detections', true);
    await visible('the detections folder in the Explorer', folder);
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const groundTruth = explorerRow(page, 'ground-truth.json', false);
    const detections = explorerRow(page, 'detections.json', false);
    await visible('ground-truth.json in the Explorer', groundTruth);
    await groundTruth.click();
    await detections.click({ modifiers: ['Control'] });
    await waitFor(
      'both files selected',
      async () => ((await page.locator('.explorer-folders-view .monaco-list-row.selected').count()) === 2 ? true : undefined),
      10000,
    );
    await detections.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Evaluate Detections' }).first();
    await visible('"Evaluate Detections" in the context menu', item);
    const started = Date.now();
    await item.click();

    const { frame, probe: result } = await metricsFrame(
      page,
      'the metrics webview to draw its charts',
      (p) => p.state === 'rendered' && p.metric === 'coco' && p.charts > 0 && p.inked > 0,
    );
    console.log(
      `      metrics drawn ${Date.now() - started} ms after the menu click: ${result.charts} PR charts, AP ${result.ap}, first chart ${result.colours} colours`,
    );
    // pycocotools prints AP = 0.247 for this pair (test/fixtures/metrics/random.json).
    assert.strictEqual(result.ap, '0.247');
    assert.strictEqual(result.charts, 6, 'one chart per class');
    assert.ok(result.colours > 8, `the first chart is not blank (${result.colours} distinct colours)`);
    assert.ok(result.inked > 2000, `the first chart has ink (${result.inked} painted pixels)`);

    // More room for the panel (and the README's screenshot); the page's layout follows.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await metricsFrame(page, 'the charts after the resize', (p) => p.state === 'rendered' && p.inked > 0);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env['CONVLENS_UPDATE_SCREENSHOTS'] === '1') {
      fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, README_SCREENSHOT);
    }

    // The single-image view: the boxes are drawn, scrolled into view for a second screenshot.
    await waitFor('the image canvas', async () => ((await probe(frame))?.imageCanvas ? true : undefined), 30000);
    await frame.evaluate(() => document.querySelector('.card.image')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: IMAGE_SCREENSHOT });
    await frame.evaluate(() => window.scrollTo(0, 0));

    // The per-class table sorts by a header click: best AP first (c4, 0.290 in pycocotools' numbers).
    await frame.click('#class-table th[data-key="AP"]');
    const order = await waitFor(
      'the table sorted by AP',
      async () => {
        const ids = await frame.evaluate(() =>
          [...document.querySelectorAll('#class-table tbody tr')].map((tr) => tr.getAttribute('data-category')),
        );
        return ids[0] === '4' ? ids : undefined;
      },
      10000,
    );
    assert.deepStrictEqual(order, ['4', '2', '8', '5', '9', '1']);

    // The metric chooser re-runs through the extension: VOC2007 at IoU 0.5.
    await frame.selectOption('#metric', 'voc07');
    const voc = await metricsFrame(page, 'the VOC2007 results', (p) => p.state === 'rendered' && p.metric === 'voc07' && p.vocMap !== null);
    console.log(`      VOC2007 mAP shown: ${voc.probe.vocMap}`);
    assert.match(voc.probe.vocMap ?? '', /^0\.\d{3}$/);
    assert.ok(voc.probe.charts > 0 && voc.probe.inked > 0, 'VOC PR charts drawn');
  });
});
