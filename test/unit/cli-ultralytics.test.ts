// `convlens check` on Ultralytics YOLO YAMLs: the oracle is Ultralytics' own summary in the
// official files' `scales` comments (read where they are, never copied into the repository), and
// hand-written files of our own for the diagnostics.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCheckCommand } from '../../src/cli/check';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FILES_DIR =
  process.env['CONVLENS_ULTRALYTICS_DIR'] ??
  [path.resolve(REPO_ROOT, '../shared/ultralytics/files'), '/work/shared/ultralytics/files'].find((dir) => fs.existsSync(dir)) ??
  path.resolve(REPO_ROOT, '../shared/ultralytics/files');

async function check(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await runCheckCommand(argv), stdout };
  } finally {
    process.stdout.write = out;
  }
}

/** The published summary of `scale` in an official file's comment, e.g. "129 layers, 3157200 parameters, …". */
function published(file: string, scale: string): { layers: number; parameters: number; gradients: number; gflops: string } {
  const text = fs.readFileSync(path.join(FILES_DIR, file), 'utf8');
  const line = text.split('\n').find((l) => new RegExp(`^\\s+${scale}: \\[`).test(l));
  const m = /(\d+) layers, ([\d,]+) parameters, ([\d,]+) gradients, ([\d.]+) GFLOPs/i.exec(line ?? '');
  if (!m) throw new Error(`no published summary for scale ${scale} in ${file}`);
  const int = (s: string) => Number(s.replace(/,/g, ''));
  return { layers: int(m[1]!), parameters: int(m[2]!), gradients: int(m[3]!), gflops: m[4]! };
}

describe('convlens check on Ultralytics YOLO YAMLs', () => {
  let dir: string;
  before(() => {
    if (!fs.existsSync(FILES_DIR)) assert.fail(`The Ultralytics reference YAMLs are not at ${FILES_DIR}; set CONVLENS_ULTRALYTICS_DIR`);
    dir = fs.mkdtempSync(path.join(tmpdir(), 'convlens-yolo-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [official, scale, named] of [
    ['v8/yolov8.yaml', 'n', 'yolov8n.yaml'],
    ['11/yolo11.yaml', 's', 'yolo11s.yaml'],
  ] as const) {
    it(`prints Ultralytics' own summary for ${named} (scale from the file name), and exits 0`, async () => {
      const file = path.join(dir, named);
      fs.copyFileSync(path.join(FILES_DIR, official), file);
      const want = published(official, scale);
      const text = await check([file]);
      assert.equal(text.code, 0, text.stdout);
      const fmt = (n: number) => n.toLocaleString('en-US');
      assert.ok(
        text.stdout.includes(
          `Ultralytics' summary: ${want.layers} layers, ${fmt(want.parameters)} parameters, ${fmt(want.gradients)} gradients, ${want.gflops} GFLOPs`,
        ),
        text.stdout,
      );
      assert.match(text.stdout, new RegExp(`Ultralytics model, scale ${scale} of `));

      const json = await check([file, '--json']);
      const entry = JSON.parse(json.stdout).files[0];
      assert.equal(entry.ultralytics.scale, scale);
      assert.deepEqual(
        {
          layers: entry.ultralytics.summary.layers,
          parameters: entry.ultralytics.summary.parameters,
          gradients: entry.ultralytics.summary.gradients,
          gflops: entry.ultralytics.summary.gflops.toFixed(1),
        },
        want,
      );
      // The rows' parameters add up to the model's.
      const sum = entry.ultralytics.rows.reduce((s: number, r: { params: number }) => s + r.params, 0);
      assert.equal(sum, want.parameters);
    });
  }

  it('reports a forward `from` with its line and column and exits 1; a *.cnn.yaml in the same run stays a ConvLens model', async () => {
    const file = path.join(dir, 'tiny-bad.yaml');
    // Row 1 reads row 2, which comes after it: Ultralytics' parse_model would fail on it.
    fs.writeFileSync(
      file,
      [
        'nc: 2',
        'backbone:',
        '  - [-1, 1, Conv, [16, 3, 2]]',
        '  - [2, 1, Conv, [16, 3, 2]]',
        'head:',
        '  - [[1], 1, Detect, [nc]]',
        '',
      ].join('\n'),
    );
    const lenet = path.join(REPO_ROOT, 'examples', 'lenet5.cnn.yaml');
    const text = await check([file, lenet]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+: error ultralytics: .*2`));
    const json = JSON.parse((await check([file, lenet, '--json'])).stdout);
    assert.equal(json.files[0].diagnostics[0].severity, 'error');
    assert.equal(json.files[0].diagnostics[0].range.start.line, 3);
    assert.equal(json.files[1].model.total_params, 61706); // LeNet-5 as torch counts it
  });
});
