// The Ultralytics front end on the repository's own hand-written YOLO-format models
// (test/fixtures/ultralytics), every expected figure worked out by hand below from Ultralytics'
// documented module structure (Conv = Conv2d(bias=False) + BatchNorm2d + the shared SiLU; C2f, SPPF,
// Classify, Detect as in ultralytics/nn/modules) and THOP's counting rules.

import { strict as assert } from 'node:assert';
import * as YAML from 'yaml';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildUltralyticsModel, isUltralyticsYaml, makeDivisible, pyRound, scaleFromFileName } from '../../src/core/frontends/ultralytics';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/ultralytics');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

// Conv2d(cin, cout, k, bias=False) + BatchNorm2d(cout)
const convBn = (cin: number, cout: number, k: number, g = 1) => cout * (cin / g) * k * k + 2 * cout;

describe('Ultralytics: hand-written classifier (yolo99-tiny-cls.yaml)', () => {
  const text = read('yolo99-tiny-cls.yaml');
  const model = buildUltralyticsModel(text, 'yolo99s-tiny-cls.yaml');

  it('takes the scale from the file name', () => {
    assert.equal(model.scale, 's');
    assert.deepEqual(model.multiples, { depth: 1, width: 1, maxChannels: 64 });
    assert.deepEqual(model.diagnostics, []);
  });

  it('has the hand-computed parameters and layers', () => {
    const rows = [
      convBn(3, 16, 3), // 0 Conv: 432 + 32
      convBn(16, 32, 3), // 1 Conv: 4608 + 64
      // 2 C2f(32, 32, n=2, shortcut): c = 16; cv1 Conv(32, 32, 1); 2 × Bottleneck(16, 16, e=1) of two 3×3 Convs; cv2 Conv(64, 32, 1)
      convBn(32, 32, 1) + 2 * 2 * convBn(16, 16, 3) + convBn(64, 32, 1),
      convBn(32, 16, 1) + convBn(64, 32, 1), // 3 SPPF(32, 32): c_ = 16; cv2 reads cat of 4 × 16
      0, // 4 Upsample
      0, // 5 Concat
      convBn(48, 8, 1), // 6 Conv
      convBn(8, 1280, 1) + 1280 * 3 + 3, // 7 Classify: Conv(8, 1280, 1) + Linear(1280, nc = 3)
    ];
    assert.deepEqual(rows, [464, 4672, 12544, 2656, 0, 0, 400, 16643]);
    assert.deepEqual(
      model.rows.map((r) => r.parameters),
      rows,
    );
    const total = rows.reduce((a, b) => a + b, 0);
    // Leaves: 0: conv, bn, SiLU (shared by every Conv, counted once) | 1: conv, bn | 2: 6 Convs × 2 |
    // 3: 2 Convs × 2 + one MaxPool2d called three times | 4: Upsample | 5: Concat | 6: conv, bn |
    // 7: conv, bn, AdaptiveAvgPool2d, Dropout, Linear
    const layers = 3 + 2 + 12 + 5 + 1 + 1 + 2 + 5;
    assert.deepEqual(
      { layers: model.summary?.layers, parameters: model.summary?.parameters, gradients: model.summary?.gradients },
      { layers, parameters: total, gradients: total },
    );
  });

  it('has the hand-computed shapes at 640', () => {
    assert.deepEqual(
      model.rows.map((r) => r.outputShapes[0]),
      [
        [1, 16, 320, 320],
        [1, 32, 160, 160],
        [1, 32, 160, 160],
        [1, 32, 160, 160],
        [1, 32, 320, 320],
        [1, 48, 320, 320],
        [1, 8, 320, 320],
        [1, 3],
      ],
    );
  });

  it("has Ultralytics' GFLOPs: THOP on a 32×32 input, ×(640/32)², ×2", () => {
    // At 32×32 the rows output 16×16, 8×8, 8×8, 8×8, 16×16, 16×16, 16×16, then 1280 × 1×1 pooled.
    // THOP: conv = out elements × cin/g × k², BN = 4 × elements, nearest upsample = out elements,
    // AdaptiveAvgPool2d = (kernel area + 1) × out elements, Linear = in × out elements.
    const conv = (outC: number, hw: number, cin: number, k: number) => outC * hw * cin * k * k;
    const bn = (outC: number, hw: number) => 4 * outC * hw;
    const convOps =
      conv(16, 256, 3, 3) +
      conv(32, 64, 16, 3) +
      conv(32, 64, 32, 1) +
      4 * conv(16, 64, 16, 3) +
      conv(32, 64, 64, 1) +
      conv(16, 64, 32, 1) +
      conv(32, 64, 64, 1) +
      conv(8, 256, 48, 1) +
      conv(1280, 256, 8, 1);
    const bnOps =
      bn(16, 256) + bn(32, 64) + bn(32, 64) + 4 * bn(16, 64) + bn(32, 64) + bn(16, 64) + bn(32, 64) + bn(8, 256) + bn(1280, 256);
    const thop = convOps + bnOps + 32 * 256 + (256 + 1) * 1280 + 1280 * 3;
    const gflops = ((thop / 1e9) * 2 * 640 * 640) / (32 * 32);
    assert.ok(Math.abs(model.summary!.gflops - gflops) < 1e-9, `${model.summary!.gflops} vs ${gflops}`);
    assert.equal(model.summary!.flopsStride, 32);
    // Per row: the upsample (row 4) doubles 32 × 8 × 8 to 32 × 16 × 16 at 32×32, 1 op an output element.
    assert.ok(Math.abs(model.rows[4]!.gflops! - ((32 * 256) / 1e9) * 2 * 400) < 1e-12);
    assert.ok(Math.abs(model.rows.reduce((a, r) => a + r.gflops!, 0) - gflops) < 1e-9);
    // ConvLens's MACs at 640: the convs' multiply-accumulates (every conv output is 20× wider and
    // higher than at 32) plus the Linear's 1280 × 3.
    assert.equal(model.summary!.macs, convOps * 400 + 1280 * 3);
  });

  it('applies depth, width and make_divisible at scale n', () => {
    const n = buildUltralyticsModel(text, 'yolo99n-tiny-cls.yaml');
    assert.equal(n.scale, 'n');
    // width 0.5: 16 → 8, 32 → 16; 8 → 4 → make_divisible(4, 8) = 8; Classify keeps c2 = nc = 3.
    // depth 0.5: C2f repeats max(round(2 × 0.5), 1) = 1, inserted as the third argument.
    assert.deepEqual(
      n.rows.map((r) => r.outputShapes[0]![1]),
      [8, 16, 16, 16, 16, 24, 8, 3],
    );
    assert.deepEqual(n.rows[2]!.args, [16, 16, 1, true]);
  });
});

describe('Ultralytics: hand-written detector (tiny-detect.yaml)', () => {
  const text = read('tiny-detect.yaml');

  it('builds the legacy Detect head with the frozen DFL conv', () => {
    const model = buildUltralyticsModel(text, 'tiny-detect.yaml');
    assert.equal(model.scale, undefined);
    // Detect(nc=2, ch=[16]): c2 = max(16, 16 // 4, 4 × 16) = 64, c3 = max(16, min(2, 100)) = 16.
    // box: Conv(16, 64, 3), Conv(64, 64, 3), Conv2d(64, 64, 1) with bias; cls: Conv(16, 16, 3), Conv(16, 16, 3),
    // Conv2d(16, 2, 1) with bias; DFL: Conv2d(16, 1, 1, bias=False), frozen.
    const head = convBn(16, 64, 3) + convBn(64, 64, 3) + (64 * 64 + 64) + convBn(16, 16, 3) * 2 + (16 * 2 + 2) + 16;
    const total = convBn(3, 16, 3) + convBn(16, 16, 3) + head;
    assert.equal(total, 58018);
    assert.equal(model.summary?.parameters, total);
    assert.equal(model.summary?.gradients, total - 16);
    // 0: conv, bn, SiLU | 1: conv, bn | head: 4 Convs × 2 + 2 Conv2d + DFL conv
    assert.equal(model.summary?.layers, 3 + 2 + 8 + 2 + 1);
    assert.deepEqual(model.rows[2]!.outputShapes, [[1, 64 + 2, 160, 160]]);
    // THOP at 32×32 (the detect stride is 256 / 64 = 4, so get_flops uses 32); the head runs on 8×8,
    // in training mode, so the DFL conv is not run.
    const thop =
      16 * 256 * 27 +
      4 * 16 * 256 +
      16 * 64 * 16 * 9 +
      4 * 16 * 64 +
      64 * 64 * 16 * 9 +
      4 * 64 * 64 +
      64 * 64 * 64 * 9 +
      4 * 64 * 64 +
      64 * 64 * 64 +
      2 * (16 * 64 * 16 * 9 + 4 * 16 * 64) +
      2 * 64 * 16;
    assert.ok(Math.abs(model.summary!.gflops - (thop / 1e9) * 2 * 400) < 1e-9);
  });

  it('switches the head to depthwise class branches once a C3k2 row appears (the legacy flag)', () => {
    const withC3k2 = text.replace('  - [[1], 1, Detect, [nc]] # 2', '  - [-1, 1, C3k2, [16, False]] # 2\n  - [[2], 1, Detect, [nc]] # 3');
    const model = buildUltralyticsModel(withC3k2, 'tiny-detect.yaml');
    assert.deepEqual(model.diagnostics, []);
    // C3k2(16, 16, n=1, c3k=False): c = 8; cv1 Conv(16, 16, 1); Bottleneck(8, 8, e=0.5): Conv(8, 4, 3), Conv(4, 8, 3); cv2 Conv(24, 16, 1)
    const c3k2 = convBn(16, 16, 1) + convBn(8, 4, 3) + convBn(4, 8, 3) + convBn(24, 16, 1);
    // cls branch: DWConv(16, 16, 3) = Conv with groups 16, Conv(16, 16, 1), again, then Conv2d(16, 2, 1)
    const cls = 2 * (convBn(16, 16, 3, 16) + convBn(16, 16, 1)) + (16 * 2 + 2);
    const head = convBn(16, 64, 3) + convBn(64, 64, 3) + (64 * 64 + 64) + cls + 16;
    assert.deepEqual([c3k2, head], [1304, 51474]);
    assert.equal(model.summary?.parameters, convBn(3, 16, 3) + convBn(16, 16, 3) + c3k2 + head);
  });
});

describe('Ultralytics: diagnostics at the offending value', () => {
  const text = read('yolo99-tiny-cls.yaml');
  const slice = (t: string, r: { startOffset: number; endOffset: number }) => t.slice(r.startOffset, r.endOffset);

  it('names an unknown module and suggests the nearest one', () => {
    const bad = text.replace('C2f, [32, True]', 'C2F, [32, True]');
    const d = buildUltralyticsModel(bad, 'yolo99s-tiny-cls.yaml').diagnostics;
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /row 2: unknown module "C2F"; did you mean `C2f`\?/);
    assert.equal(slice(bad, d[0]!.range), 'C2F');
    assert.equal(d[0]!.range.start.line, 11);
  });

  it('rejects a `from` that points forward', () => {
    const bad = text.replace('[[-1, 0], 1, Concat', '[[-1, 6], 1, Concat');
    const d = buildUltralyticsModel(bad, 'yolo99s-tiny-cls.yaml').diagnostics;
    assert.match(d[0]!.message, /row 5: from 6 points at row 6, which is not built yet/);
    assert.equal(slice(bad, d[0]!.range), '[-1, 6]');
  });

  it('quotes the argument count it expected', () => {
    const bad = text.replace('Conv, [8, 1, 1]', 'Conv, []');
    const d = buildUltralyticsModel(bad, 'yolo99s-tiny-cls.yaml').diagnostics;
    assert.match(d[0]!.message, /row 6: Conv takes 1 to 7 arguments here, got 0: \[\]/);
    assert.equal(slice(bad, d[0]!.range), '[]');
  });

  it('reports a Concat of different H×W (a deleted upsample) with both rows and sizes', () => {
    const bad = text.replace('  - [-1, 1, nn.Upsample, [None, 2, "nearest"]] # 4\n', '  - [-1, 1, nn.Identity, []] # 4\n');
    const model = buildUltralyticsModel(bad, 'yolo99s-tiny-cls.yaml');
    const d = model.diagnostics;
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.match(d[0]!.message, /row 5: Concat: row 4 gives \[1, 32, 160, 160\] but row 0 gives \[1, 16, 320, 320\]/);
    assert.match(d[0]!.message, /160×160 vs 320×320/);
    assert.equal(slice(bad, d[0]!.range), '[-1, 0]');
    assert.equal(model.summary, undefined);
  });

  it('warns when no scale is given and uses the first one, as Ultralytics does', () => {
    const model = buildUltralyticsModel(text, 'model.yaml');
    assert.equal(model.scale, 'n');
    assert.equal(model.diagnostics.length, 1);
    assert.equal(model.diagnostics[0]!.severity, 'warning');
    assert.match(model.diagnostics[0]!.message, /no model scale passed.*assuming scale='n'/);
    assert.equal(slice(text, model.diagnostics[0]!.range), 'scales');
  });

  it('does not crash on rows that are not [from, repeats, module, args]', () => {
    const bad = text.replace('  - [-1, 1, Conv, [8, 1, 1]] # 6', '  - [-1, 1, Conv] # 6\n  - 7');
    const d = buildUltralyticsModel(bad, 'yolo99s-tiny-cls.yaml').diagnostics;
    assert.ok(d.some((x) => /this one has 3 items/.test(x.message)));
    assert.ok(d.some((x) => /this one has not a list/.test(x.message)));
  });
});

describe('Ultralytics: format and naming', () => {
  it('recognises the format', () => {
    assert.equal(isUltralyticsYaml(read('tiny-detect.yaml')), true);
    assert.equal(isUltralyticsYaml(fs.readFileSync(path.join(__dirname, '../../../examples/alexnet.cnn.yaml'), 'utf8')), false);
    assert.equal(isUltralyticsYaml('backbone: 3\nhead: []\n'), false);
  });

  it("reads the scale from Ultralytics' file names", () => {
    assert.deepEqual(scaleFromFileName('yolov8n.yaml'), { scale: 'n', unifiedName: 'yolov8.yaml' });
    assert.deepEqual(scaleFromFileName('models/yolo11s-seg.yaml'), { scale: 's', unifiedName: 'yolo11-seg.yaml' });
    assert.deepEqual(scaleFromFileName('yolov8x6.yaml'), { scale: 'x', unifiedName: 'yolov8-p6.yaml' });
    assert.deepEqual(scaleFromFileName('yolov8.yaml'), { scale: undefined, unifiedName: 'yolov8.yaml' });
    assert.deepEqual(scaleFromFileName('yolov9c.yaml'), { scale: undefined, unifiedName: 'yolov9c.yaml' });
  });

  it('rounds like Python and divides like make_divisible', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 3 * 0.33, 6 * 0.33, 9 * 0.33, 3 * 0.67].map(pyRound), [0, 2, 2, 1, 2, 3, 2]);
    assert.deepEqual(
      [4, 8, 9, 16 * 0.75, 1024 * 1.25].map((x) => makeDivisible(x, 8)),
      [8, 8, 16, 16, 1280],
    );
  });
});

describe('Ultralytics: model-level warnings', () => {
  it('warns when a head is built for another class count than nc', () => {
    const text = read('tiny-detect.yaml').replace('Detect, [nc]', 'Detect, [5]');
    const d = buildUltralyticsModel(text, 'tiny-detect.yaml').diagnostics;
    assert.equal(d.length, 1);
    assert.match(d[0]!.message, /row 2: Detect is built for 5 classes but nc is 2/);
    assert.equal(text.slice(d[0]!.range.startOffset, d[0]!.range.endOffset), '5');
  });

  it('warns when the image size is not a multiple of the largest stride', () => {
    // tiny-detect's only level is at stride 4: 256 / 64.
    const d = buildUltralyticsModel(read('tiny-detect.yaml'), 'tiny-detect.yaml', { imgsz: 642 }).diagnostics;
    assert.equal(d.length, 1);
    assert.match(
      d[0]!.message,
      /image size 642 is not a multiple of the model's largest stride 4: 642 \/ 4 = 160.5; Ultralytics rounds it up to 644/,
    );
  });
});

describe('Ultralytics: bad input never crashes', () => {
  const BAD: unknown[] = [null, -100, 0, -1, 1.5, 'x', 'nn.Foo', [], [1, 2], [-1, 99], [[]], { a: 1 }, true, 1e9];

  for (const fixture of ['yolo99-tiny-cls.yaml', 'tiny-detect.yaml']) {
    it(`${fixture}: every row field and argument replaced by a bad value gives diagnostics, not an exception`, () => {
      const doc = YAML.parse(read(fixture)) as { backbone: unknown[][]; head: unknown[][] };
      let cases = 0;
      for (const section of ['backbone', 'head'] as const) {
        doc[section].forEach((row, r) => {
          const variants: unknown[][] = [];
          for (let field = 0; field < 4; field++) for (const bad of BAD) variants.push(row.map((v, k) => (k === field ? bad : v)));
          const args = row[3] as unknown[];
          args.forEach((_, a) => {
            for (const bad of BAD) variants.push([row[0], row[1], row[2], args.map((v, k) => (k === a ? bad : v))]);
          });
          variants.push(row.slice(0, 2), [...row, 1]);
          for (const variant of variants) {
            const mutated = { ...doc, [section]: doc[section].map((x, k) => (k === r ? variant : x)) };
            const text = YAML.stringify(mutated);
            cases++;
            let model;
            try {
              model = buildUltralyticsModel(text, fixture);
            } catch (e) {
              assert.fail(`${section}[${r}] = ${JSON.stringify(variant)} threw ${(e as Error).stack}`);
            }
            for (const d of model.diagnostics) {
              assert.ok(d.range.startOffset >= 0 && d.range.endOffset <= text.length && d.message.length > 0);
            }
          }
        });
      }
      assert.ok(cases > 200);
    });
  }

  it('files that are not a model give diagnostics', () => {
    for (const text of [
      '',
      'a: 1',
      '- 1\n- 2',
      'backbone: []\nhead: []',
      'nc: 2\nbackbone:\n  - [-1, 1, Conv, [8]]\nhead: 3',
      'backbone: [[-1, 1, Conv, [8]]]\nhead: [[[0], 1, Detect, [nc]]]\nnc: "many"\nscales: {n: [1]}\nch: -3\nactivation: relu',
    ]) {
      const model = buildUltralyticsModel(text, 'x.yaml');
      assert.ok(Array.isArray(model.diagnostics));
    }
    const bad = buildUltralyticsModel(
      'backbone: [[-1, 1, Conv, [8]]]\nhead: [[[0], 1, Detect, [nc]]]\nnc: "many"\nch: -3\nactivation: relu',
      'x.yaml',
    );
    assert.deepEqual(
      bad.diagnostics.map((d) => d.message.split(',')[0]),
      [
        'nc must be a positive integer (number of classes)',
        'ch must be a positive integer (input channels)',
        'activation "relu" is not one of nn.SiLU()',
      ],
    );
  });
});
