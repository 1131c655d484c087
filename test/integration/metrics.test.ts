// "ConvLens: Evaluate Detections" in the real VS Code. The command is run with the files as
// arguments (no dialog); the tests await what the panel's webview reports once drawn (`rendered`
// with the numbers it shows, `imageShown` with what it painted) through the handle the command
// returns. Expected numbers come from pycocotools (test/fixtures/metrics/random.json, whose inputs
// are examples/detections/*) or are worked by hand (VOC), never from ConvLens itself. No sleeps:
// every wait is on a message or an event, with mocha's timeout as the deadline.

import * as assert from 'node:assert';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import type { EvaluateDetectionsResult } from '../../src/extension/metrics/register';
import type { MetricsHandle } from '../../src/extension/metrics/panel';
import type { EvaluateDetectionsOptions } from '../../src/extension/metrics/inputs';
import type { FromMetricsWebview, ImageShownMessage } from '../../src/shared/metrics-messages';
import { closeAllEditors, eventually, repoText, workspaceUri } from './helpers';

interface Fixture {
  gt: unknown;
  dets: unknown;
  expected: { stats: number[]; summary_lines: string[]; per_class_ap: number[] };
}

const SUMMARY_NAMES = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'];

async function evaluate(...args: unknown[]): Promise<EvaluateDetectionsResult> {
  return vscode.commands.executeCommand<EvaluateDetectionsResult>(Commands.evaluateDetections, ...args);
}

function shown(result: EvaluateDetectionsResult): MetricsHandle {
  assert.strictEqual(
    result.status,
    'shown',
    result.status === 'invalid' || result.status === 'unreadable' ? result.message : result.status,
  );
  if (result.status !== 'shown') throw new Error('unreachable');
  return result.panel;
}

async function write(relative: string, value: unknown): Promise<vscode.Uri> {
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value, null, 1), 'utf8'));
  return uri;
}

function imageShown(imageId?: number, background?: 'boxes' | 'image'): (m: FromMetricsWebview) => m is ImageShownMessage {
  return (m): m is ImageShownMessage =>
    m.type === 'imageShown' &&
    (imageId === undefined || m.imageId === imageId) &&
    (background === undefined || m.background === background);
}

/** Collects the error messages the extension shows (vscode.window is this extension's own API object). */
function captureErrorMessages(): { messages: string[]; restore(): void } {
  const messages: string[] = [];
  const window = vscode.window as { showErrorMessage: (message: string, ...items: string[]) => Thenable<string | undefined> };
  const original = window.showErrorMessage;
  window.showErrorMessage = (message: string, ..._items: string[]) => {
    messages.push(message);
    return Promise.resolve(undefined);
  };
  return { messages, restore: () => (window.showErrorMessage = original) };
}

// The VOC example of test/unit/metrics-voc.test.ts, worked by hand there: "cat" has 3 countable
// objects (one more is difficult); its PR points are (1/3, 1), (1/3, 1/2), (1/3, 1/3), (2/3, 1/2),
// (1, 3/5). VOC2007: (4·1 + 7·0.6) / 11 = 8.2/11; VOC2010+: 1/3 + 1/3·0.6 + 1/3·0.6 = 11/15.
// "dog" has no object (left out of the mean), "bird" one object and no detection (AP 0).
const VOC_GT = {
  images: [{ id: 1 }, { id: 2 }],
  categories: [
    { id: 1, name: 'cat' },
    { id: 2, name: 'dog' },
    { id: 3, name: 'bird' },
  ],
  annotations: [
    { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] },
    { id: 2, image_id: 1, category_id: 1, bbox: [20, 0, 10, 10] },
    { id: 3, image_id: 2, category_id: 1, bbox: [0, 0, 10, 10] },
    { id: 4, image_id: 2, category_id: 1, bbox: [50, 50, 10, 10], difficult: 1 },
    { id: 5, image_id: 2, category_id: 3, bbox: [100, 100, 10, 10] },
  ],
};
const VOC_DETS = [
  { image_id: 2, category_id: 1, bbox: [0, 0, 10, 10], score: 0.5 },
  { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 },
  { image_id: 1, category_id: 1, bbox: [21, 0, 10, 10], score: 0.4 },
  { image_id: 2, category_id: 1, bbox: [50, 50, 10, 10], score: 0.8 },
  { image_id: 1, category_id: 2, bbox: [0, 0, 10, 10], score: 0.9 },
  { image_id: 2, category_id: 1, bbox: [30, 30, 10, 10], score: 0.6 },
  { image_id: 1, category_id: 1, bbox: [1, 0, 10, 10], score: 0.7 },
];

/** A 1-bit-deep grey PNG of `width`×`height`, enough to stand for an image's picture. */
function greyPng(width: number, height: number): Uint8Array {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const b of bytes) c = (table[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** bench/metrics.mjs's generated case: 5,000 images, 80 classes, ~35k objects, 50,000 detections. */
function largeCase(): { gt: unknown; dets: unknown[] } {
  let seed = 20240601;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const images: unknown[] = [];
  const categories: unknown[] = [];
  const annotations: unknown[] = [];
  const dets: unknown[] = [];
  for (let c = 1; c <= 80; c++) categories.push({ id: c, name: `class${c}` });
  for (let i = 1; i <= 5000; i++) {
    images.push({ id: i, width: 640, height: 480 });
    const objects = Math.floor(random() * 15);
    for (let o = 0; o < objects; o++) {
      const size = Math.exp(Math.log(8) + random() * Math.log(300 / 8));
      const w = size * (0.6 + random() * 0.8);
      const h = size * (0.6 + random() * 0.8);
      const box = [random() * Math.max(1, 640 - w), random() * Math.max(1, 480 - h), w, h];
      const category_id = 1 + Math.floor(random() * 80);
      annotations.push({
        id: annotations.length + 1,
        image_id: i,
        category_id,
        bbox: box,
        area: w * h * (0.6 + random() * 0.4),
        iscrowd: random() < 0.01 ? 1 : 0,
      });
      if (random() < 0.8 && dets.length < 50000) {
        const jitter = (): number => (random() - 0.5) * 0.2;
        dets.push({
          image_id: i,
          category_id,
          bbox: [box[0]! + jitter() * w, box[1]! + jitter() * h, w * (1 + jitter()), h * (1 + jitter())],
          score: Math.round(random() * 1000) / 1000,
        });
      }
    }
  }
  while (dets.length < 50000) {
    const w = 10 + random() * 150;
    const h = 10 + random() * 150;
    dets.push({
      image_id: 1 + Math.floor(random() * 5000),
      category_id: 1 + Math.floor(random() * 80),
      bbox: [random() * 500, random() * 350, w, h],
      score: Math.round(random() * 600) / 1000,
    });
  }
  return { gt: { images, categories, annotations }, dets };
}

/** Ticks of a 10 ms timer per phase: how often, and at worst how late, the extension host got a turn. */
function lagMeter(): { mark(label: string): void; stop(): Map<string, { ticks: number; worstMs: number; ms: number }> } {
  const phases = new Map<string, { ticks: number; worstMs: number; ms: number }>();
  let phase = 'start';
  let phaseStart = performance.now();
  let last = phaseStart;
  const current = () => {
    let entry = phases.get(phase);
    if (entry === undefined) phases.set(phase, (entry = { ticks: 0, worstMs: 0, ms: 0 }));
    return entry;
  };
  const timer = setInterval(() => {
    const now = performance.now();
    const entry = current();
    entry.ticks += 1;
    entry.worstMs = Math.max(entry.worstMs, now - last);
    last = now;
  }, 10);
  const close = (): void => {
    current().ms = performance.now() - phaseStart;
  };
  return {
    mark: (label) => {
      if (label === phase) return;
      close();
      phase = label;
      phaseStart = last = performance.now();
    },
    stop: () => {
      close();
      clearInterval(timer);
      return phases;
    },
  };
}

describe('evaluate detections', function () {
  this.timeout(180000);
  afterEach(closeAllEditors);

  it('shows pycocotools’ 12 summary numbers for the example pair, per-class curves and an image', async () => {
    const fixture = JSON.parse(repoText('test/fixtures/metrics/random.json')) as Fixture;
    const groundTruth = workspaceUri('detections/ground-truth.json');
    const detections = workspaceUri('detections/detections.json');
    // The example pair is the fixture's input, so the fixture's numbers are the reference.
    assert.deepStrictEqual(JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(groundTruth)).toString('utf8')), fixture.gt);
    assert.deepStrictEqual(JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(detections)).toString('utf8')), fixture.dets);

    const started = Date.now();
    const fractions: number[] = [];
    const options: EvaluateDetectionsOptions = { groundTruth, detections, onProgress: (f) => fractions.push(f) };
    const panel = shown(await evaluate(options));
    const rendered = await panel.whenRendered();
    console.log(`      150 images / 1,761 detections: drawn ${Date.now() - started} ms after the command ran`);
    assert.strictEqual(rendered.metric, 'coco');
    assert.deepStrictEqual(
      rendered.values.map((v) => v.name),
      SUMMARY_NAMES,
    );
    rendered.values.forEach((v, i) => {
      const expected = fixture.expected.stats[i]!;
      assert.ok(Math.abs(v.value - expected) <= 1e-9, `${v.name}: panel ${v.value}, pycocotools ${expected}`);
      // The text in the table is pycocotools' printed number, character for character.
      assert.strictEqual(v.text, fixture.expected.summary_lines[i]!.split('= ').pop(), v.name);
    });
    assert.strictEqual(rendered.classes, 6);
    assert.strictEqual(
      rendered.charts,
      fixture.expected.per_class_ap.filter((ap) => ap > -1).length,
      'one drawn PR chart per class with ground truth',
    );
    assert.ok(fractions.length > 1 && fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!), 'progress is non-decreasing');
    assert.strictEqual(fractions[fractions.length - 1], 1);

    // The image view opens on the first image with objects and detections.
    const image = await panel.waitFor(imageShown());
    const counts = image.counts;
    const entry = panel.session.index.detections[panel.session.dataset.imageIds.indexOf(image.imageId)]!;
    assert.strictEqual(
      counts.truePositives + counts.falsePositives + counts.ignored + counts.notEvaluated,
      entry.length,
      'every detection is drawn',
    );
    assert.strictEqual(image.background, 'boxes');
    // A picture of the image goes under the boxes.
    const png = workspaceUri('scratch/picture.png');
    await vscode.workspace.fs.writeFile(png, greyPng(64, 48));
    await panel.showImageFile(image.imageId, png);
    const withPicture = await panel.waitFor(imageShown(image.imageId, 'image'));
    assert.deepStrictEqual(withPicture.counts, counts);
  });

  it('switches to VOC2007 and VOC2010+ mAP (worked by hand) and back to the cached COCO results', async () => {
    const groundTruth = await write('scratch/voc-gt.json', VOC_GT);
    const detections = await write('scratch/voc-dets.json', VOC_DETS);
    const panel = shown(await evaluate({ groundTruth, detections }));
    await panel.whenRendered();

    assert.strictEqual(await panel.showMetric('voc07', 0.5), 'shown');
    const voc07 = await panel.whenRendered();
    assert.strictEqual(voc07.metric, 'voc07');
    assert.ok(Math.abs(voc07.values[0]!.value - 8.2 / 11 / 2) < 1e-12, `VOC2007 mAP ${voc07.values[0]!.value}`);
    assert.strictEqual(voc07.values[0]!.text, '0.373');

    assert.strictEqual(await panel.showMetric('voc12', 0.5), 'shown');
    const voc12 = await panel.whenRendered();
    assert.ok(Math.abs(voc12.values[0]!.value - 11 / 15 / 2) < 1e-12, `VOC2010+ mAP ${voc12.values[0]!.value}`);
    assert.strictEqual(voc12.values[0]!.text, '0.367');
    assert.strictEqual(voc12.charts, 2, 'cat and bird have countable objects');

    assert.strictEqual(await panel.showMetric('coco'), 'shown');
    assert.strictEqual((await panel.whenRendered()).metric, 'coco');
  });

  it('takes two files from the Explorer in either order, and reuses the panel for the same pair', async () => {
    const groundTruth = workspaceUri('detections/ground-truth.json');
    const detections = workspaceUri('detections/detections.json');
    // The Explorer passes (clicked file, selection); here the results list comes first.
    const panel = shown(await evaluate(detections, [detections, groundTruth]));
    assert.strictEqual(panel.session.groundTruth.name, 'ground-truth.json');
    assert.strictEqual(panel.session.detections.name, 'detections.json');
    const first = await panel.whenRendered();
    const again = shown(await evaluate(groundTruth, [groundTruth, detections]));
    assert.strictEqual(again, panel, 'the same pair reuses its panel');
    const second = await again.whenRendered();
    assert.ok(second.resultId > first.resultId);
    assert.deepStrictEqual(second.values, first.values);
  });

  it('names the JSON path of an invalid value in the error message and marks it in Problems', async () => {
    const gt = JSON.parse(JSON.stringify(VOC_GT)) as { annotations: { bbox: number[] }[] };
    gt.annotations[1]!.bbox = [20, 0, -4, 10];
    const groundTruth = await write('scratch/bad-gt.json', gt);
    const detections = await write('scratch/voc-dets.json', VOC_DETS);
    const errors = captureErrorMessages();
    let result: EvaluateDetectionsResult;
    try {
      result = await evaluate({ groundTruth, detections });
    } finally {
      errors.restore();
    }
    assert.strictEqual(result.status, 'invalid');
    if (result.status !== 'invalid') return;
    const expected =
      "ConvLens: cannot evaluate: bad-gt.json: annotations[1].bbox[2]: bbox width is -4; a box's width must be ≥ 0 (bbox is [x, y, width, height], not corners)";
    assert.strictEqual(result.message, expected);
    assert.deepStrictEqual(errors.messages, [expected], 'the error message shown');
    const problems = await eventually('the problem in bad-gt.json', () => {
      const found = vscode.languages.getDiagnostics(groundTruth).filter((d) => d.source === 'ConvLens');
      return found.length > 0 ? found : undefined;
    });
    assert.strictEqual(
      problems[0]!.message,
      "annotations[1].bbox[2]: bbox width is -4; a box's width must be ≥ 0 (bbox is [x, y, width, height], not corners)",
    );
    const document = await vscode.workspace.openTextDocument(groundTruth);
    assert.strictEqual(document.getText(problems[0]!.range), '-4', 'the diagnostic sits on the offending value');

    // Swapped files: the message says which file looks like what.
    const swapped = await evaluate({ groundTruth: detections, detections: groundTruth });
    assert.strictEqual(swapped.status, 'invalid');
    if (swapped.status === 'invalid')
      assert.match(swapped.message, /voc-dets\.json: the ground truth must be a JSON object .*looks like a results list/);
  });

  it('reads its inputs through vscode.workspace.fs, so a virtual file system works', async () => {
    const files = new Map<string, Uint8Array>();
    const provider: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: (uri) => {
        const data = files.get(uri.path);
        if (data === undefined) throw vscode.FileSystemError.FileNotFound(uri);
        return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: data.length };
      },
      readDirectory: () => [],
      createDirectory: () => undefined,
      readFile: (uri) => {
        const data = files.get(uri.path);
        if (data === undefined) throw vscode.FileSystemError.FileNotFound(uri);
        return data;
      },
      writeFile: (uri, content) => void files.set(uri.path, content),
      delete: () => undefined,
      rename: () => undefined,
    };
    const registration = vscode.workspace.registerFileSystemProvider('convlens-metrics-memfs', provider, { isReadonly: true });
    try {
      const groundTruth = vscode.Uri.from({ scheme: 'convlens-metrics-memfs', path: '/gt.json' });
      const detections = vscode.Uri.from({ scheme: 'convlens-metrics-memfs', path: '/dets.json' });
      files.set(groundTruth.path, Buffer.from(JSON.stringify(VOC_GT)));
      files.set(detections.path, Buffer.from(JSON.stringify(VOC_DETS)));
      const panel = shown(await evaluate({ groundTruth, detections }));
      assert.strictEqual(panel.session.groundTruth.uri.scheme, 'convlens-metrics-memfs');
      assert.strictEqual((await panel.whenRendered()).values.length, 12);
    } finally {
      registration.dispose();
    }
  });

  it('reports a file that is not JSON with its line and column', async () => {
    const groundTruth = await write('scratch/broken.json', '{\n "images": [{"id": 1},,]\n}\n');
    const detections = await write('scratch/voc-dets.json', VOC_DETS);
    const errors = captureErrorMessages();
    try {
      const result = await evaluate({ groundTruth, detections });
      assert.strictEqual(result.status, 'unreadable');
      if (result.status === 'unreadable') assert.match(result.message, /^ConvLens: broken\.json is not valid JSON: line 2, column 23: /);
      assert.strictEqual(errors.messages.length, 1);
    } finally {
      errors.restore();
    }
  });

  it('evaluates 5,000 images and 50,000 detections with progress, keeping the host responsive, and cancels', async () => {
    const { gt, dets } = largeCase();
    const groundTruth = await write('scratch/large-gt.json', JSON.stringify(gt));
    const detections = await write('scratch/large-dets.json', JSON.stringify(dets));

    const lag = lagMeter();
    const fractions: number[] = [];
    const started = performance.now();
    const result = await evaluate({
      groundTruth,
      detections,
      onProgress: (f: number) => {
        if (fractions.length === 0) lag.mark('evaluation');
        fractions.push(f);
      },
    });
    lag.mark('after');
    const panel = shown(result);
    const commandMs = performance.now() - started;
    const rendered = await panel.whenRendered();
    const drawnMs = performance.now() - started;
    const worst = lag.stop();
    if (result.status !== 'shown') return;
    const t = result.timings;
    console.log(
      `      5,000 images / 50,000 detections in the extension host: command ${commandMs.toFixed(0)} ms ` +
        `(validate ${t.validateMs.toFixed(0)} ms, COCO ${t.evaluateMs.toFixed(0)} ms with ${t.progressReports} progress reports, panel data ${t.resultsMs.toFixed(0)} ms); ` +
        `panel drawn ${drawnMs.toFixed(0)} ms after the start (the page drew ${rendered.charts} charts in ${rendered.drawMs.toFixed(0)} ms); ` +
        `10 ms timer in the host: ${[...worst].map(([phase, p]) => `${phase}: ${p.ticks} ticks in ${p.ms.toFixed(0)} ms, longest gap ${p.worstMs.toFixed(0)} ms`).join('; ')}`,
    );
    assert.strictEqual(rendered.values.length, 12);
    assert.strictEqual(rendered.classes, 80);
    assert.strictEqual(rendered.charts, 80);
    assert.ok(fractions.length >= 100, `${fractions.length} progress reports`);
    assert.ok(
      fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!),
      'progress is non-decreasing',
    );
    assert.strictEqual(fractions[fractions.length - 1], 1);
    // While COCO runs (seconds), the host keeps getting turns: a synchronous run would give the
    // timer none until the end. Bounds are loose because test machines are shared and busy.
    const during = worst.get('evaluation');
    assert.ok(during, 'the timer ran during the evaluation');
    assert.ok(during.ticks >= during.ms / 100, `${during.ticks} timer turns in ${during.ms.toFixed(0)} ms of evaluation`);
    assert.ok(during.worstMs < 1000, `the host stalled ${during.worstMs.toFixed(0)} ms during the evaluation`);
    await closeAllEditors();

    // Cancelled a third of the way: the command stops promptly and opens no panel.
    const source = new vscode.CancellationTokenSource();
    let cancelledAt = 0;
    const cancelled = await evaluate({
      groundTruth,
      detections,
      cancellation: source.token,
      onProgress: (f: number) => {
        if (f >= 0.33 && cancelledAt === 0) {
          cancelledAt = performance.now();
          source.cancel();
        }
      },
    });
    const stopMs = performance.now() - cancelledAt;
    console.log(`      cancelled at ⅓: the command returned ${stopMs.toFixed(0)} ms after the cancellation`);
    assert.strictEqual(cancelled.status, 'cancelled');
    assert.ok(cancelledAt > 0 && stopMs < 1000, `stopped ${stopMs.toFixed(0)} ms after the cancellation`);
  });
});
