// UI-level test of "ConvLens: Preview Layer Outputs" in a real workbench (code-server + headless
// chromium): open lenet5.cnn.yaml from the Explorer, run the command from the command palette,
// wait (polling with a deadline) until the webview reports it has drawn, check that a heatmap
// canvas is not blank and the weights label is visible, and save a screenshot to
// test-output/preview.png (and docs/images/preview.png with CONVLENS_UPDATE_SCREENSHOTS=1).
// Then drive the page like a user: the im2col, argmax and gradient views, a click that reveals
// the layer in the editor, and a weights file and a picture chosen in VS Code's open dialog.

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Frame, Page } from 'playwright-core';
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

const SCREENSHOT = path.join(REPO_ROOT, 'test-output', 'preview.png');
const README_SCREENSHOT = path.join(REPO_ROOT, 'docs', 'images', 'preview.png');

// ---- fixtures written into the test workspace ------------------------------------------------

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGBA PNG (8 bits, no interlace, filter 0 on every row). */
function writePng(file: string, width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): void {
  const stride = 4 * width + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([...pixel(x, y), 255], y * stride + 1 + 4 * x);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  fs.writeFileSync(
    file,
    Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]),
  );
}

/** A .safetensors file of F32 tensors with small deterministic values. */
function writeSafetensors(file: string, tensors: [string, number[]][]): void {
  const header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, shape] of tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: size }, (_, i) => 0.2 * Math.sin(0.37 * i + name.length));
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
    chunks.push(Buffer.from(data.buffer));
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([length, json, ...chunks]));
}

const LENET_TENSORS: [string, number[]][] = [
  ['conv1.weight', [6, 1, 5, 5]],
  ['conv1.bias', [6]],
  ['conv2.weight', [16, 6, 5, 5]],
  ['conv2.bias', [16]],
  ['fc1.weight', [120, 400]],
  ['fc1.bias', [120]],
  ['fc2.weight', [84, 120]],
  ['fc2.bias', [84]],
  ['fc3.weight', [10, 84]],
  ['fc3.bias', [10]],
];

// ---- reading the page ---------------------------------------------------------------------------

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
  await waitFor(
    `${name} open in an editor`,
    async () => ((await page.locator(`.tab[aria-label^="${name}"]`).count()) > 0 ? true : undefined),
    30000,
  );
}

/** Reads something from the preview page until `accept` says it is what the test waits for. */
async function pageValue<T>(frame: Frame, what: string, read: () => T, accept: (value: T) => boolean, timeoutMs = 30000): Promise<T> {
  return waitFor(
    what,
    async () => {
      const value = await frame.evaluate(read);
      return accept(value) ? value : undefined;
    },
    timeoutMs,
    200,
  );
}

/**
 * Answers VS Code's own open dialog (a quick input in code-server) with a path. The dialog fills
 * its box with the folder asynchronously and checks the typed path before it accepts Enter, so
 * this retries until the dialog has closed.
 */
async function answerOpenDialog(page: Page, file: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await waitFor('the dialog to show its folder', async () => ((await input.inputValue()).endsWith('/') ? true : undefined), 15000);
  await waitFor(
    `the open dialog to accept ${path.basename(file)}`,
    async () => {
      if (!(await widget.isVisible())) return true;
      if ((await input.inputValue()) !== file) await input.fill(file);
      const row = widget.locator('.monaco-list-row', { hasText: path.basename(file) });
      if ((await row.count()) > 0) await page.keyboard.press('Enter');
      return undefined;
    },
    20000,
    300,
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
    writePng(path.join(workspace, 'gradient.png'), 120, 80, (x, y) => [
      Math.floor((255 * x) / 120),
      Math.floor((255 * y) / 80),
      ((x >> 3) + (y >> 3)) % 2 ? 255 : 0,
    ]);
    writeSafetensors(path.join(workspace, 'lenet5.safetensors'), LENET_TENSORS);
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
    const dataUrlLength = await frame.evaluate(
      () => document.querySelector<HTMLCanvasElement>('canvas.heatmap')?.toDataURL('image/png').length ?? 0,
    );
    assert.ok(dataUrlLength > 200, `toDataURL gives a real image (${dataUrlLength} characters)`);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    if (process.env['CONVLENS_UPDATE_SCREENSHOTS'] === '1') {
      fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, README_SCREENSHOT);
    }
  });

  it('steps im2col, draws argmax and saliency, reveals a clicked layer, and takes files from the open dialog', async () => {
    const page = chromium!.page;
    const { frame } = await previewFrame(page);
    const state = (): string | undefined => document.getElementById('app')?.dataset['state'];

    // im2col of conv2: the matrix dimensions, and stepping moves to the next row.
    await frame.click('li.layer[data-layer="conv2"]');
    await frame.click('button.tab[data-view="im2col"]');
    const dims = await pageValue(
      frame,
      'the im2col dimensions',
      () => document.querySelector('.im2col .dims')?.textContent ?? '',
      (t) => t !== '',
    );
    assert.equal(dims, 'col matrix: (N·OH·OW) × (C·FH·FW) = (1·10·10) × (6·5·5) = 100 × 150');
    await frame.click('button[aria-label="next row"]');
    await pageValue(
      frame,
      'row 1',
      () => document.querySelector('.im2col .position')?.textContent ?? '',
      (t) => t === 'row 1 of 100 = (n 0, oh 0, ow 1)',
    );

    // Clicking conv2 revealed it in the editor: its line (10) is the editor's current line.
    const activeLine = page.locator('.monaco-editor .line-numbers.active-line-number');
    await waitFor(
      'the editor selection on conv2',
      async () => ((await activeLine.first().textContent())?.trim() === '10' ? true : undefined),
      15000,
    );

    // Argmax of pool1: one marker per output over a drawn input.
    await frame.click('li.layer[data-layer="pool1"]');
    await frame.click('button.tab[data-view="argmax"]');
    await pageValue(
      frame,
      'the argmax view',
      () => document.querySelectorAll('.argmax canvas.zoomed').length,
      (n) => n === 2,
    );

    // Gradient of conv2's channel 0: a saliency map that is not all zero.
    await frame.click('li.layer[data-layer="conv2"]');
    await frame.click('button.tab[data-view="gradient"]');
    const max = await pageValue(
      frame,
      'the saliency map',
      () => Number(document.querySelector<HTMLCanvasElement>('canvas.saliency')?.dataset['max'] ?? NaN),
      (v) => !Number.isNaN(v),
    );
    assert.ok(max > 0, `max |dL/dx| = ${max}`);

    // A weights file from the open dialog: the label names it and the run uses it.
    await frame.click('button[title="pick a .safetensors state_dict"]');
    await answerOpenDialog(page, path.join(workspace, 'lenet5.safetensors'));
    await pageValue(
      frame,
      'the weights label',
      () => document.getElementById('weights-label')?.textContent,
      (t) => t === 'weights from lenet5.safetensors',
    );
    await pageValue(frame, 'a run with the file weights', state, (s) => s === 'rendered' || s === 'failed');
    assert.equal(await frame.evaluate(state), 'rendered');

    // A picture from the open dialog: decoded, cropped and resized to 28 × 28, then run.
    await frame.click('button[title="pick a PNG or JPEG from the workspace"]');
    await answerOpenDialog(page, path.join(workspace, 'gradient.png'));
    await pageValue(
      frame,
      'the input label',
      () => document.getElementById('input-label')?.textContent,
      (t) => t === 'image: gradient.png · [0, 1]',
    );
    await pageValue(frame, 'a run on the picture', state, (s) => s === 'rendered' || s === 'failed');
    await frame.click('li.layer[data-layer="input"]');
    const input = await pageValue(
      frame,
      'the input heatmap',
      () => {
        const canvas = document.querySelector<HTMLCanvasElement>('canvas.heatmap');
        return canvas ? `${canvas.width}x${canvas.height} ${canvas.dataset['min']}..${canvas.dataset['max']}` : '';
      },
      (t) => t.startsWith('28x28'),
    );
    const [lo, hi] = input.split(' ')[1]!.split('..').map(Number);
    assert.ok(hi! - lo! > 0.5, `the picture's luma spans ${input}`);
  });
});
