// The image view's TP/FP marking (webview/metrics/matching.ts). Pooled over all images of a
// fixture, its per-image outcomes must give back pycocotools' precision curves at every IoU
// threshold (area all, maxDets 100): so what the view paints green is what pycocotools counted.
// Then small cases worked by hand: duplicates, crowd regions, equal IoUs, the 100-per-class cut.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COCO_RECALL_THRESHOLDS, firstIndexReaching, parseCocoEvaluationInputs, precisionEnvelopeInPlace } from '../../src/core/metrics';
import { imageBoxesMessage, indexByImage, readImageMeta } from '../../src/extension/metrics/view-model';
import type { ImageDetection, ImageObject } from '../../src/shared/metrics-messages';
import { matchImage } from '../../webview/metrics/matching';

const FIXTURE_DIR = path.join(__dirname, '../../../test/fixtures/metrics');

interface Fixture {
  name: string;
  gt: unknown;
  dets: unknown;
  expected: { iou_thrs: number[]; precision_all_100: number[][][]; cat_ids: number[] };
}

describe('image view matching (TP / FP / ignored per image)', () => {
  const files = fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as Fixture;
    it(`${fixture.name}: per-image outcomes pooled over images give pycocotools' PR curves`, () => {
      const parsed = parseCocoEvaluationInputs(fixture.gt, fixture.dets);
      assert.ok(parsed.dataset);
      const d = parsed.dataset;
      const index = indexByImage(d);
      const meta = readImageMeta(fixture.gt);
      const images = d.imageIds.map((id) => {
        const boxes = imageBoxesMessage(d, index, meta, id);
        assert.ok(boxes);
        return boxes;
      });
      fixture.expected.iou_thrs.forEach((threshold, t) => {
        const matches = images.map((b) => matchImage(b.objects, b.detections, threshold));
        fixture.expected.cat_ids.forEach((categoryId, k) => {
          // accumulate(): evaluated detections of every image in image-id order, sorted stably by score.
          const pooled: { score: number; outcome: string }[] = [];
          let counted = 0;
          images.forEach((b, i) => {
            const m = matches[i];
            assert.ok(m);
            b.objects.forEach((o, j) => {
              if (o.categoryId === categoryId && !m.objects[j]?.crowd) counted += 1;
            });
            const own = b.detections
              .map((det, j) => ({ det, match: m.detections[j] }))
              .filter((x) => x.det.categoryId === categoryId && x.match?.outcome !== 'notEvaluated');
            own.sort((x, y) => (x.match?.rank ?? 0) - (y.match?.rank ?? 0));
            for (const x of own) pooled.push({ score: x.det.score, outcome: x.match?.outcome ?? '' });
          });
          const order = pooled.map((_, i) => i).sort((a, b) => (pooled[b]?.score ?? 0) - (pooled[a]?.score ?? 0) || a - b);
          const expected = fixture.expected.precision_all_100[t]?.map((row) => row[k] as number) ?? [];
          if (counted === 0) {
            assert.ok(
              expected.every((p) => p === -1),
              `${fixture.name} class ${categoryId}: pycocotools has no curve either`,
            );
            return;
          }
          let tp = 0;
          let fp = 0;
          const recall: number[] = [];
          const precision: number[] = [];
          for (const i of order) {
            const outcome = pooled[i]?.outcome;
            if (outcome === 'tp') tp += 1;
            else if (outcome === 'fp') fp += 1;
            recall.push(tp / counted);
            precision.push(tp / (tp + fp + Number.EPSILON));
          }
          precisionEnvelopeInPlace(precision);
          const at = firstIndexReaching(recall, COCO_RECALL_THRESHOLDS);
          const curve = Array.from(at, (i) => (i < 0 ? 0 : (precision[i] as number)));
          curve.forEach((p, r) =>
            assert.ok(
              Math.abs(p - (expected[r] as number)) <= 1e-9,
              `${fixture.name} class ${categoryId} IoU ${threshold} r=${r}: ${p} vs pycocotools ${expected[r]}`,
            ),
          );
        });
      });
    });
  }
});

const obj = (id: number, bbox: number[], extra: Partial<ImageObject> = {}): ImageObject => ({
  id,
  categoryId: 1,
  bbox,
  area: (bbox[2] ?? 0) * (bbox[3] ?? 0),
  iscrowd: false,
  ...extra,
});
const det = (bbox: number[], score: number, categoryId = 1): ImageDetection => ({ categoryId, bbox, score });

describe('image view matching, worked by hand', () => {
  it('marks the best detection TP, a duplicate FP (duplicate), a poor overlap FP, a miss', () => {
    const objects = [obj(1, [0, 0, 10, 10]), obj(2, [100, 100, 10, 10])];
    // d0: IoU 90/110 = 0.818 with #1 but a lower score than d1 (exact box) → duplicate.
    // d2: IoU 50/150 = 0.333 with #2 → FP below the threshold. #2 is missed.
    const detections = [det([1, 0, 10, 10], 0.5), det([0, 0, 10, 10], 0.9), det([105, 100, 10, 10], 0.7)];
    const m = matchImage(objects, detections, 0.5);
    assert.deepEqual(
      m.detections.map((x) => [x.outcome, Number(x.iou.toFixed(3)), x.object, x.duplicate, x.rank]),
      [
        ['fp', 0.818, 0, true, 2],
        ['tp', 1, 0, false, 0],
        ['fp', 0.333, 1, false, 1],
      ],
    );
    assert.deepEqual(
      m.objects.map((o) => o.matchedBy),
      [1, null],
    );
    assert.deepEqual(m.counts, {
      truePositives: 1,
      falsePositives: 2,
      ignored: 0,
      notEvaluated: 0,
      matchedObjects: 1,
      missedObjects: 1,
      crowdRegions: 0,
    });
    // At IoU 0.3 the poor overlap is a match.
    assert.equal(matchImage(objects, detections, 0.3).detections[2]?.outcome, 'tp');
  });

  it('ignores detections matched to a crowd region, which any number of them can match', () => {
    // Crowd IoU is intersection over the detection's own area: both lie inside the region → 1.
    const objects = [obj(1, [0, 0, 100, 100], { iscrowd: true })];
    const m = matchImage(objects, [det([10, 10, 5, 5], 0.9), det([50, 50, 5, 5], 0.8)], 0.5);
    assert.deepEqual(
      m.detections.map((x) => [x.outcome, x.iou]),
      [
        ['ignored', 1],
        ['ignored', 1],
      ],
    );
    assert.deepEqual(m.counts, {
      truePositives: 0,
      falsePositives: 0,
      ignored: 2,
      notEvaluated: 0,
      matchedObjects: 0,
      missedObjects: 0,
      crowdRegions: 1,
    });
  });

  it('prefers a counted object to a crowd region even at lower IoU', () => {
    const objects = [obj(1, [0, 0, 20, 20], { iscrowd: true }), obj(2, [0, 0, 10, 12])];
    const m = matchImage(objects, [det([0, 0, 10, 10], 0.9)], 0.5);
    assert.equal(m.detections[0]?.outcome, 'tp');
    assert.equal(m.detections[0]?.object, 1);
  });

  it('on equal IoU takes the later object; equal scores keep the results-list order', () => {
    const objects = [obj(1, [0, 0, 10, 10]), obj(2, [0, 0, 10, 10])];
    const m = matchImage(objects, [det([0, 0, 10, 10], 0.5), det([0, 0, 10, 10], 0.5)], 0.5);
    assert.deepEqual(
      m.detections.map((x) => [x.rank, x.object]),
      [
        [0, 1],
        [1, 0],
      ],
    );
  });

  it('counts a match at exactly the threshold and never matches at IoU 1.0 (pycocotools compares with 1 − 1e-10)', () => {
    const objects = [obj(1, [0, 0, 10, 10])];
    assert.equal(matchImage(objects, [det([0, 0, 10, 5], 1)], 0.5).detections[0]?.outcome, 'tp');
    assert.equal(matchImage(objects, [det([0, 0, 10, 10], 1)], 1).detections[0]?.outcome, 'tp');
    assert.equal(matchImage(objects, [det([0, 0, 10, 9.99], 1)], 1).detections[0]?.outcome, 'fp');
  });

  it('leaves detections past the best 100 of a class unevaluated, and classes apart', () => {
    const objects = [obj(1, [0, 0, 10, 10])];
    const detections = Array.from({ length: 102 }, (_, i) => det([200 + i, 0, 5, 5], 1 - i / 1000));
    detections.push(det([0, 0, 10, 10], 0.0001), det([0, 0, 10, 10], 0.5, 2));
    const m = matchImage(objects, detections, 0.5);
    assert.equal(m.counts.notEvaluated, 3, 'two far boxes and the exact one, all past rank 100');
    assert.equal(m.detections[102]?.outcome, 'notEvaluated');
    assert.equal(m.detections[102]?.iou, 1, 'still shows its IoU');
    assert.equal(m.detections[103]?.outcome, 'fp', 'another class never matches');
    assert.equal(m.counts.missedObjects, 1);
  });
});
