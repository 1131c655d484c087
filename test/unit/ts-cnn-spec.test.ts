// The *.cnn.ts front end: the same model as YAML analyzes the same, every way of exporting the
// model is found, diagnostics point at the TypeScript property (with YAML's codes and fixes that
// keep the file valid TypeScript), and unresolvable values degrade to info without cascading.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeYaml, type AnalysisResult, type Range } from '../../src/core';
import { analyzeSource } from '../../src/core';

const ROOT = path.join(__dirname, '../../..');

function analyze(text: string, file = 'model.cnn.ts'): AnalysisResult {
  return analyzeSource(file, text, () => ts);
}

function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line]!.slice(range.start.character, range.end.character);
  return [
    lines[range.start.line]!.slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    lines[range.end.line]!.slice(0, range.end.character),
  ].join('\n');
}

function summary(result: AnalysisResult) {
  return result.model!.layers.map((l) => [l.name, l.kind, l.outputShape, String(l.params), String(l.macs)]);
}

const YAML = `name: tiny
input: [1, 3, 32, 32]
layers:
  - name: conv1
    conv2d: {out_channels: 16, kernel_size: 3, padding: 1, bias: false}
  - batchnorm2d: {}
  - relu: {}
  - name: branch
    conv2d: {out_channels: 16, kernel_size: [1, 3], padding: [0, 1]}
    from: relu_3
  - name: sum
    add: {}
    from: [relu_3, branch]
  - name: cat
    concat: {dim: 1}
    from: [sum, conv1]
  - maxpool2d: {kernel_size: 2, stride: 2}
  - adaptive_avgpool2d: {output_size: 1}
  - flatten: {}
  - linear: {out_features: 10}
`;

const TS_MODEL = `import type { ModelSpec } from '../types/convlens-model';
const width = 16;
const stem = [
  { name: 'conv1', conv2d: { out_channels: width, kernel_size: 3, padding: 1, bias: false } },
  { batchnorm2d: {} },
  { relu: {} },
] as const;
export default {
  name: 'tiny',
  input: [1, 3, 2 * width, 32],
  layers: [
    ...stem,
    { name: 'branch', conv2d: { out_channels: width, kernel_size: [1, 3], padding: [0, 1] }, from: 'relu_3' },
    { name: 'sum', add: {}, from: ['relu_3', 'branch'] },
    { name: 'cat', concat: { dim: 1 }, from: ['sum', 'conv1'] },
    { maxpool2d: { kernel_size: 2, stride: 2 } },
    { adaptive_avgpool2d: { output_size: 1 } },
    { flatten: {} },
    { linear: { out_features: 10 } },
  ],
} satisfies ModelSpec;
`;

describe('*.cnn.ts front end', () => {
  it('analyzes exactly like the same model in YAML', () => {
    const fromTs = analyze(TS_MODEL);
    const fromYaml = analyzeYaml(YAML);
    assert.deepEqual(fromTs.diagnostics, []);
    assert.deepEqual(summary(fromTs), summary(fromYaml));
    assert.equal(fromTs.model!.name, 'tiny');
    assert.equal(fromTs.model!.framework, 'pytorch');
    assert.equal(fromTs.model!.layout, 'NCHW');
  });

  it('finds the model as default export, export of a const, a typed const, a satisfies const or export =', () => {
    const body = '{ input: [3, 8, 8], layers: [{ conv2d: { out_channels: 4, kernel_size: 3 } }] }';
    const forms = [
      `export default ${body};`,
      `const m = ${body}; export default m;`,
      `import type { ModelSpec } from './x'; export const m: ModelSpec = ${body};`,
      `import type * as C from './x'; const m: C.ModelSpec = ${body};`,
      `const m = ${body} satisfies ModelSpec;`,
      `const m = (${body}) as ModelSpec;`,
      `export = ${body};`,
    ];
    for (const form of forms) {
      const result = analyze(form);
      assert.deepEqual(result.model?.layers[0]?.outputShape, [1, 4, 6, 6], form);
    }
    const none = analyze('export const notAModel = 3;');
    assert.equal(none.model, undefined);
    assert.deepEqual(
      none.diagnostics.map((d) => [d.severity, d.code]),
      [['error', 'ts.no-model']],
    );
  });

  it('points diagnostics at the offending property, with fixes that keep the file valid TypeScript', () => {
    const text = `export default {
  input: [1, 3, 28, 28],
  layers: [
    { name: 'conv', conv2d: { out_channels: 8, kernel_size: 3, stride: 3 } },
    { name: 'pool', maxpol2d: { kernel_size: 2 } },
    { name: 'fc', linear: { out_features: 10, bogus: 1 } },
  ],
};
`;
    const result = analyze(text);
    const byCode = new Map(result.diagnostics.map((d) => [d.code, d]));
    const inexact = byCode.get('conv.inexact-division')!;
    assert.equal(textAt(text, inexact.range), '3');
    const unknownKind = byCode.get('layer.unknown-kind')!;
    assert.equal(textAt(text, unknownKind.range), 'maxpol2d');
    assert.equal(unknownKind.fixes?.[0]?.edits[0]?.newText, 'maxpool2d');
    const unknownParam = byCode.get('param.unknown')!;
    assert.equal(textAt(text, unknownParam.range), 'bogus');
    // The padding fix inserts `, padding: 1` after the last property: still valid TypeScript.
    const fix = inexact.fixes?.[0];
    assert.ok(fix, 'no padding fix');
    const edit = fix.edits[0]!;
    const lines = text.split('\n');
    const line = lines[edit.range.start.line]!;
    lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    const fixed = lines.join('\n');
    assert.match(fixed, /kernel_size: 3, stride: 3, padding: 1 \}/);
    const again = analyze(fixed);
    assert.ok(
      !again.diagnostics.some((d) => d.code === 'ts.syntax' || d.code === 'conv.inexact-division'),
      JSON.stringify(again.diagnostics),
    );
  });

  it('inserts into an empty parameter object too', () => {
    const text = 'export default { input: [1, 8], layers: [{ linear: {} }] };';
    const result = analyze(text);
    const missing = result.diagnostics.find((d) => d.code === 'param.missing');
    assert.ok(missing);
    assert.equal(textAt(text, missing.range), 'linear');
  });

  it('degrades an unresolvable value to an info on the property, without cascading errors', () => {
    const text = `import { CLASSES } from './labels';
export default {
  input: [1, 3, 32, 32],
  layers: [
    { name: 'conv', conv2d: { out_channels: 8, kernel_size: 3 } },
    { name: 'fc0', linear: { out_features: CLASSES.length } },
    { name: 'fc1', linear: { out_features: 3 }, from: 'fc0' },
    { name: 'bad', linear: { out_features: 2, in_features: 999 } },
  ],
};
`;
    const result = analyze(text);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, d.layer]),
      [['info', 'ts.unresolved', 'fc0']],
    );
    const info = result.diagnostics[0]!;
    assert.equal(textAt(text, info.range), 'CLASSES.length');
    assert.match(info.message, /`CLASSES` is imported from '\.\/labels'/);
    assert.deepEqual(result.model!.byName.get('conv')!.outputShape, [1, 8, 30, 30]);
    for (const name of ['fc0', 'fc1', 'bad']) assert.equal(result.model!.byName.get(name)!.outputShape, null, name);
  });

  it('stands in for an unresolvable spread of layers, and references into it stay quiet', () => {
    const text = `function block(n: number) { return [{ name: 'b' + n, relu: {} }]; }
export default {
  input: [1, 3, 16, 16],
  layers: [
    { name: 'stem', conv2d: { out_channels: 4, kernel_size: 3, padding: 1 } },
    ...block(1),
    { name: 'sum', add: {}, from: ['stem', 'b1'] },
  ],
};
`;
    const result = analyze(text);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code]),
      [['info', 'ts.unresolved']],
    );
    assert.equal(textAt(text, result.diagnostics[0]!.range), '...block(1)');
    assert.deepEqual(
      result.model!.layers.map((l) => [l.name, l.kind, l.outputShape]),
      [
        ['stem', 'conv2d', [1, 4, 16, 16]],
        ['unresolved_2', 'unresolved', null],
        ['sum', 'add', null],
      ],
    );
  });

  it('reads dataset inputs and reports YAML-style input and layer errors', () => {
    assert.deepEqual(analyze("export default { input: { dataset: 'coco' }, layers: [{ relu: {} }] };").model!.input, [1, 3, 480, 640]);
    const bad = analyze("export default { input: { dataset: 'cocoo' }, layers: [{ relu: {}, tanh: {} }, 3, {}] };");
    assert.deepEqual(
      bad.diagnostics.map((d) => d.code),
      ['input.unknown-dataset', 'layer.multiple-kinds', 'layer.not-a-mapping', 'layer.no-kind'],
    );
    const tfKind = analyze('export default { input: [1, 3, 8, 8], layers: [{ relu: {} }, { tf_maxpool2d: {} }] };');
    assert.deepEqual(
      tfKind.diagnostics.map((d) => d.code),
      ['layer.unknown-kind'],
      'TensorFlow-only kinds are not for *.cnn.ts files',
    );
  });

  it('analyzes the shipped example: ResNet-18 stem and stages 1-2 with torchvision’s counts', () => {
    const text = fs.readFileSync(path.join(ROOT, 'examples/resnet-block.cnn.ts'), 'utf8');
    const result = analyze(text, 'resnet-block.cnn.ts');
    assert.deepEqual(result.diagnostics, []);
    const model = result.model!;
    const params = (prefix: string) => model.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + l.params, 0n);
    assert.equal(params('conv1'), 9408n);
    assert.equal(params('layer1.'), 147968n);
    assert.equal(params('layer2.'), 525568n);
    assert.deepEqual(model.outputShape, [1, 128, 28, 28]);
    assert.equal(model.byName.get('conv1')!.macs, 118013952n);
  });

  it('reports TypeScript syntax errors and still reads what parsed', () => {
    const result = analyze('export default { input: [1, 3, 8, 8], layers: [{ relu: {} }, { tanh: {} ] };');
    assert.ok(result.diagnostics.some((d) => d.code === 'ts.syntax' && d.severity === 'error'));
  });
});
