// Input validation (errors as data, naming the JSON path), progress and cancellation, and the
// number formatting shared by the CLI and the editor.

import { strict as assert } from 'node:assert';
import {
  type DetectionDataset,
  evaluateCoco,
  evaluateCocoAsync,
  evaluateVoc,
  formatFixed,
  formatInputIssue,
  type InputIssue,
  parseCocoEvaluationInputs,
  parseCocoGroundTruth,
} from '../../src/core/metrics';

const GT = {
  images: [{ id: 1 }, { id: 2 }],
  categories: [{ id: 1, name: 'cat' }],
  annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], iscrowd: 0 }],
};
const DET = { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 };

function errors(gt: unknown, dets: unknown): Pick<InputIssue, 'source' | 'path' | 'message'>[] {
  const { dataset, issues } = parseCocoEvaluationInputs(gt, dets);
  const found = issues.filter((i) => i.severity === 'error');
  assert.equal(dataset === undefined, found.length > 0, 'a dataset exactly when there is no error');
  return found.map(({ source, path, message }) => ({ source, path, message }));
}

function withAnnotation(fields: Record<string, unknown>): unknown {
  return { ...GT, annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], ...fields }] };
}

describe('COCO-format validation', () => {
  it('accepts a well-formed pair', () => {
    assert.deepEqual(errors(GT, [DET]), []);
  });

  it('names a missing bbox', () => {
    const gt = { ...GT, annotations: [{ id: 1, image_id: 1, category_id: 1 }] };
    assert.deepEqual(errors(gt, []), [
      { source: 'ground-truth', path: 'annotations[0]', message: 'missing `bbox` (expected [x, y, width, height])' },
    ]);
    assert.deepEqual(errors(GT, [{ image_id: 1, category_id: 1, score: 1 }]), [
      { source: 'detections', path: '[0]', message: 'missing `bbox` (expected [x, y, width, height])' },
    ]);
  });

  it('names an unknown image_id, in either file', () => {
    assert.deepEqual(errors(GT, [DET, { ...DET, image_id: 7 }]), [
      { source: 'detections', path: '[1].image_id', message: 'image_id 7 is not the id of any image in the ground truth' },
    ]);
    assert.deepEqual(errors(withAnnotation({ image_id: 3 }), []), [
      { source: 'ground-truth', path: 'annotations[0].image_id', message: 'image_id 3 is not the id of any entry in `images`' },
    ]);
  });

  it('names a negative width or height, and a wrong-length or non-numeric box', () => {
    assert.deepEqual(
      errors(GT, [{ ...DET, bbox: [5, 5, -4, 2] }]).map((e) => [e.path, e.message]),
      [['[0].bbox[2]', "bbox width is -4; a box's width must be ≥ 0 (bbox is [x, y, width, height], not corners)"]],
    );
    assert.deepEqual(
      errors(withAnnotation({ bbox: [0, 0, 1, -1] }), []).map((e) => e.path),
      ['annotations[0].bbox[3]'],
    );
    assert.deepEqual(
      errors(GT, [{ ...DET, bbox: [1, 2, 3] }]).map((e) => e.message),
      ['`bbox` must hold 4 numbers [x, y, width, height], got 3'],
    );
    assert.deepEqual(
      errors(GT, [{ ...DET, bbox: [1, '2', 3, 4] }]).map((e) => [e.path, e.message]),
      [['[0].bbox[1]', 'bbox y must be a finite number, got a string ("2")']],
    );
  });

  it('names a non-array where an array belongs', () => {
    assert.deepEqual(errors(GT, { annotations: [] }), [
      {
        source: 'detections',
        path: '',
        message:
          'the detections must be a JSON array of {image_id, category_id, bbox, score}, got an object (this looks like a ground-truth file: pass the ground truth first, then the results list)',
      },
    ]);
    assert.deepEqual(errors({ ...GT, images: 'all' }, []), [
      { source: 'ground-truth', path: 'images', message: '`images` must be an array, got a string ("all")' },
    ]);
    assert.deepEqual(
      errors({ ...GT, annotations: [{ ...GT.annotations[0], bbox: { x: 0 } }] }, []).map((e) => e.message),
      ['`bbox` must be an array [x, y, width, height], got an object'],
    );
    assert.match(errors([DET], [DET])[0]?.message ?? '', /must be a JSON object .* got an array of 1 \(an array looks like a results list/);
  });

  it('names missing top-level keys, bad ids, duplicates, a bad score, a bad iscrowd', () => {
    assert.deepEqual(
      errors({ images: [] }, []).map((e) => e.message),
      ['missing `categories` (a list of {id, name})', 'missing `annotations` (a list of {id, image_id, category_id, bbox, ...})'],
    );
    assert.deepEqual(
      errors({ ...GT, images: [{ id: 1 }, { id: 1.5 }, { id: 1 }] }, []).map((e) => [e.path, e.message]),
      [
        ['images[1].id', '`id` must be an integer, got 1.5'],
        ['images[2].id', 'id 1 repeats images[0].id'],
      ],
    );
    assert.deepEqual(
      errors({ ...GT, annotations: [GT.annotations[0], GT.annotations[0]] }, []).map((e) => e.message),
      ['annotation id 1 repeats annotations[0].id'],
    );
    assert.deepEqual(
      errors(withAnnotation({ id: 0 }), []).map((e) => e.path),
      ['annotations[0].id'],
    );
    assert.deepEqual(
      errors(GT, [{ ...DET, score: null }]).map((e) => [e.path, e.message]),
      [['[0].score', '`score` must be a number, got null']],
    );
    assert.deepEqual(
      errors(withAnnotation({ iscrowd: 'yes' }), []).map((e) => e.path),
      ['annotations[0].iscrowd'],
    );
  });

  it('warns about, and drops, detections of categories the ground truth lacks (as pycocotools)', () => {
    const { dataset, issues } = parseCocoEvaluationInputs(GT, [DET, { ...DET, category_id: 9 }, { ...DET, category_id: 9 }]);
    assert.equal(dataset?.detections.length, 1);
    assert.deepEqual(issues, [
      {
        severity: 'warning',
        source: 'detections',
        path: '[1].category_id',
        message: "2 detections have a category_id that is not in the ground truth's `categories`; ignored, as pycocotools does",
      },
    ]);
  });

  it('warns that `ignore` is not used', () => {
    const { issues } = parseCocoEvaluationInputs(withAnnotation({ ignore: 1 }), []);
    assert.deepEqual(
      issues.map((i) => [i.severity, i.path]),
      [['warning', 'annotations[0].ignore']],
    );
  });

  it('reads area (default w·h), iscrowd and difficult, and sorts images and categories by id', () => {
    const gt = {
      images: [{ id: 9 }, { id: 3 }],
      categories: [{ id: 5, name: 'b' }, { id: 2 }],
      annotations: [
        { id: 1, image_id: 9, category_id: 5, bbox: [0, 0, 4, 5] },
        { id: 2, image_id: 3, category_id: 2, bbox: [0, 0, 4, 5], area: 7, iscrowd: true },
        { id: 3, image_id: 3, category_id: 2, bbox: [0, 0, 4, 5], difficult: 1 },
      ],
    };
    const parsed = parseCocoGroundTruth(gt);
    assert.ok(parsed.groundTruth);
    assert.deepEqual(parsed.groundTruth.imageIds, [3, 9]);
    assert.deepEqual(parsed.groundTruth.categories, [
      { id: 2, name: 'category 2' },
      { id: 5, name: 'b' },
    ]);
    assert.deepEqual(
      parsed.groundTruth.objects.map((o) => [o.image, o.category, o.area, o.iscrowd, o.difficult]),
      [
        [1, 1, 20, false, false],
        [0, 0, 7, true, true],
        [0, 0, 20, false, true],
      ],
    );
  });

  it('lists at most 50 errors per file, then counts the rest', () => {
    const dets = Array.from({ length: 80 }, () => ({ ...DET, score: 'x' }));
    const { issues } = parseCocoEvaluationInputs(GT, dets);
    assert.equal(issues.length, 51);
    assert.equal(issues[50]?.message, '… and 30 more errors');
  });

  it('formats an issue with its file and path', () => {
    const { issues } = parseCocoEvaluationInputs(GT, [{ ...DET, image_id: 4 }]);
    assert.equal(
      formatInputIssue(issues[0] as InputIssue, 'dets.json'),
      'dets.json: [0].image_id: error: image_id 4 is not the id of any image in the ground truth',
    );
  });
});

/** A deterministic scene of `images` images with a few objects and detections each. */
function syntheticDataset(images: number): DetectionDataset {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const gt = { images: [] as { id: number }[], categories: [1, 2, 3].map((id) => ({ id, name: `c${id}` })), annotations: [] as unknown[] };
  const dets: unknown[] = [];
  for (let i = 1; i <= images; i++) {
    gt.images.push({ id: i });
    for (let j = 0; j < 3; j++) {
      const box = [Math.floor(random() * 300), Math.floor(random() * 300), 10 + Math.floor(random() * 90), 10 + Math.floor(random() * 90)];
      const category_id = 1 + Math.floor(random() * 3);
      gt.annotations.push({ id: gt.annotations.length + 1, image_id: i, category_id, bbox: box });
      dets.push({ image_id: i, category_id, bbox: [(box[0] as number) + random() * 8, box[1], box[2], box[3]], score: random() });
      dets.push({
        image_id: i,
        category_id: 1 + Math.floor(random() * 3),
        bbox: [random() * 300, random() * 300, 30, 30],
        score: random(),
      });
    }
  }
  const { dataset } = parseCocoEvaluationInputs(gt, dets);
  assert.ok(dataset);
  return dataset;
}

describe('progress and cancellation', () => {
  const dataset = syntheticDataset(400);

  it('reports non-decreasing progress that ends at 1', () => {
    for (const run of [
      (c: { onProgress: (f: number) => void }) => evaluateCoco(dataset, c),
      (c: { onProgress: (f: number) => void }) => evaluateVoc(dataset, 'voc12', 0.5, c),
    ]) {
      const seen: number[] = [];
      const outcome = run({ onProgress: (f) => seen.push(f) });
      assert.equal(outcome.status, 'done');
      assert.ok(seen.length > 3, `${seen.length} progress reports`);
      assert.ok(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= (seen[i - 1] as number))));
      assert.equal(seen[seen.length - 1], 1);
    }
  });

  it('stops when isCancelled turns true', () => {
    let polls = 0;
    const outcome = evaluateCoco(dataset, { isCancelled: () => ++polls > 3 });
    assert.deepEqual(outcome, { status: 'cancelled' });
    assert.equal(polls, 4);
  });

  it('does not start when the signal is already aborted', () => {
    let progressCalls = 0;
    const outcome = evaluateVoc(dataset, 'voc07', 0.5, { signal: { aborted: true }, onProgress: () => progressCalls++ });
    assert.deepEqual(outcome, { status: 'cancelled' });
    assert.equal(progressCalls, 0);
  });

  it('async: yields to the event loop, can be aborted from outside, and otherwise matches the sync result', async () => {
    const signal = { aborted: false };
    setTimeout(() => {
      signal.aborted = true;
    }, 0);
    const cancelled = await evaluateCocoAsync(dataset, { signal, sliceMs: 0 });
    assert.deepEqual(cancelled, { status: 'cancelled' });

    const sync = evaluateCoco(dataset);
    const async = await evaluateCocoAsync(dataset, { sliceMs: 1 });
    assert.equal(sync.status, 'done');
    assert.equal(async.status, 'done');
    if (sync.status === 'done' && async.status === 'done') assert.deepEqual(async.result.precision, sync.result.precision);
  });
});

describe('formatFixed', () => {
  it('rounds like Python format(): half to even on exact ties only', () => {
    assert.equal(formatFixed(0.5625, 3), '0.562'); // exactly 0.5625: tie, 2 is even
    assert.equal(formatFixed(0.4375, 3), '0.438'); // tie, 8 is even
    assert.equal(formatFixed(0.0625, 3), '0.062');
    assert.equal(formatFixed(0.3125, 3), '0.312');
    assert.equal(formatFixed(0.0005, 3), '0.001'); // not a tie: 0.0005 is slightly above in binary
    assert.equal(formatFixed(-1, 3), '-1.000');
    assert.equal(formatFixed(1, 3), '1.000');
    assert.equal(formatFixed(0.125, 2), '0.12');
    assert.equal(formatFixed(0.375, 2), '0.38');
    assert.equal(formatFixed(0.95, 2), '0.95');
    assert.equal(formatFixed(2.5, 0), '2');
  });
});
