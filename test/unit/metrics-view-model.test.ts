// What the "Evaluate Detections" panel is sent, checked against pycocotools' numbers in
// test/fixtures/metrics/*.json: the 12 summary values, the per-class AP, every PR curve row at
// area all / maxDets 100 and the .50:.95 mean curve; plus the thinning of VOC's raw curves, the
// dataset overview and one image's boxes.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateCoco, evaluateVoc, parseCocoEvaluationInputs, type CocoEvaluation, type DetectionDataset } from '../../src/core/metrics';
import {
  cocoResultsMessage,
  datasetMessage,
  imageBoxesMessage,
  indexByImage,
  readImageMeta,
  thinCurve,
  vocResultsMessage,
} from '../../src/extension/metrics/view-model';

const FIXTURE_DIR = path.join(__dirname, '../../../test/fixtures/metrics');
const TOLERANCE = 1e-9;

interface Fixture {
  name: string;
  gt: unknown;
  dets: unknown;
  expected: {
    stats: number[];
    iou_thrs: number[];
    rec_thrs: number[];
    precision_all_100: number[][][];
    per_class_ap: number[];
    cat_ids: number[];
  };
}

function fixtures(): Fixture[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, f), 'utf8')) as Fixture);
}

function dataset(gt: unknown, dets: unknown): DetectionDataset {
  const parsed = parseCocoEvaluationInputs(gt, dets);
  assert.ok(parsed.dataset, parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.dataset;
}

function coco(d: DetectionDataset): CocoEvaluation {
  const outcome = evaluateCoco(d);
  assert.equal(outcome.status, 'done');
  if (outcome.status !== 'done') throw new Error('unreachable');
  return outcome.result;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${what}: got ${actual}, pycocotools ${expected}`);
}

describe('metrics panel data (view-model) against pycocotools', () => {
  for (const fixture of fixtures()) {
    it(`${fixture.name}: summary, per-class AP and every PR curve`, () => {
      const message = cocoResultsMessage(coco(dataset(fixture.gt, fixture.dets)), 7, 12.5);
      const { expected } = fixture;
      assert.equal(message.type, 'cocoResults');
      assert.equal(message.resultId, 7);
      assert.equal(message.summary.length, 12);
      message.summary.forEach((v, i) => close(v, expected.stats[i] as number, `stats[${i}]`));
      assert.deepEqual(message.iouThresholds, expected.iou_thrs);
      assert.deepEqual(message.recallThresholds, expected.rec_thrs);
      assert.deepEqual(
        message.classes.map((c) => c.categoryId),
        expected.cat_ids,
      );
      const T = expected.iou_thrs.length;
      const R = expected.rec_thrs.length;
      message.classes.forEach((row, k) => {
        close(row.summary[0] as number, expected.per_class_ap[k] as number, `class ${row.categoryId} AP`);
        const curves = message.curves[k];
        assert.ok(curves);
        assert.equal(curves.categoryId, row.categoryId);
        // pycocotools' precision is -1 at every point of a class without ground truth.
        const hasGroundTruth = (expected.precision_all_100[0]?.[0]?.[k] as number) !== -1;
        if (!hasGroundTruth) {
          assert.equal(curves.precision.length, 0, 'no curve without ground truth');
          assert.equal(row.summary[0], -1);
          return;
        }
        assert.equal(curves.precision.length, (T + 1) * R);
        assert.equal(curves.scores.length, T * R);
        let area = 0;
        for (let r = 0; r < R; r++) {
          let mean = 0;
          for (let t = 0; t < T; t++) {
            const p = expected.precision_all_100[t]?.[r]?.[k] as number;
            close(curves.precision[t * R + r] as number, p, `class ${row.categoryId} precision[t=${t}][r=${r}]`);
            mean += p / T;
          }
          close(curves.precision[T * R + r] as number, mean, `class ${row.categoryId} mean curve at r=${r}`);
          area += (curves.precision[T * R + r] as number) / R;
        }
        // The mean curve's average over recall is the class's AP.
        close(area, expected.per_class_ap[k] as number, `class ${row.categoryId}: mean curve area = AP`);
      });
    });
  }

  it('thins a long raw curve but keeps its ends and its extremes', () => {
    const n = 10000;
    const recall = Float64Array.from({ length: n }, (_, i) => (i + 1) / n);
    const precision = Float64Array.from({ length: n }, (_, i) => 0.5 + 0.4 * Math.sin(i / 37) * Math.exp(-i / 4000));
    const thin = thinCurve(recall, precision, 100);
    assert.ok(thin.recall.length <= 202, `${thin.recall.length} points`);
    assert.equal(thin.recall[0], recall[0]);
    assert.equal(thin.recall[thin.recall.length - 1], recall[n - 1]);
    for (let i = 1; i < thin.recall.length; i++) assert.ok((thin.recall[i] as number) > (thin.recall[i - 1] as number), 'recall increases');
    assert.equal(Math.max(...thin.precision), Math.max(...precision));
    assert.equal(Math.min(...thin.precision), Math.min(...precision));
    const short = thinCurve([0.5, 1], [1, 0.5], 100);
    assert.deepEqual([...short.recall, ...short.precision], [0.5, 1, 1, 0.5]);
  });

  it('sends VOC rows with thinned curves and the mAP', () => {
    const fixture = fixtures().find((f) => f.name === 'random');
    assert.ok(fixture);
    const outcome = evaluateVoc(dataset(fixture.gt, fixture.dets), 'voc12', 0.5);
    assert.equal(outcome.status, 'done');
    if (outcome.status !== 'done') return;
    const message = vocResultsMessage(outcome.result, 3, 1);
    assert.equal(message.mAP, outcome.result.mAP);
    assert.deepEqual(
      message.classes.map((c) => [c.categoryId, c.ap, c.truePositives, c.falsePositives]),
      outcome.result.perClass.map((c) => [c.categoryId, c.ap, c.truePositives, c.falsePositives]),
    );
    const perClass = outcome.result.perClass;
    for (const [k, row] of message.classes.entries()) {
      const raw = perClass[k];
      assert.ok(raw);
      assert.ok(row.recall.length <= Math.min(raw.recall.length, 402));
      if (raw.recall.length > 0) assert.equal(row.recall[row.recall.length - 1], raw.recall[raw.recall.length - 1]);
    }
  });

  it('describes the dataset and one image (sizes, file names, boxes in file order)', () => {
    const gt = {
      images: [{ id: 9, width: 320, height: 200, file_name: 'a.jpg' }, { id: 3 }],
      categories: [{ id: 5, name: 'cat' }],
      annotations: [
        { id: 1, image_id: 9, category_id: 5, bbox: [1, 2, 3, 4], iscrowd: 1 },
        { id: 2, image_id: 9, category_id: 5, bbox: [10, 10, 5, 5], area: 20 },
      ],
    };
    const dets = [
      { image_id: 9, category_id: 5, bbox: [10, 10, 5, 5], score: 0.3 },
      { image_id: 3, category_id: 5, bbox: [0, 0, 1, 1], score: 0.9 },
      { image_id: 9, category_id: 5, bbox: [1, 1, 1, 1], score: 0.8 },
    ];
    const d = dataset(gt, dets);
    const meta = readImageMeta(gt);
    assert.deepEqual(meta.get(9), { width: 320, height: 200, fileName: 'a.jpg' });
    assert.deepEqual(meta.get(3), { width: null, height: null, fileName: null });
    const index = indexByImage(d);
    const overview = datasetMessage(d, index, meta, { groundTruth: 'gt.json', detections: 'dets.json' }, ['w']);
    assert.deepEqual(overview.counts, { images: 2, objects: 1, crowd: 1, detections: 3, categories: 1 });
    assert.deepEqual(
      overview.images.map((i) => [i.id, i.objects, i.detections, i.fileName]),
      [
        [3, 0, 1, null],
        [9, 2, 2, 'a.jpg'],
      ],
    );
    const boxes = imageBoxesMessage(d, index, meta, 9);
    assert.ok(boxes);
    assert.deepEqual(boxes.objects, [
      { id: 1, categoryId: 5, bbox: [1, 2, 3, 4], area: 12, iscrowd: true },
      { id: 2, categoryId: 5, bbox: [10, 10, 5, 5], area: 20, iscrowd: false },
    ]);
    assert.deepEqual(
      boxes.detections.map((x) => x.score),
      [0.3, 0.8],
      'results-list order (it breaks score ties)',
    );
    assert.equal(imageBoxesMessage(d, index, meta, 4), undefined);
  });
});
