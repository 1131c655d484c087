// PASCAL VOC AP worked by hand, and the three interpolations on one curve.

import { strict as assert } from 'node:assert';
import {
  apCoco101,
  apVoc07,
  apVocAllPoint,
  cocoInterpolatedPrecision,
  evaluateVoc,
  formatVocReport,
  parseCocoEvaluationInputs,
  type DetectionDataset,
  type VocEvaluation,
  vocJsonReport,
} from '../../src/core/metrics';

function dataset(gt: unknown, dets: unknown): DetectionDataset {
  const parsed = parseCocoEvaluationInputs(gt, dets);
  assert.deepEqual(parsed.issues, []);
  assert.ok(parsed.dataset);
  return parsed.dataset;
}

function voc(d: DetectionDataset, metric: 'voc07' | 'voc12', iou = 0.5): VocEvaluation {
  const outcome = evaluateVoc(d, metric, iou);
  assert.equal(outcome.status, 'done');
  if (outcome.status !== 'done') throw new Error('unreachable');
  return outcome.result;
}

const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

// The worked example. Class "cat" in two images; D is difficult, so there are 3 objects to find.
//   image 1: A = [0,0,10,10], B = [20,0,10,10]      image 2: C = [0,0,10,10], D = [50,50,10,10] (difficult)
// Detections by score, with IoU against the best object of their image:
//   d1 0.9 img1 [0,0,10,10]   IoU(A) = 1                        TP (A)       tp 1 fp 0  rec 1/3 prec 1
//   d2 0.8 img2 [50,50,10,10] IoU(D) = 1, D is difficult         ignored      (no point on the curve)
//   d3 0.7 img1 [1,0,10,10]   IoU(A) = 90/110 = .82, A taken     FP (dup)     tp 1 fp 1  rec 1/3 prec 1/2
//   d4 0.6 img2 [30,30,10,10] no overlap                         FP           tp 1 fp 2  rec 1/3 prec 1/3
//   d5 0.5 img2 [0,0,10,10]   IoU(C) = 1                         TP (C)       tp 2 fp 2  rec 2/3 prec 1/2
//   d6 0.4 img1 [21,0,10,10]  IoU(B) = 90/110 = .82              TP (B)       tp 3 fp 2  rec 1   prec 3/5
// "dog" has a detection but no object (AP undefined, left out of the mean); "bird" has an object
// and no detection (AP 0, counted in the mean).
const GT = {
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
const DETS = [
  { image_id: 2, category_id: 1, bbox: [0, 0, 10, 10], score: 0.5 },
  { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 },
  { image_id: 1, category_id: 1, bbox: [21, 0, 10, 10], score: 0.4 },
  { image_id: 2, category_id: 1, bbox: [50, 50, 10, 10], score: 0.8 },
  { image_id: 1, category_id: 2, bbox: [0, 0, 10, 10], score: 0.9 },
  { image_id: 2, category_id: 1, bbox: [30, 30, 10, 10], score: 0.6 },
  { image_id: 1, category_id: 1, bbox: [1, 0, 10, 10], score: 0.7 },
];
const RECALL = [1 / 3, 1 / 3, 1 / 3, 2 / 3, 1];
const PRECISION = [1, 1 / 2, 1 / 3, 1 / 2, 3 / 5];

describe('VOC AP, worked by hand', () => {
  it('builds the PR curve without the ignored (difficult) detection', () => {
    const cat = voc(dataset(GT, DETS), 'voc07').perClass[0];
    assert.ok(cat);
    assert.equal(cat.name, 'cat');
    assert.deepEqual([cat.groundTruth, cat.difficult, cat.detections, cat.truePositives, cat.falsePositives], [3, 1, 6, 3, 2]);
    [...cat.recall].forEach((r, i) => near(r, RECALL[i] as number));
    [...cat.precision].forEach((p, i) => near(p, PRECISION[i] as number));
  });

  it('VOC2007 11-point: (4·1 + 3·0.6 + 4·0.6) / 11 = 8.2 / 11', () => {
    // t = 0, .1, .2, .3: the best precision at recall ≥ t is 1 (d1, recall 1/3 ≥ .3);
    // t = .4, .5, .6: points at recall 2/3 and 1 → max(1/2, 3/5) = 0.6;
    // t = .7 … 1: only the point at recall 1 → 0.6.
    near(apVoc07(RECALL, PRECISION), 8.2 / 11);
    const e = voc(dataset(GT, DETS), 'voc07');
    near(e.perClass[0]?.ap ?? NaN, 8.2 / 11);
  });

  it('VOC2010+ all-point: 1/3·1 + 1/3·0.6 + 1/3·0.6 = 11/15', () => {
    // Envelope, right to left over [0, 1, 1/2, 1/3, 1/2, 3/5, 0]: [1, 1, .6, .6, .6, .6, 0].
    // Recall steps 0→1/3 (precision 1), 1/3→2/3 (.6), 2/3→1 (.6).
    near(apVocAllPoint(RECALL, PRECISION), 11 / 15);
    const e = voc(dataset(GT, DETS), 'voc12');
    near(e.perClass[0]?.ap ?? NaN, 11 / 15);
  });

  it('COCO 101-point on the same curve: (34·1 + 67·0.6) / 101', () => {
    // Recall thresholds 0 … .33 reach index 0 (precision 1); .34 … .66 reach index 3 (2/3);
    // .67 … 1 reach index 4 (recall 1). Both have envelope 0.6.
    const q = cocoInterpolatedPrecision(RECALL, PRECISION);
    assert.equal(q.length, 101);
    assert.equal(q[33], 1);
    assert.equal(q[34], 0.6);
    near(apCoco101(RECALL, PRECISION), (34 + 67 * 0.6) / 101);
  });

  it('leaves classes without ground truth out of the mean, counts missed classes as 0', () => {
    const e07 = voc(dataset(GT, DETS), 'voc07');
    assert.deepEqual(
      e07.perClass.map((c) => [c.name, c.ap === -1 ? -1 : Number(c.ap.toFixed(6))]),
      [
        ['cat', 0.745455],
        ['dog', -1],
        ['bird', 0],
      ],
    );
    near(e07.mAP, 8.2 / 11 / 2);
    near(voc(dataset(GT, DETS), 'voc12').mAP, 11 / 15 / 2);
  });

  it('counts IoU exactly at the threshold as a match (VOCevaldet.m: ovmax >= minoverlap)', () => {
    const gt = {
      images: [{ id: 1 }],
      categories: [{ id: 1, name: 'x' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] }],
    };
    const dets = [{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 5], score: 1 }]; // IoU 50 / 100 = 0.5
    assert.equal(voc(dataset(gt, dets), 'voc12', 0.5).perClass[0]?.ap, 1);
    assert.equal(voc(dataset(gt, dets), 'voc12', 0.6).perClass[0]?.ap, 0);
  });

  it('with no detections at all, every class with objects has AP 0', () => {
    const e = voc(dataset(GT, []), 'voc07');
    assert.deepEqual(
      e.perClass.map((c) => c.ap),
      [0, -1, 0],
    );
    assert.equal(e.mAP, 0);
  });

  it('reports JSON and a table', () => {
    const e = voc(dataset(GT, DETS), 'voc07');
    const json = vocJsonReport(e);
    assert.deepEqual(Object.keys(json), ['metric', 'iou', 'mAP', 'per_class']);
    assert.deepEqual(json.per_class[0], {
      category_id: 1,
      name: 'cat',
      AP: e.perClass[0]?.ap,
      num_gt: 3,
      num_difficult: 1,
      num_dets: 6,
      tp: 3,
      fp: 2,
    });
    const text = formatVocReport(e);
    assert.match(text, /PASCAL VOC2007 11-point AP at IoU ≥ 0.5/);
    assert.match(text, /cat +3 +1 +6 +3 +2 +0\.745/);
    assert.match(text, /mAP = 0\.3727 over 2 classes with ground truth/);
  });
});
