// `convlens eval` end to end through runEvalCommand: exit codes, JSON shape, the text table,
// and errors that name the file and field.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runEvalCommand } from '../../src/cli/eval';

const FIXTURE = path.join(__dirname, '../../../test/fixtures/metrics/basic.json');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await runEvalCommand(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

describe('convlens eval', () => {
  let dir: string;
  let gtPath: string;
  let detsPath: string;
  const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as {
    gt: unknown;
    dets: unknown;
    expected: { stats: number[]; summary_lines: string[] };
  };
  const write = (name: string, value: unknown): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-eval-'));
    gtPath = write('gt.json', fixture.gt);
    detsPath = write('dets.json', fixture.dets);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json prints the 12 COCO numbers (pycocotools), per_class and metric', async () => {
    const r = await run([gtPath, detsPath, '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    const names = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'];
    assert.deepEqual(Object.keys(report), [...names, 'per_class', 'metric']);
    names.forEach((name, i) => assert.ok(Math.abs((report[name] as number) - (fixture.expected.stats[i] as number)) < 1e-9, name));
    assert.equal(report['metric'], 'coco');
    assert.deepEqual(
      (report['per_class'] as { category_id: number; name: string }[]).map((c) => [c.category_id, c.name]),
      [
        [1, 'cat'],
        [2, 'dog'],
      ],
    );
  });

  it('without --json prints the summarize() lines, then a per-category table', async () => {
    const r = await run([gtPath, detsPath]);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 12), fixture.expected.summary_lines);
    assert.match(r.stdout, /\n {2}id {2}name {2}gt {2}crowd {2}dets {5}AP {3}AP50 {3}AP75 {2}AR100\n/);
  });

  it('--metric voc07 / voc12 with --iou', async () => {
    for (const metric of ['voc07', 'voc12']) {
      const r = await run([gtPath, detsPath, '--metric', metric, '--iou', '0.3', '--json']);
      assert.equal(r.code, 0);
      const report = JSON.parse(r.stdout) as { metric: string; iou: number; mAP: number; per_class: { AP: number }[] };
      assert.deepEqual(Object.keys(report), ['metric', 'iou', 'mAP', 'per_class']);
      assert.equal(report.metric, metric);
      assert.equal(report.iou, 0.3);
      assert.ok(report.mAP >= 0 && report.mAP <= 1);
    }
    const text = await run([gtPath, detsPath, '--metric=voc12']);
    assert.match(text.stdout, /^PASCAL VOC2010\+ all-point AP at IoU ≥ 0\.5/);
    assert.match(text.stdout, /\nmAP = \d\.\d{4} over 2 classes with ground truth\n$/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      [gtPath],
      [gtPath, detsPath, '--metric', 'map'],
      [gtPath, detsPath, '--iou', '0.5'],
      [gtPath, detsPath, '--metric', 'voc07', '--iou', '0'],
      [gtPath, detsPath, '--bogus'],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^convlens eval: .*\nusage: convlens eval GT\.json DETS\.json/);
    }
  });

  it('exits 2 on unreadable or invalid JSON files, naming them', async () => {
    const missing = await run([gtPath, path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.json/);
    const broken = await run([gtPath, write('broken.json', '[{"image_id": 1,')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json is not valid JSON/);
  });

  it('exits 2 on bad input, naming the file and the field', async () => {
    const bad = write('bad-dets.json', [
      { image_id: 1, category_id: 1, score: 0.5 },
      { image_id: 99, category_id: 1, bbox: [0, 0, 1, 1], score: 0.5 },
      { image_id: 1, category_id: 1, bbox: [0, 0, -3, 1], score: 0.5 },
    ]);
    const r = await run([gtPath, bad, '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      `${bad}: [0]: error: missing \`bbox\` (expected [x, y, width, height])`,
      `${bad}: [1].image_id: error: image_id 99 is not the id of any image in the ground truth`,
      `${bad}: [2].bbox[2]: error: bbox width is -3; a box's width must be ≥ 0 (bbox is [x, y, width, height], not corners)`,
    ]);
    const swapped = await run([detsPath, gtPath]);
    assert.equal(swapped.code, 2);
    assert.match(swapped.stderr, /dets\.json: error: the ground truth must be a JSON object/);
  });

  it('prints warnings on stderr and still evaluates', async () => {
    const extra = write('extra-dets.json', [
      ...(fixture.dets as unknown[]),
      { image_id: 1, category_id: 77, bbox: [0, 0, 1, 1], score: 0.5 },
    ]);
    const r = await run([gtPath, extra, '--json']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning: one detection has a category_id that is not in the ground truth's `categories`/);
    assert.ok(Math.abs((JSON.parse(r.stdout) as { AP: number }).AP - (fixture.expected.stats[0] as number)) < 1e-9);
  });

  it('accepts an empty results list (pycocotools itself fails on one): every class with objects scores 0', async () => {
    const r = await run([gtPath, write('empty.json', []), '--json']);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout) as { AP: number; AR100: number };
    assert.equal(report.AP, 0);
    assert.equal(report.AR100, 0);
  });
});
