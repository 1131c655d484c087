// COCO evaluation against pycocotools' own numbers (test/fixtures/metrics/*.json, produced by
// scripts/gen_metrics_fixtures.py: see its header for how pycocotools was run).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  COCO_IOU_THRESHOLDS,
  COCO_RECALL_THRESHOLDS,
  COCO_SUMMARY_NAMES,
  COCO_SUMMARY_SPECS,
  type CocoEvaluation,
  cocoJsonReport,
  cocoPrecisionIndex,
  cocoPrecisionRecallCurve,
  cocoRecallIndex,
  cocoSummary,
  evaluateCoco,
  formatCocoSummaryLine,
  meanAveragePrecision,
  parseCocoEvaluationInputs,
} from '../../src/core/metrics';

const FIXTURE_DIR = path.join(__dirname, '../../../test/fixtures/metrics');
const TOLERANCE = 1e-9;

interface Fixture {
  name: string;
  description: string;
  gt: unknown;
  dets: unknown;
  expected: {
    cat_ids: number[];
    img_ids: number[];
    iou_thrs: number[];
    rec_thrs: number[];
    stats: number[];
    summary_lines: string[];
    recall: number[][][][];
    precision_mean: number[][][][];
    precision_all_100: number[][][];
    per_class_ap: number[];
  };
}

function loadFixtures(): Fixture[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, f), 'utf8')) as Fixture);
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${what}: got ${actual}, pycocotools ${expected}`);
}

function evaluateFixture(fixture: Fixture): CocoEvaluation {
  const { dataset, issues } = parseCocoEvaluationInputs(fixture.gt, fixture.dets);
  assert.deepEqual(
    issues.filter((i) => i.severity === 'error'),
    [],
  );
  assert.ok(dataset);
  const outcome = evaluateCoco(dataset);
  assert.equal(outcome.status, 'done');
  if (outcome.status !== 'done') throw new Error('unreachable');
  return outcome.result;
}

describe('COCO evaluation matches pycocotools', () => {
  const fixtures = loadFixtures();

  it('has the fixtures', () => {
    assert.deepEqual(
      fixtures.map((f) => f.name),
      ['areas', 'basic', 'crowd', 'grid', 'max-dets', 'random', 'sparse', 'ties'],
    );
  });

  it('builds the same IoU and recall thresholds, bit for bit', () => {
    const expected = fixtures[0]?.expected;
    assert.ok(expected);
    assert.deepEqual([...COCO_IOU_THRESHOLDS], expected.iou_thrs);
    assert.deepEqual([...COCO_RECALL_THRESHOLDS], expected.rec_thrs);
  });

  for (const fixture of fixtures) {
    describe(`${fixture.name}: ${fixture.description}`, () => {
      const e = evaluateFixture(fixture);
      const x = fixture.expected;

      it('sorts images and categories as pycocotools does', () => {
        assert.deepEqual(
          e.categories.map((c) => c.id),
          x.cat_ids,
        );
      });

      it('gives the 12 summary numbers', () => {
        const summary = cocoSummary(e);
        COCO_SUMMARY_NAMES.forEach((name, i) => close(summary[name], x.stats[i] as number, name));
      });

      it('prints the summary lines exactly as summarize()', () => {
        const summary = cocoSummary(e);
        assert.deepEqual(
          COCO_SUMMARY_SPECS.map((spec) => formatCocoSummaryLine(spec, summary[spec.name], e)),
          x.summary_lines,
        );
      });

      it('gives eval["recall"] for every IoU, category, area range and maxDets', () => {
        x.recall.forEach((byK, t) =>
          byK.forEach((byA, k) =>
            byA.forEach((byM, a) =>
              byM.forEach((v, m) => close(e.recall[cocoRecallIndex(e, t, k, a, m)] as number, v, `recall[${t},${k},${a},${m}]`)),
            ),
          ),
        );
      });

      it('gives eval["precision"] averaged over recall thresholds for every setting', () => {
        const R = e.recallThresholds.length;
        x.precision_mean.forEach((byK, t) =>
          byK.forEach((byA, k) =>
            byA.forEach((byM, a) =>
              byM.forEach((v, m) => {
                let sum = 0;
                let undefinedCount = 0;
                for (let r = 0; r < R; r++) {
                  const p = e.precision[cocoPrecisionIndex(e, t, r, k, a, m)] as number;
                  if (p === -1) undefinedCount += 1;
                  sum += p;
                }
                assert.ok(undefinedCount === 0 || undefinedCount === R, 'a setting is defined at all recall thresholds or none');
                close(undefinedCount === R ? -1 : sum / R, v, `mean precision[${t},:,${k},${a},${m}]`);
              }),
            ),
          ),
        );
      });

      it('gives the full precision curve at area all, maxDets 100', () => {
        x.precision_all_100.forEach((byR, t) =>
          byR.forEach((byK, r) =>
            byK.forEach((v, k) =>
              close(e.precision[cocoPrecisionIndex(e, t, r, k, 0, 2)] as number, v, `precision[${t},${r},${k},all,100]`),
            ),
          ),
        );
      });

      it('gives per-class AP, and their mean is the summary AP', () => {
        const perClass = e.categories.map((_, k) => cocoSummary(e, k).AP);
        perClass.forEach((ap, k) => close(ap, x.per_class_ap[k] as number, `AP of category ${e.categories[k]?.id}`));
        close(meanAveragePrecision(perClass), x.stats[0] as number, 'mean of per-class AP');
      });

      it('exposes per-class PR curves at IoU .50 and .75', () => {
        e.categories.forEach((_, k) => {
          for (const [t, iou] of [
            [0, 0.5],
            [5, 0.75],
          ] as const) {
            const curve = cocoPrecisionRecallCurve(e, k, { iouThreshold: iou });
            const expected = x.precision_all_100[t]?.map((byK) => byK[k] as number);
            assert.ok(expected);
            if (expected[0] === -1) {
              assert.equal(curve, undefined);
            } else {
              assert.ok(curve);
              assert.equal(curve.recall.length, 101);
              curve.precision.forEach((p, r) => close(p, expected[r] as number, `curve ${k} @${iou} r=${r}`));
            }
          }
        });
      });

      it('reports JSON with the 12 names, per_class and metric', () => {
        const report = cocoJsonReport(e);
        assert.deepEqual(Object.keys(report), [...COCO_SUMMARY_NAMES, 'per_class', 'metric']);
        assert.equal(report.metric, 'coco');
        assert.deepEqual(
          report.per_class.map((c) => c.category_id),
          x.cat_ids,
        );
        report.per_class.forEach((c, k) => close(c.AP, x.per_class_ap[k] as number, `per_class[${k}].AP`));
      });
    });
  }
});
