// COCO and VOC evaluation time on a generated 5,000-image / 50,000-detection case (80 classes,
// ~7.3 objects per image as in COCO), the size the editor must handle.
// Usage: node bench/metrics.mjs   (bundles src/core/metrics with esbuild into a temp file first;
// also times `node dist/cli.js eval ... --json` end to end when dist/cli.js exists: build it
// with `node scripts/build.mjs`)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const IMAGES = 5000;
const DETECTIONS = 50000;
const CATEGORIES = 80;

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'convlens-bench-metrics-'));
try {
  const outfile = path.join(dir, 'metrics.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'src/core/metrics/index.ts')],
    bundle: true,
    platform: 'neutral',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  const metrics = createRequire(import.meta.url)(outfile);

  // Deterministic generator (a linear congruential generator): the same case on every run.
  let seed = 20240601;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const gt = { images: [], categories: [], annotations: [] };
  for (let c = 1; c <= CATEGORIES; c++) gt.categories.push({ id: c, name: `class${c}` });
  const dets = [];
  for (let i = 1; i <= IMAGES; i++) {
    gt.images.push({ id: i, width: 640, height: 480 });
    const objects = Math.floor(random() * 15); // mean 7
    for (let o = 0; o < objects; o++) {
      const size = Math.exp(Math.log(8) + random() * Math.log(300 / 8));
      const w = size * (0.6 + random() * 0.8);
      const h = size * (0.6 + random() * 0.8);
      const box = [random() * Math.max(1, 640 - w), random() * Math.max(1, 480 - h), w, h];
      const category_id = 1 + Math.floor(random() * CATEGORIES);
      gt.annotations.push({
        id: gt.annotations.length + 1,
        image_id: i,
        category_id,
        bbox: box,
        area: w * h * (0.6 + random() * 0.4),
        iscrowd: random() < 0.01 ? 1 : 0,
      });
      if (random() < 0.8 && dets.length < DETECTIONS) {
        const jitter = () => (random() - 0.5) * 0.2;
        dets.push({
          image_id: i,
          category_id,
          bbox: [box[0] + jitter() * w, box[1] + jitter() * h, w * (1 + jitter()), h * (1 + jitter())],
          score: Math.round(random() * 1000) / 1000,
        });
      }
    }
  }
  // Fill up to exactly DETECTIONS with false positives spread over all images.
  while (dets.length < DETECTIONS) {
    const w = 10 + random() * 150;
    const h = 10 + random() * 150;
    dets.push({
      image_id: 1 + Math.floor(random() * IMAGES),
      category_id: 1 + Math.floor(random() * CATEGORIES),
      bbox: [random() * 500, random() * 350, w, h],
      score: Math.round(random() * 600) / 1000,
    });
  }

  const time = (label, fn, runs = 3) => {
    const times = [];
    let result;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      result = fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(44)} median ${times[Math.floor(runs / 2)].toFixed(0).padStart(6)} ms   (min ${times[0].toFixed(0)}, ${runs} runs)`,
    );
    return result;
  };

  console.log(`case: ${IMAGES} images, ${gt.annotations.length} ground-truth objects, ${dets.length} detections, ${CATEGORIES} classes`);
  const { dataset, issues } = time('validate (parseCocoEvaluationInputs)', () => metrics.parseCocoEvaluationInputs(gt, dets));
  if (!dataset) throw new Error(`generated case is invalid: ${issues[0]?.message}`);
  let progressCalls = 0;
  const coco = time('COCO evaluate + accumulate (evaluateCoco)', () =>
    metrics.evaluateCoco(dataset, { onProgress: () => progressCalls++, isCancelled: () => false }),
  );
  time('COCO 12-number summary + per class', () => metrics.cocoJsonReport(coco.result));
  time('VOC07 11-point (evaluateVoc)', () => metrics.evaluateVoc(dataset, 'voc07'));
  time('VOC12 all-point (evaluateVoc)', () => metrics.evaluateVoc(dataset, 'voc12'));
  const summary = metrics.cocoSummary(coco.result);
  console.log(
    `COCO AP ${summary.AP.toFixed(4)}, AP50 ${summary.AP50.toFixed(4)}, AR100 ${summary.AR100.toFixed(4)}; ${progressCalls} progress/cancel checkpoints per COCO run`,
  );

  const cli = path.join(root, 'dist/cli.js');
  if (existsSync(cli)) {
    const gtPath = path.join(dir, 'gt.json');
    const detsPath = path.join(dir, 'dets.json');
    writeFileSync(gtPath, JSON.stringify(gt));
    writeFileSync(detsPath, JSON.stringify(dets));
    time('CLI end to end: node dist/cli.js eval --json', () => {
      const r = spawnSync(process.execPath, [cli, 'eval', gtPath, detsPath, '--json'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`convlens eval exited ${r.status}: ${r.stderr}`);
      const ap = JSON.parse(r.stdout).AP;
      if (Math.abs(ap - summary.AP) > 1e-12) throw new Error(`CLI AP ${ap} differs from the core's ${summary.AP}`);
    });
  } else {
    console.log('(dist/cli.js not built: run `node scripts/build.mjs` to time the CLI too)');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
