// Property tests: AP stays in [0, 1]; results do not depend on the order of the results list or
// on how images and categories are numbered (with distinct scores: equal scores are ordered by
// position, exactly as pycocotools orders them); perfect detections score 1; a detection scored
// below all others never lowers AP.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  apCoco101,
  apVoc07,
  apVocAllPoint,
  type CocoEvaluation,
  COCO_SUMMARY_NAMES,
  cocoSummary,
  evaluateCoco,
  evaluateVoc,
  iouXywh,
  iouXyxy,
  parseCocoEvaluationInputs,
  type VocEvaluation,
  xywhToXyxy,
} from '../../src/core/metrics';

interface RawObject {
  image: number;
  category: number;
  box: [number, number, number, number];
  crowd: boolean;
  areaScale: number;
}

interface RawDetection {
  image: number;
  category: number;
  box: [number, number, number, number];
  score: number;
}

interface Scenario {
  images: number;
  categories: number;
  objects: RawObject[];
  detections: RawDetection[];
}

const boxArb = fc.tuple(
  fc.integer({ min: 0, max: 60 }),
  fc.integer({ min: 0, max: 60 }),
  fc.integer({ min: 1, max: 40 }),
  fc.integer({ min: 1, max: 40 }),
);

/** Small scenes with overlapping boxes; detections either near an object (jittered) or anywhere. */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({ images: fc.integer({ min: 1, max: 6 }), categories: fc.integer({ min: 1, max: 3 }) })
  .chain(({ images, categories }) =>
    fc
      .record({
        objects: fc.array(
          fc.record({
            image: fc.integer({ min: 0, max: images - 1 }),
            category: fc.integer({ min: 0, max: categories - 1 }),
            box: boxArb,
            crowd: fc.constantFrom(false, false, false, false, true),
            areaScale: fc.constantFrom(1, 1, 0.5, 30),
          }),
          { maxLength: 14 },
        ),
        rawDetections: fc.array(
          fc.record({
            image: fc.integer({ min: 0, max: images - 1 }),
            category: fc.integer({ min: 0, max: categories - 1 }),
            box: boxArb,
            near: fc.option(
              fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })),
            ),
          }),
          { maxLength: 40 },
        ),
      })
      .chain(({ objects, rawDetections }) =>
        fc
          .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: rawDetections.length, maxLength: rawDetections.length })
          .map((scores) => ({
            images,
            categories,
            objects: objects as RawObject[],
            detections: rawDetections.map((d, i): RawDetection => {
              const score = (scores[i] as number) / 1_000_000;
              const target = d.near === null || objects.length === 0 ? undefined : objects[d.near[0] % objects.length];
              if (target === undefined || d.near === null) return { image: d.image, category: d.category, box: d.box, score };
              const [, dx, dy, dw] = d.near;
              const [x, y, w, h] = target.box;
              return { image: target.image, category: target.category, box: [x + dx, y + dy, Math.max(1, w + dw), h], score };
            }),
          })),
      ),
  );

interface Numbering {
  imageIds: number[];
  categoryIds: number[];
  detectionOrder: number[];
}

function identity(s: Scenario): Numbering {
  return {
    imageIds: Array.from({ length: s.images }, (_, i) => i + 1),
    categoryIds: Array.from({ length: s.categories }, (_, i) => i + 1),
    detectionOrder: s.detections.map((_, i) => i),
  };
}

function toJson(s: Scenario, n: Numbering): { gt: unknown; dets: unknown } {
  return {
    gt: {
      images: n.imageIds.map((id) => ({ id })),
      categories: n.categoryIds.map((id) => ({ id, name: `c${id}` })),
      annotations: s.objects.map((o, i) => ({
        id: i + 1,
        image_id: n.imageIds[o.image],
        category_id: n.categoryIds[o.category],
        bbox: o.box,
        area: o.box[2] * o.box[3] * o.areaScale,
        iscrowd: o.crowd ? 1 : 0,
      })),
    },
    dets: n.detectionOrder.map((i) => {
      const d = s.detections[i] as RawDetection;
      return { image_id: n.imageIds[d.image], category_id: n.categoryIds[d.category], bbox: d.box, score: d.score };
    }),
  };
}

function coco(s: Scenario, n: Numbering = identity(s)): CocoEvaluation {
  const { gt, dets } = toJson(s, n);
  const { dataset } = parseCocoEvaluationInputs(gt, dets);
  assert.ok(dataset);
  const outcome = evaluateCoco(dataset);
  if (outcome.status !== 'done') throw new Error('cancelled');
  return outcome.result;
}

function voc(s: Scenario, metric: 'voc07' | 'voc12', n: Numbering = identity(s)): VocEvaluation {
  const { gt, dets } = toJson(s, n);
  const { dataset } = parseCocoEvaluationInputs(gt, dets);
  assert.ok(dataset);
  const outcome = evaluateVoc(dataset, metric);
  if (outcome.status !== 'done') throw new Error('cancelled');
  return outcome.result;
}

/** A permutation of 0..n-1 and distinct positive ids for a scenario, drawn by fast-check. */
function renumberingArb(s: Scenario): fc.Arbitrary<Numbering> {
  const distinctIds = (n: number): fc.Arbitrary<number[]> =>
    fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: n, maxLength: n });
  const permutation = (n: number): fc.Arbitrary<number[]> =>
    fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
      keys
        .map((k, i) => [k, i] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, i]) => i),
    );
  return fc.record({
    imageIds: distinctIds(s.images),
    categoryIds: distinctIds(s.categories),
    detectionOrder: permutation(s.detections.length),
  });
}

const inUnitRangeOrUndefined = (v: number): boolean => v === -1 || (v >= 0 && v <= 1 + 1e-12);
const RUNS = { numRuns: 150 };

describe('metrics properties', () => {
  it('box IoU: xywh and xyxy agree, symmetric, in [0, 1], 1 for a box with itself', () => {
    fc.assert(
      fc.property(boxArb, boxArb, (a, b) => {
        const iou = iouXywh(a, b);
        assert.ok(iou >= 0 && iou <= 1);
        assert.ok(Math.abs(iou - iouXyxy(xywhToXyxy(a), xywhToXyxy(b))) < 1e-12);
        assert.ok(Math.abs(iou - iouXywh(b, a)) < 1e-12);
        assert.equal(iouXywh(a, a), 1);
        assert.ok(iouXywh(a, b, true) >= iou, 'the crowd rule (union = detection area) never lowers IoU');
      }),
    );
  });

  it('the three interpolations give AP in [0, 1] for any curve', () => {
    const curveArb = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 30 })
      .map((points) => {
        const recall = points.map(([r]) => r / 20).sort((x, y) => x - y);
        return { recall, precision: points.map(([, p]) => p) };
      });
    fc.assert(
      fc.property(curveArb, ({ recall, precision }) => {
        for (const ap of [apCoco101(recall, precision), apVoc07(recall, precision), apVocAllPoint(recall, precision)]) {
          assert.ok(ap >= 0 && ap <= 1 + 1e-12, `AP ${ap}`);
        }
      }),
    );
  });

  it('COCO precision, recall and the 12 summary values lie in [0, 1] (or are -1)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const e = coco(s);
        assert.ok(e.precision.every(inUnitRangeOrUndefined));
        assert.ok(e.recall.every(inUnitRangeOrUndefined));
        const summary = cocoSummary(e);
        for (const name of COCO_SUMMARY_NAMES) assert.ok(inUnitRangeOrUndefined(summary[name]), `${name} = ${summary[name]}`);
      }),
      RUNS,
    );
  });

  it('VOC07 and VOC12 AP lie in [0, 1] (or are -1)', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const metric of ['voc07', 'voc12'] as const) {
          const e = voc(s, metric);
          assert.ok(inUnitRangeOrUndefined(e.mAP));
          for (const c of e.perClass) assert.ok(inUnitRangeOrUndefined(c.ap));
        }
      }),
      RUNS,
    );
  });

  it('results do not depend on the order of the detections or on image and category ids', () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) => renumberingArb(s).map((n) => [s, n] as const)),
        ([s, n]) => {
          const base = coco(s);
          const renumbered = coco(s, n);
          // Category k of the renumbered run is the category whose new id has rank k.
          const rankOf = n.categoryIds.map((id) => [...n.categoryIds].sort((a, b) => a - b).indexOf(id));
          for (let k = 0; k < s.categories; k++) {
            const a = cocoSummary(base, k);
            const b = cocoSummary(renumbered, rankOf[k] as number);
            for (const name of COCO_SUMMARY_NAMES) assert.equal(b[name], a[name], `category ${k} ${name}`);
          }
          const all = cocoSummary(base);
          const allRenumbered = cocoSummary(renumbered);
          for (const name of COCO_SUMMARY_NAMES) assert.ok(Math.abs(all[name] - allRenumbered[name]) < 1e-12, name);
          for (const metric of ['voc07', 'voc12'] as const) {
            const v = voc(s, metric);
            const w = voc(s, metric, n);
            v.perClass.forEach((c, k) => assert.equal(w.perClass[rankOf[k] as number]?.ap, c.ap));
            assert.ok(Math.abs(v.mAP - w.mAP) < 1e-12);
          }
        },
      ),
      RUNS,
    );
  });

  it('detections equal to the ground truth score AP 1 in every metric', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const objects = s.objects.filter((o) => !o.crowd);
        const perfect: Scenario = {
          ...s,
          objects,
          detections: objects.map((o, i) => ({ image: o.image, category: o.category, box: o.box, score: 1 - i / 1000 })),
        };
        const e = coco(perfect);
        for (let k = 0; k < s.categories; k++) {
          if (!objects.some((o) => o.category === k)) continue;
          assert.ok(Math.abs(cocoSummary(e, k).AP - 1) < 1e-12, `COCO AP of category ${k}`);
        }
        for (const metric of ['voc07', 'voc12'] as const) {
          for (const c of voc(perfect, metric).perClass)
            assert.ok(c.ap === -1 || Math.abs(c.ap - 1) < 1e-12, `${metric} ${c.name} ${c.ap}`);
        }
      }),
      RUNS,
    );
  });

  it('a detection scored below all others never lowers AP', () => {
    fc.assert(
      fc.property(scenarioArb, fc.record({ image: fc.nat(), category: fc.nat(), box: boxArb }), (s, extra) => {
        const lowest: RawDetection = {
          image: extra.image % s.images,
          category: extra.category % s.categories,
          box: extra.box,
          score: 1e-9,
        };
        const more: Scenario = { ...s, detections: [...s.detections, lowest] };
        const before = coco(s);
        const after = coco(more);
        for (let k = 0; k < s.categories; k++) {
          const a = cocoSummary(before, k).AP;
          const b = cocoSummary(after, k).AP;
          assert.ok(b >= a - 1e-12, `COCO AP of category ${k}: ${a} → ${b}`);
        }
        const v = voc(s, 'voc12');
        const w = voc(more, 'voc12');
        v.perClass.forEach((c, k) => assert.ok((w.perClass[k]?.ap ?? -1) >= c.ap - 1e-12));
      }),
      RUNS,
    );
  });
});
