// Analyzer behaviour checked against hand calculations: diagnostics (code, range, numbers in the
// message), quick fixes, receptive fields, im2col, memory and exact big counts.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeYaml, type Diagnostic, type TextEdit } from '../../src/core';
import { formatAxisFormula } from '../../src/core/format';
import { computeWindowAxis } from '../../src/core/geometry';
import { reportJson, stringifyJson } from '../../src/core/analyze/report';

const EXAMPLES = path.join(__dirname, '../../../examples');

function model(layers: string, input = '[1, 3, 28, 28]'): string {
  return `input: ${input}\nlayers:\n${layers}`;
}

/** The text a diagnostic's range covers. */
function covered(text: string, d: { range: Diagnostic['range'] }): string {
  const lines = text.split('\n');
  const { start, end } = d.range;
  if (start.line === end.line) return lines[start.line]!.slice(start.character, end.character);
  return [
    lines[start.line]!.slice(start.character),
    ...lines.slice(start.line + 1, end.line),
    lines[end.line]!.slice(0, end.character),
  ].join('\n');
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got: ${diagnostics.map((d) => `${d.code}: ${d.message}`).join(' | ')}`);
  return found[0]!;
}

describe('output-size formula text', () => {
  it('works the numbers out as in the product description', () => {
    const axis = computeWindowAxis({ input: 224, kernel: 7, stride: 2, padding: 3, dilation: 1 });
    assert.equal(formatAxisFormula(axis), '(224 + 2·3 − 7) / 2 + 1 = 112.5 → 112');
  });
  it('shows dilation, exact results and ceil_mode’s last-window rule', () => {
    assert.equal(
      formatAxisFormula(computeWindowAxis({ input: 32, kernel: 3, stride: 1, padding: 2, dilation: 2 })),
      '(32 + 2·2 − 2·(3−1) − 1) / 1 + 1 = 32',
    );
    // PyTorch: MaxPool2d(2, stride=2, padding=1, ceil_mode=True) on 5 → ceil(4/2)+1 = 4, and the
    // 4th window would start at 6 ≥ 5 + 1, so 3.
    const pool = computeWindowAxis({ input: 5, kernel: 2, stride: 2, padding: 1, dilation: 1, ceilMode: true });
    assert.equal(pool.output, 3);
    assert.ok(pool.ceilAdjusted);
    assert.match(formatAxisFormula(pool), /^\(5 \+ 2·1 − 2\) \/ 2 \+ 1 = 3\.5 → ⌈⌉ 4 − 1 = 3/);
  });
  it('puts the odd element of "same" padding at the end', () => {
    const axis = computeWindowAxis({ input: 10, kernel: 4, stride: 1, padding: 'same', dilation: 1 });
    assert.deepEqual([axis.padBefore, axis.padAfter, axis.output], [1, 2, 10]);
    assert.equal(formatAxisFormula(axis), '(10 + 1 + 2 − 4) / 1 + 1 = 10');
  });
});

describe('diagnostics', () => {
  it('warns about an inexact division, quoting the numbers and the dropped row', () => {
    const text = model('  - name: conv1\n    conv2d: {out_channels: 8, kernel_size: 5, stride: 2}\n');
    const result = analyzeYaml(text);
    const warnings = result.diagnostics.filter((d) => d.code === 'conv.inexact-division');
    assert.equal(warnings.length, 2); // height and width
    assert.equal(warnings[0]!.severity, 'warning');
    assert.equal(covered(text, warnings[0]!), '2');
    assert.match(
      warnings[0]!.message,
      /\(28 \+ 2·0 − 5\) \/ 2 \+ 1 = 12\.5 is not an integer; PyTorch floors it to 12 and the last 1 row of the input is never read/,
    );
    assert.deepEqual(result.model!.layers[0]!.outputShape, [1, 8, 12, 12]);
  });

  it('offers the paddings that make the division exact when one exists', () => {
    // (20 + 2P − 3) / 3 + 1: P = 2 gives 21/3 = 7 exactly; P = 0 gives 17/3.
    const text = model('  - conv2d: {out_channels: 4, kernel_size: 3, stride: 3}\n', '[1, 3, 20, 20]');
    const warning = analyzeYaml(text).diagnostics.find((d) => d.code === 'conv.inexact-division')!;
    assert.match(warning.message, /padding 2 would make it exact/);
    const fixed = applyEdits(text, warning.fixes![0]!.edits);
    assert.match(fixed, /conv2d: \{out_channels: 4, kernel_size: 3, stride: 3, padding: 2\}/);
    const after = analyzeYaml(fixed);
    assert.equal(after.diagnostics.length, 0);
    assert.deepEqual(after.model!.outputShape, [1, 4, 8, 8]);
  });

  it('does not warn when only padding is left unread (ResNet stem)', () => {
    const text = model('  - conv2d: {out_channels: 64, kernel_size: 7, stride: 2, padding: 3}\n', '[1, 3, 224, 224]');
    const result = analyzeYaml(text);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.model!.outputShape, [1, 64, 112, 112]);
  });

  it('reports a kernel larger than the padded input as a non-positive output', () => {
    const text = model('  - conv2d: {out_channels: 8, kernel_size: 9, padding: 1}\n', '[1, 3, 6, 6]');
    const d = analyzeYaml(text).diagnostics.filter((x) => x.code === 'conv.non-positive-output');
    assert.equal(d.length, 2);
    assert.equal(covered(text, d[0]!), '9');
    assert.match(d[0]!.message, /\(6 \+ 2·1 − 9\) \/ 1 \+ 1 = 0 is not positive: the kernel 9 is larger than the padded input height 8/);
  });

  it('rejects pooling padding over half the kernel, as PyTorch does', () => {
    const text = model('  - maxpool2d: {kernel_size: 3, padding: 2}\n');
    const d = only(analyzeYaml(text).diagnostics, 'pool.padding-too-large');
    assert.equal(covered(text, d), '2');
    assert.match(d.message, /padding 2 is larger than half the kernel \(3 \/ 2 = 1\)/);
    assert.equal(applyEdits(text, d.fixes![0]!.edits).includes('padding: 1'), true);
  });

  it("rejects padding 'same' with stride 2", () => {
    const text = model('  - conv2d: {out_channels: 8, kernel_size: 3, stride: 2, padding: same}\n');
    const d = only(analyzeYaml(text).diagnostics, 'conv.same-with-stride');
    assert.equal(covered(text, d), 'same');
  });

  it('rejects groups that do not divide the channels and suggests a divisor', () => {
    const text = model('  - conv2d: {out_channels: 12, kernel_size: 3, groups: 2}\n'); // 3 input channels
    const d = only(analyzeYaml(text).diagnostics, 'conv.groups-mismatch');
    assert.equal(covered(text, d), '2');
    assert.match(d.message, /groups 2 does not divide in_channels 3/);
    assert.equal(d.fixes![0]!.edits[0]!.newText, '3'); // 3 divides both 3 and 12
  });

  it('checks a written in_channels and fixes it', () => {
    const text = model('  - conv2d: {out_channels: 8, kernel_size: 3}\n  - conv2d: {out_channels: 8, kernel_size: 3, in_channels: 3}\n');
    const result = analyzeYaml(text);
    const d = only(result.diagnostics, 'conv.channel-mismatch');
    assert.equal(covered(text, d), '3');
    assert.match(d.message, /in_channels is 3, but the input conv2d_1 has 8 channels/);
    assert.equal(d.related?.length, 1);
    assert.equal(analyzeYaml(applyEdits(text, d.fixes![0]!.edits)).diagnostics.length, 0);
  });

  it('flags add inputs with different channels and points at the reference', () => {
    const text = model('  - name: a\n    conv2d: {out_channels: 8, kernel_size: 1}\n  - name: s\n    add: {}\n    from: [a, input]\n');
    const d = only(analyzeYaml(text).diagnostics, 'add.channel-mismatch');
    assert.equal(covered(text, d), 'input');
    assert.match(d.message, /cannot add a \[1, 8, 28, 28\] and input \[1, 3, 28, 28\] \(8 vs 3 channels\)/);
    assert.equal(d.related?.length, 2);
  });

  it('concatenates along dim and rejects disagreement elsewhere', () => {
    const ok = analyzeYaml(model('  - name: a\n    conv2d: {out_channels: 5, kernel_size: 1}\n  - concat: {}\n    from: [a, input]\n'));
    assert.deepEqual(ok.model!.outputShape, [1, 8, 28, 28]);
    const text = model('  - name: a\n    maxpool2d: {kernel_size: 2}\n  - concat: {dim: 1}\n    from: [a, input]\n');
    const d = only(analyzeYaml(text).diagnostics, 'concat.shape-mismatch');
    assert.match(d.message, /dimension 2 differs: 14 vs 28/);
  });

  it('warns about linear after a 4-D tensor and inserts the missing flatten', () => {
    const text = model('  - conv2d: {out_channels: 4, kernel_size: 3}\n  - linear: {out_features: 10}\n');
    const result = analyzeYaml(text);
    const d = only(result.diagnostics, 'linear.unflattened-input');
    assert.equal(d.severity, 'warning');
    // PyTorch applies Linear to the last dimension: [1, 4, 26, 26] → [1, 4, 26, 10].
    assert.deepEqual(result.model!.outputShape, [1, 4, 26, 10]);
    const fixed = applyEdits(text, d.fixes![0]!.edits);
    assert.match(fixed, / {2}- flatten: \{\}\n {2}- linear: \{out_features: 10\}/);
    const after = analyzeYaml(fixed);
    assert.deepEqual(after.diagnostics, []);
    assert.deepEqual(after.model!.outputShape, [1, 10]);
    assert.equal(after.model!.layers[2]!.params, 4n * 26n * 26n * 10n + 10n);
  });

  it('rejects zero, negative and fractional stride, kernel and dilation', () => {
    for (const [param, value] of [
      ['stride', '0'],
      ['kernel_size', '-3'],
      ['dilation', '1.5'],
      ['kernel_size', '[3, 0]'],
    ] as const) {
      const params = param === 'kernel_size' ? `kernel_size: ${value}` : `kernel_size: 3, ${param}: ${value}`;
      const text = model(`  - conv2d: {out_channels: 4, ${params}}\n`);
      const d = only(analyzeYaml(text).diagnostics, 'param.invalid-value');
      assert.equal(covered(text, d), value);
      assert.match(d.message, new RegExp(`${param} must be a positive integer`));
    }
  });

  it('suggests the right spelling of a key and of a kind', () => {
    const text = model('  - conv2d: {out_channels: 4, kernel_sise: 3}\n  - reluu: {}\n');
    const result = analyzeYaml(text);
    const key = only(result.diagnostics, 'param.unknown');
    assert.equal(covered(text, key), 'kernel_sise');
    assert.match(key.message, /did you mean 'kernel_size'\?/);
    const kind = only(result.diagnostics, 'layer.unknown-kind');
    assert.equal(covered(text, kind), 'reluu');
    assert.equal(kind.fixes![0]!.edits[0]!.newText, 'relu');
  });

  it('detects unknown references, forward references, self references and duplicates', () => {
    const text = model(
      [
        '  - name: a\n    relu: {}\n    from: b',
        '  - name: b\n    relu: {}\n    from: b',
        '  - name: c\n    relu: {}\n    from: nope',
        '  - name: a\n    relu: {}',
      ].join('\n') + '\n',
    );
    const d = analyzeYaml(text).diagnostics;
    assert.equal(covered(text, only(d, 'graph.forward-ref')), 'b');
    assert.equal(covered(text, only(d, 'graph.cycle')), 'b');
    assert.equal(covered(text, only(d, 'graph.unknown-ref')), 'nope');
    assert.equal(covered(text, only(d, 'graph.duplicate-name')), 'a');
  });

  it('does not cascade: layers after an error have no shape and no diagnostics of their own', () => {
    const text = model(
      '  - conv2d: {out_channels: 4, kernel_size: 99}\n  - conv2d: {out_channels: 4, kernel_size: 3}\n  - linear: {out_features: 3}\n',
    );
    const result = analyzeYaml(text);
    assert.deepEqual(new Set(result.diagnostics.map((d) => d.layer)), new Set(['conv2d_1']));
    assert.deepEqual(
      result.model!.layers.map((l) => l.outputShape),
      [null, null, null],
    );
  });

  it('turns a YAML syntax error into a diagnostic at its position and keeps what it can', () => {
    const text = 'input: [1, 3, 28, 28]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: 3\n  - relu: {}\n';
    const result = analyzeYaml(text);
    const syntax = result.diagnostics.filter((d) => d.code === 'yaml.syntax');
    assert.ok(syntax.length >= 1);
    assert.ok(syntax[0]!.range.start.line >= 2);
    assert.ok(result.model, 'the model is still returned');
  });

  it('reports a missing input and an unknown dataset', () => {
    assert.ok(analyzeYaml('layers:\n  - relu: {}\n').diagnostics.some((d) => d.code === 'model.missing-input'));
    const text = 'input: {dataset: cocoo}\nlayers:\n  - relu: {}\n';
    const d = only(analyzeYaml(text).diagnostics, 'input.unknown-dataset');
    assert.equal(covered(text, d), 'cocoo');
    assert.match(d.message, /did you mean 'coco'/);
  });

  it('reads dataset presets as inputs', () => {
    const result = analyzeYaml('input: {dataset: coco}\nlayers:\n  - conv2d: {out_channels: 8, kernel_size: 3, padding: 1}\n');
    assert.deepEqual(result.model!.input, [1, 3, 480, 640]);
    assert.deepEqual(result.model!.outputShape, [1, 8, 480, 640]);
  });
});

describe('per-layer facts', () => {
  it('computes receptive field size, jump and start by hand', () => {
    // conv 3×3 s1 p1 → r 3, j 1; maxpool 2 s2 → r 4, j 2; conv 3×3 s1 p1 → r 4 + 2·2 = 8, j 2.
    const result = analyzeYaml(
      model(
        '  - conv2d: {out_channels: 4, kernel_size: 3, padding: 1}\n  - maxpool2d: {kernel_size: 2}\n  - conv2d: {out_channels: 4, kernel_size: 3, padding: 1}\n',
        '[1, 3, 32, 32]',
      ),
    );
    const rf = result.model!.layers.map((l) => l.receptiveField!);
    assert.deepEqual(
      rf.map((r) => r.size[0]),
      [3, 4, 8],
    );
    assert.deepEqual(
      rf.map((r) => r.jump[0]),
      [1, 2, 2],
    );
    // start: 0.5 + (1 − 1)·1 = 0.5; 0.5 + (0.5 − 0)·1 = 1; 1 + (1 − 1)·2 = 1.
    assert.deepEqual(
      rf.map((r) => r.start[0]),
      [0.5, 1, 1],
    );
  });

  it('gives the im2col matrix (N·OH·OW) × (C·FH·FW) and its float32 memory', () => {
    const result = analyzeYaml(model('  - conv2d: {out_channels: 64, kernel_size: 7, stride: 2, padding: 3}\n', '[2, 3, 224, 224]'));
    const layer = result.model!.layers[0]!;
    assert.equal(layer.im2col!.rows, 2n * 112n * 112n);
    assert.equal(layer.im2col!.cols, 3 * 7 * 7);
    assert.equal(layer.im2col!.bytes, 2n * 112n * 112n * 147n * 4n);
    assert.equal(layer.activationBytes, 2n * 64n * 112n * 112n * 4n);
    assert.equal(layer.macs, 2n * 64n * 112n * 112n * 3n * 49n);
  });

  it('honours a batch-size override and bytes per element', () => {
    const result = analyzeYaml(model('  - conv2d: {out_channels: 2, kernel_size: 3}\n'), { batchSize: 8, bytesPerElement: 2 });
    assert.deepEqual(result.model!.outputShape, [8, 2, 26, 26]);
    assert.equal(result.model!.layers[0]!.activationBytes, 8n * 2n * 26n * 26n * 2n);
  });

  it('keeps counts past 2^53 exact, in memory and in JSON', () => {
    // 64·112·112·3·49 MACs per image × N = 10^9 images = 118,013,952 × 10^9 > 2^53.
    const result = analyzeYaml(
      model('  - conv2d: {out_channels: 64, kernel_size: 7, stride: 2, padding: 3, bias: false}\n', '[1000000000, 3, 224, 224]'),
    );
    const expected = 118013952n * 1000000000n;
    assert.ok(expected > 2n ** 53n);
    assert.equal(result.model!.totalMacs, expected);
    const json = stringifyJson(reportJson([{ file: 'big.cnn.yaml', result }]));
    assert.ok(json.includes(`"total_macs":${expected.toString()}`), json.slice(0, 300));
  });
});

describe('examples', () => {
  it('the mistakes file shows every diagnostic family', () => {
    const text = readFileSync(path.join(EXAMPLES, 'mistakes.cnn.yaml'), 'utf8');
    const codes = new Set(analyzeYaml(text).diagnostics.map((d) => d.code));
    for (const code of [
      'conv.inexact-division',
      'conv.channel-mismatch',
      'param.unknown',
      'conv.groups-mismatch',
      'conv.same-with-stride',
      'conv.non-positive-output',
      'param.invalid-value',
      'pool.padding-too-large',
      'layer.unknown-kind',
      'add.channel-mismatch',
      'concat.shape-mismatch',
      'graph.unknown-ref',
      'graph.forward-ref',
      'graph.duplicate-name',
      'linear.unflattened-input',
    ]) {
      assert.ok(codes.has(code), `mistakes.cnn.yaml should show ${code}`);
    }
  });

  it('LeNet-5 has the contract’s figures: 61,706 params and 416,520 MACs', () => {
    const result = analyzeYaml(readFileSync(path.join(EXAMPLES, 'lenet5.cnn.yaml'), 'utf8'));
    assert.deepEqual(result.diagnostics, []);
    // conv1 6·(1·5·5)+6 = 156; conv2 16·(6·25)+16 = 2416; fc 400·120+120, 120·84+84, 84·10+10.
    assert.equal(result.model!.totalParams, 156n + 2416n + 48120n + 10164n + 850n);
    // conv1 6·28·28·25 = 117600; conv2 16·10·10·150 = 240000; fc 48000 + 10080 + 840.
    assert.equal(result.model!.totalMacs, 117600n + 240000n + 48000n + 10080n + 840n);
  });

  for (const file of ['alexnet.cnn.yaml', 'vgg11.cnn.yaml', 'resnet-mini.cnn.yaml']) {
    it(`${file} analyzes without diagnostics`, () => {
      const result = analyzeYaml(readFileSync(path.join(EXAMPLES, file), 'utf8'));
      assert.deepEqual(result.diagnostics, []);
      assert.ok(result.model!.outputShape);
    });
  }
});

describe('insert-flatten fix with `from`', () => {
  it('routes the referenced input through the new flatten', () => {
    const text = model(
      '  - name: a\n    conv2d: {out_channels: 4, kernel_size: 3}\n  - relu: {}\n  - name: fc\n    linear: {out_features: 10}\n    from: a\n',
    );
    const d = only(analyzeYaml(text).diagnostics, 'linear.unflattened-input');
    const fixed = applyEdits(text, d.fixes![0]!.edits);
    const after = analyzeYaml(fixed);
    assert.deepEqual(after.diagnostics, [], fixed);
    // a: [1, 4, 26, 26] → flatten 2704 → linear 10.
    assert.deepEqual(after.model!.outputShape, [1, 10]);
    assert.equal(after.model!.byName.get('fc')!.params, 2704n * 10n + 10n);
  });
});
