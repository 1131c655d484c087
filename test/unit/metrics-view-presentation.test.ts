// The metrics page's pure helpers: the COCO summary rows printed exactly as pycocotools prints
// them, sorting of the per-class table, the PR chart series and colours, the image view's size,
// scale and labels, and the persisted state read back safely.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CocoClassRow, ImageBoxesMessage, VocClassRow } from '../../src/shared/metrics-messages';
import { boxesAt, drawnBoxes, fitScale, imageSize, isLabelled } from '../../webview/metrics/box-layout';
import { cocoSeries, curveColourVar, defaultChoices, vocSeries } from '../../webview/metrics/chart-data';
import { classValueText, cocoSummaryRows, iouText } from '../../webview/metrics/format';
import { matchImage } from '../../webview/metrics/matching';
import { COCO_COLUMNS, nextSort, sortRows, VOC_COLUMNS } from '../../webview/metrics/tables';
import { DEFAULT_STATE, restoreState } from '../../webview/metrics/state';

const FIXTURE_DIR = path.join(__dirname, '../../../test/fixtures/metrics');

describe('metrics page: summary text', () => {
  for (const name of ['basic', 'crowd', 'random', 'sparse']) {
    it(`${name}: every summary row reads as pycocotools printed it`, () => {
      const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as {
        expected: { stats: number[]; iou_thrs: number[]; summary_lines: string[] };
      };
      const rows = cocoSummaryRows(fixture.expected.stats, fixture.expected.iou_thrs);
      assert.equal(rows.length, 12);
      rows.forEach((row, i) => {
        const line = fixture.expected.summary_lines[i] as string;
        assert.equal(row.text, line.split('= ').pop(), line);
        assert.ok(line.includes(`IoU=${row.iou}`), `${line} has IoU=${row.iou}`);
        assert.ok(line.includes(`maxDets=${row.maxDets.padStart(3)}`), line);
        assert.ok(line.includes(`area=${row.area.padStart(6)}`), line);
        assert.ok(
          line.startsWith(` ${row.measure.startsWith('Average Precision') ? 'Average Precision  (AP)' : 'Average Recall     (AR)'}`),
          line,
        );
      });
    });
  }

  it('rounds half to even like Python and writes undefined as pycocotools and as a dash', () => {
    assert.equal(cocoSummaryRows([0.5625, ...Array<number>(11).fill(-1)], [0.5, 0.95])[0]?.text, '0.562');
    assert.equal(cocoSummaryRows(Array<number>(12).fill(-1), [0.5, 0.95])[11]?.text, '-1.000');
    assert.equal(classValueText(-1), '–');
    assert.equal(classValueText(0.12345), '0.123');
    assert.equal(iouText(0.8999999999999999), '0.90');
  });
});

const cocoRow = (categoryId: number, name: string, ap: number, gt = 1): CocoClassRow => ({
  categoryId,
  name,
  groundTruth: gt,
  crowd: 0,
  detections: 1,
  summary: [ap, ...Array<number>(11).fill(0)],
});

describe('metrics page: per-class table', () => {
  const rows = [cocoRow(1, 'cat', 0.4), cocoRow(2, 'dog', -1, 0), cocoRow(3, 'ant', 0.9), cocoRow(4, 'bee', 0.4)];
  const column = (key: string) => COCO_COLUMNS.find((c) => c.key === key)!;

  it('sorts by AP either way, classes without ground truth last, ties in category order', () => {
    assert.deepEqual(
      sortRows(rows, column('AP'), 'descending').map((r) => r.name),
      ['ant', 'cat', 'bee', 'dog'],
    );
    assert.deepEqual(
      sortRows(rows, column('AP'), 'ascending').map((r) => r.name),
      ['cat', 'bee', 'ant', 'dog'],
    );
    assert.deepEqual(
      sortRows(rows, column('name'), 'ascending').map((r) => r.name),
      ['ant', 'bee', 'cat', 'dog'],
    );
    assert.equal(column('AP').text(rows[1]!), '–');
  });

  it('flips the direction on a second click; a new numeric column starts with the best', () => {
    assert.deepEqual(nextSort(undefined, 'AP', true), { key: 'AP', direction: 'descending' });
    assert.deepEqual(nextSort({ key: 'AP', direction: 'descending' }, 'AP', true), { key: 'AP', direction: 'ascending' });
    assert.deepEqual(nextSort({ key: 'AP', direction: 'descending' }, 'name', false), { key: 'name', direction: 'ascending' });
    assert.deepEqual(nextSort(undefined, 'id', true), { key: 'id', direction: 'ascending' });
  });

  it('has the VOC columns a VOC report has', () => {
    assert.deepEqual(
      VOC_COLUMNS.map((c) => c.label),
      ['id', 'class', 'gt', 'difficult', 'dets', 'TP', 'FP', 'AP'],
    );
  });
});

describe('metrics page: PR chart series', () => {
  const iou = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95];
  const R = 101;
  const recall = Array.from({ length: R }, (_, r) => r / 100);

  it('draws .50, .75 and the mean by default, in the theme’s blue, orange and foreground', () => {
    const choices = defaultChoices(iou);
    assert.deepEqual(choices, [0, 5, 'mean']);
    assert.deepEqual(
      choices.map((c) => curveColourVar(c, iou)),
      ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-foreground'],
    );
  });

  it('reads each chosen row of the curves, with scores for the tooltip', () => {
    const precision = Float64Array.from({ length: 11 * R }, (_, i) => Math.floor(i / R) / 10);
    const scores = Float64Array.from({ length: 10 * R }, (_, i) => 1 - (i % R) / 100);
    const series = cocoSeries({ categoryId: 1, precision, scores }, recall, iou, [5, 'mean']);
    assert.deepEqual(
      series.map((s) => [s.key, s.label, s.points.length, s.points[0]?.y, s.dashed]),
      [
        ['iou5', 'IoU 0.75', 101, 0.5, false],
        ['mean', 'IoU 0.50:0.95 (mean)', 101, 1, true],
      ],
    );
    assert.equal(series[0]?.points[100]?.score, 0);
    assert.equal(series[1]?.points[3]?.score, undefined);
    assert.deepEqual(cocoSeries({ categoryId: 2, precision: new Float64Array(0), scores: new Float64Array(0) }, recall, iou, [0]), []);
  });

  it('draws a VOC class’s raw curve and its envelope', () => {
    const row: VocClassRow = {
      categoryId: 1,
      name: 'cat',
      groundTruth: 3,
      difficult: 1,
      detections: 6,
      truePositives: 3,
      falsePositives: 2,
      ap: 11 / 15,
      recall: Float64Array.from([1 / 3, 1 / 3, 1 / 3, 2 / 3, 1]),
      precision: Float64Array.from([1, 1 / 2, 1 / 3, 1 / 2, 3 / 5]),
    };
    const [raw, envelope] = vocSeries(row);
    assert.deepEqual(
      raw?.points.map((p) => p.y),
      [1, 1 / 2, 1 / 3, 1 / 2, 3 / 5],
    );
    assert.deepEqual(
      envelope?.points.map((p) => [p.x, p.y]),
      [
        [0, 1],
        [1 / 3, 1],
        [1 / 3, 0.6],
        [1 / 3, 0.6],
        [2 / 3, 0.6],
        [1, 0.6],
      ],
    );
    assert.deepEqual(vocSeries({ ...row, ap: -1 }), []);
    const missed = vocSeries({ ...row, ap: 0, recall: new Float64Array(0), precision: new Float64Array(0) });
    assert.deepEqual(
      missed.map((s) => s.points.map((p) => [p.x, p.y])),
      [
        [
          [0, 0],
          [1, 0],
        ],
      ],
      'a class with objects and no detection: precision 0 everywhere',
    );
  });
});

describe('metrics page: image view layout', () => {
  const boxes: ImageBoxesMessage = {
    type: 'imageBoxes',
    image: { id: 7, width: null, height: null, fileName: null, objects: 2, detections: 2 },
    objects: [
      { id: 1, categoryId: 1, bbox: [0, 0, 10, 10], area: 100, iscrowd: false },
      { id: 2, categoryId: 1, bbox: [300, 200, 50, 40], area: 2000, iscrowd: false },
    ],
    detections: [
      { categoryId: 1, bbox: [0, 0, 10, 10], score: 0.9 },
      { categoryId: 1, bbox: [400.5, 10, 20, 20], score: 0.25 },
    ],
  };

  it('sizes a canvas without width/height to the boxes, and fits it', () => {
    assert.deepEqual(imageSize(boxes), { width: 421, height: 240 });
    assert.deepEqual(imageSize({ ...boxes, image: { ...boxes.image, width: 640, height: 480 } }), { width: 640, height: 480 });
    assert.equal(fitScale({ width: 640, height: 480 }, 320, 1000), 0.5);
    assert.equal(fitScale({ width: 64, height: 48 }, 1000, 1000), 2, 'never enlarged past 2×');
  });

  it('labels each box with class, score and IoU, objects first and the best detection on top', () => {
    const names = new Map([[1, 'cat']]);
    const drawn = drawnBoxes(boxes, matchImage(boxes.objects, boxes.detections, 0.5), names, 0.5);
    assert.deepEqual(
      drawn.map((b) => [b.kind, b.role, b.label]),
      [
        ['object', 'matchedObject', 'cat #1 (found)'],
        ['object', 'missedObject', 'cat #2 (missed)'],
        ['detection', 'fp', 'cat 0.25 · FP, no overlap'],
        ['detection', 'tp', 'cat 0.90 · IoU 1.00 TP'],
      ],
    );
    assert.deepEqual(
      drawn.filter(isLabelled).map((b) => b.role),
      ['missedObject', 'fp', 'tp'],
      'found objects sit under their TP and carry no label of their own',
    );
    assert.deepEqual(
      boxesAt(drawn, 5, 5).map((b) => b.label),
      ['cat #1 (found)', 'cat 0.90 · IoU 1.00 TP'],
    );
    assert.deepEqual(boxesAt(drawn, 200, 100), []);
  });
});

describe('metrics page: persisted state', () => {
  it('reads back a saved state and falls back field by field', () => {
    assert.deepEqual(restoreState(undefined), DEFAULT_STATE);
    assert.deepEqual(
      restoreState({
        metric: 'voc07',
        vocIou: 0.3,
        curves: [0, 'mean', 'x', 99],
        sort: { key: 'AP', direction: 'ascending' },
        imageId: 12,
        imageIou: 0.75,
        labels: false,
      }),
      {
        metric: 'voc07',
        vocIou: 0.3,
        curves: [0, 'mean'],
        sort: { key: 'AP', direction: 'ascending' },
        imageId: 12,
        imageIou: 0.75,
        labels: false,
      },
    );
    assert.deepEqual(restoreState({ metric: 'map', vocIou: 2, sort: { key: 'AP', direction: 'up' }, imageIou: 0 }), DEFAULT_STATE);
  });
});
