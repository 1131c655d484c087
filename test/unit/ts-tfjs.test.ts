// The TensorFlow.js front end on hand-written code: the ways a model is built and imported,
// TensorFlow's names and semantics, diagnostics on the TypeScript property, TF 'same' hover facts,
// and what is not followed (loops, helpers, unknown conditions) becoming quiet unknowns.

import { strict as assert } from 'node:assert';
import * as ts from 'typescript';
import { toDisplayShape, type AnalysisResult, type Range } from '../../src/core';
import { analyzeSource } from '../../src/core';

function analyze(text: string, file = 'model.ts'): AnalysisResult {
  return analyzeSource(file, text, () => ts);
}

function textAt(text: string, range: Range): string {
  return text.split('\n')[range.start.line]!.slice(range.start.character, range.end.character);
}

function layers(result: AnalysisResult) {
  const model = result.model!;
  return model.layers.map((l) => [l.name, l.kind, toDisplayShape(model, l.outputShape), Number(l.params)]);
}

const codes = (result: AnalysisResult) => result.diagnostics.map((d) => d.code);

describe('TensorFlow.js front end', () => {
  it('reads tf.sequential with model.add, TensorFlow names, NHWC shapes and fused activations', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.conv2d({inputShape: [32, 32, 3], filters: 8, kernelSize: 3, activation: 'relu'}));
model.add(tf.layers.conv2d({filters: 8, kernelSize: 3, name: 'named'}));
model.add(tf.layers.conv2d({filters: 8, kernelSize: 3}));
model.add(tf.layers.batchNormalization());
model.add(tf.layers.globalAveragePooling2d({}));
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
`;
    const result = analyze(text);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(layers(result), [
      ['conv2d_Conv2D1', 'conv2d', [1, 30, 30, 8], 224],
      ['conv2d_Conv2D1/relu', 'relu', [1, 30, 30, 8], 0],
      ['named', 'conv2d', [1, 28, 28, 8], 584],
      ['conv2d_Conv2D2', 'conv2d', [1, 26, 26, 8], 584],
      ['batch_normalization_BatchNormalization1', 'tf_batchnorm', [1, 26, 26, 8], 32],
      ['global_average_pooling2d_GlobalAveragePooling2D1', 'global_avgpool2d', [1, 8], 0],
      ['dense_Dense1', 'linear', [1, 10], 90],
      ['dense_Dense1/softmax', 'softmax', [1, 10], 0],
    ]);
    const model = result.model!;
    assert.equal(model.framework, 'tfjs');
    assert.deepEqual(toDisplayShape(model, model.input), [1, 32, 32, 3]);
    assert.equal(textAt(text, model.spec.input!.range), '[32, 32, 3]');
  });

  it('reads named imports, require() and plain JavaScript', () => {
    const named = analyze(`import { layers, sequential } from '@tensorflow/tfjs';
export const m = sequential({layers: [layers.dense({inputShape: [4], units: 2})]});`);
    assert.deepEqual(layers(named), [['dense_Dense1', 'linear', [1, 2], 10]]);
    const required = analyze(
      `const tf = require('@tensorflow/tfjs-node');
const m = tf.sequential({layers: [tf.layers.dense({batchInputShape: [8, 4], units: 2})]});`,
      'model.js',
    );
    assert.deepEqual(layers(required), [['dense_Dense1', 'linear', [8, 2], 10]]);
    const unrelated = analyze(`const tf = { sequential: (x: unknown) => x, layers: {} };\nconst m = tf.sequential({});`);
    assert.equal(unrelated.model, undefined, 'a local object named tf is not TensorFlow.js');
  });

  it('follows functional models: let reassignments, add, concatenate along NHWC axes, pruned branches', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
export function build() {
  const input = tf.input({shape: [16, 16, 4]});
  let x = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same'}).apply(input) as tf.SymbolicTensor;
  const skip = x;
  x = tf.layers.conv2d({filters: 4, kernelSize: 1}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add().apply([skip, x]) as tf.SymbolicTensor;
  const side = tf.layers.dense({units: 3}).apply(x);
  const wide = tf.layers.concatenate({axis: 2}).apply([x, skip]) as tf.SymbolicTensor;
  const deep = tf.layers.concatenate().apply([wide, wide]) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: deep});
}`;
    const result = analyze(text);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(layers(result), [
      ['conv2d_Conv2D1', 'conv2d', [1, 16, 16, 4], 148],
      ['conv2d_Conv2D2', 'conv2d', [1, 16, 16, 4], 20],
      ['add_Add1', 'add', [1, 16, 16, 4], 0],
      ['concatenate_Concatenate1', 'concat', [1, 16, 32, 4], 0],
      ['concatenate_Concatenate2', 'concat', [1, 16, 32, 8], 0],
    ]);
    const add = result.model!.byName.get('add_Add1')!;
    assert.deepEqual(
      add.spec.from!.refs.map((r) => [r.name, textAt(text, r.range)]),
      [
        ['conv2d_Conv2D1', 'skip'],
        ['conv2d_Conv2D2', 'x'],
      ],
    );
  });

  it('maps TensorFlow-only layers: separable, depthwise, transposed conv, zero padding, upsampling, pooling', () => {
    const result = analyze(`import * as tf from '@tensorflow/tfjs';
const m = tf.sequential({layers: [
  tf.layers.separableConv2d({inputShape: [9, 9, 3], filters: 5, kernelSize: 3, depthMultiplier: 2}),
  tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, useBias: false}),
  tf.layers.conv2dTranspose({filters: 2, kernelSize: 3, strides: 2, padding: 'same'}),
  tf.layers.zeroPadding2d({padding: [[1, 2], [0, 1]]}),
  tf.layers.upSampling2d({size: [2, 1], interpolation: 'bilinear'}),
  tf.layers.averagePooling2d({poolSize: 3, strides: 2, padding: 'same'}),
  tf.layers.leakyReLU(),
  tf.layers.flatten(),
]});`);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(layers(result), [
      ['separable_conv2d_SeparableConv2D1', 'separable_conv2d', [1, 7, 7, 5], 89],
      ['depthwise_conv2d_DepthwiseConv2D1', 'depthwise_conv2d', [1, 5, 5, 10], 90],
      ['conv2d_transpose_Conv2DTranspose1', 'tf_conv_transpose2d', [1, 10, 10, 2], 182],
      ['zero_padding2d_ZeroPadding2D1', 'zero_padding2d', [1, 13, 11, 2], 0],
      ['up_sampling2d_UpSampling2D1', 'upsample', [1, 26, 11, 2], 0],
      ['average_pooling2d_AveragePooling2D1', 'tf_avgpool2d', [1, 13, 6, 2], 0],
      ['leaky_re_lu_LeakyReLU1', 'leaky_relu', [1, 13, 6, 2], 0],
      ['flatten_Flatten1', 'flatten', [1, 156], 0],
    ]);
    assert.equal(result.model!.byName.get('leaky_re_lu_LeakyReLU1')!.attrs.negative_slope, 0.3, "TensorFlow's default alpha");
  });

  it("adds a hover fact where TensorFlow's 'same' padding is asymmetric", () => {
    const result = analyze(`import * as tf from '@tensorflow/tfjs';
const m = tf.sequential({layers: [
  tf.layers.maxPooling2d({inputShape: [224, 224, 3], poolSize: 2, strides: 2, padding: 'same'}),
  tf.layers.separableConv2d({filters: 8, kernelSize: 5, strides: 2, padding: 'same'}),
]});`);
    const pool = result.model!.layers[0]!;
    assert.equal(
      pool.facts.some((f) => f.label === 'TF same'),
      false,
      'symmetric: no fact',
    );
    const conv = result.model!.layers[1]!;
    assert.deepEqual(toDisplayShape(result.model!, conv.outputShape), [1, 56, 56, 8]);
    const fact = conv.facts.find((f) => f.label === 'TF same');
    assert.ok(fact, JSON.stringify(conv.facts));
    assert.equal(
      fact.value,
      'H and W: pads 1 before and 2 after; symmetric padding 1 would give 55 instead of 56; symmetric 2 gives 56 too, but every window starts one pixel earlier than in TensorFlow (ported weights would see a shifted image)',
    );
  });

  it('points diagnostics at the TypeScript property, with TensorFlow names in messages', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
const m = tf.sequential({layers: [
  tf.layers.conv2d({inputShape: [8, 8, 1], filters: 0, kernelSize: 3}),
]});
const n = tf.sequential({layers: [
  tf.layers.conv2d({inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 2, dilationRate: 2}),
  tf.layers.conv2d({filters: 4, kernelSize: 9}),
  tf.layers.dense({units: 3, activation: 'rellu', kernelSize: 3}),
]});`;
    const first = analyze(text);
    const invalid = first.diagnostics.find((d) => d.code === 'param.invalid-value')!;
    assert.equal(textAt(text, invalid.range), '0');
    assert.match(invalid.message, /filters must be a positive integer, got 0/);
    assert.ok(first.diagnostics.some((d) => d.code === 'tfjs.multiple-models'));
    // The second model, on its own:
    const second = text.replace(/const m = [\s\S]*?\]\}\);\n/, '');
    const result = analyze(second);
    const at = (code: string) => {
      const d = result.diagnostics.find((x) => x.code === code);
      assert.ok(d, `no ${code}: ${codes(result).join(', ')}`);
      return textAt(second, d.range);
    };
    assert.equal(at('tfjs.strides-and-dilation'), '2');
    assert.equal(at('conv.non-positive-output'), '9');
    assert.equal(at('tfjs.unknown-activation'), "'rellu'");
    assert.equal(at('tfjs.unknown-arg'), 'kernelSize');
    const activation = result.diagnostics.find((d) => d.code === 'tfjs.unknown-activation')!;
    assert.equal(activation.fixes?.[0]?.edits[0]?.newText, "'relu'");
  });

  it('requires an input shape on the first sequential layer and reads batchInputShape and inputDim', () => {
    const missing = analyze(`import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 2})]});`);
    assert.deepEqual(codes(missing), ['tfjs.missing-input-shape']);
    const dim = analyze(
      `import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({inputDim: 7, units: 2})]});`,
    );
    assert.deepEqual(toDisplayShape(dim.model!, dim.model!.input), [1, 7]);
    const variable = analyze(
      `import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.conv2d({inputShape: [null, null, 3], filters: 2, kernelSize: 3})]});`,
    );
    assert.deepEqual(
      variable.diagnostics.map((d) => [d.severity, d.code]),
      [['info', 'tfjs.variable-input']],
    );
  });

  it('follows if statements with constant conditions; other control flow and helpers become unknown', () => {
    const text = `import * as tf from '@tensorflow/tfjs';
const USE_BN = true;
declare function addBlock(m: unknown, n: number): void;
export function build(n: number) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [8, 8, 1], filters: 2, kernelSize: 3}));
  if (USE_BN) model.add(tf.layers.batchNormalization());
  else model.add(tf.layers.dropout({rate: 0.5}));
  if (n > 2) {
    model.add(tf.layers.flatten());
  }
  addBlock(model, 3);
  model.add(tf.layers.dense({units: 2}));
  return model;
}`;
    const result = analyze(text);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code]),
      [
        ['info', 'ts.unresolved'],
        ['info', 'ts.unresolved'],
      ],
    );
    assert.deepEqual(
      result.model!.layers.map((l) => [l.name, l.kind]),
      [
        ['conv2d_Conv2D1', 'conv2d'],
        ['batch_normalization_BatchNormalization1', 'tf_batchnorm'],
        ['unresolved_1', 'unresolved'],
        ['unresolved_2', 'unresolved'],
        ['dense_Dense1', 'linear'],
      ],
    );
    assert.equal(result.model!.byName.get('dense_Dense1')!.outputShape, null);
    assert.match(
      result.diagnostics[0]!.message,
      /`model.add\(tf.layers.flatten\(\)\)` adds a layer inside `if \(n > 2\)`, whose condition is not known statically/,
    );
    assert.match(result.diagnostics[1]!.message, /`addBlock\(model, 3\)` is a function call that receives the model and may add layers/);
  });

  it('reports unsupported layers and options, shared layers, extra inputs and ignored arguments as info', () => {
    const result = analyze(`import * as tf from '@tensorflow/tfjs';
const input = tf.input({shape: [8, 8, 2]});
const other = tf.input({shape: [8, 8, 2]});
const conv = tf.layers.conv2d({filters: 2, kernelSize: 1});
const a = conv.apply(input) as tf.SymbolicTensor;
const b = conv.apply(a) as tf.SymbolicTensor;
const c = tf.layers.conv2d({filters: 2, kernelSize: 1, dataFormat: 'channelsFirst'}).apply(b) as tf.SymbolicTensor;
const d = tf.layers.add().apply([c, other]) as tf.SymbolicTensor;
const e = tf.layers.depthwiseConv2d({kernelSize: 3, dilationRate: 2}).apply(d) as tf.SymbolicTensor;
const f = tf.layers.reshape({targetShape: [8]}).apply(e);
export const model = tf.model({inputs: [input, other], outputs: f});`);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code]),
      [
        ['info', 'tfjs.shared-layer'],
        ['info', 'tfjs.unsupported-arg'],
        ['info', 'ts.unresolved'],
        ['warning', 'tfjs.ignored-arg'],
        ['info', 'tfjs.unsupported-layer'],
      ],
    );
    assert.match(result.diagnostics[2]!.message, /second model input/);
  });

  it('mirrors TensorFlow naming: explicit names take no number, every construction counts', () => {
    const result = analyze(`import * as tf from '@tensorflow/tfjs';
const unused = tf.layers.dense({units: 1});
const m = tf.sequential({layers: [
  tf.layers.dense({inputShape: [3], units: 4, name: 'first'}),
  tf.layers.dense({units: 4}),
  tf.layers.reLU(),
  tf.layers.dense({units: 4, name: \`dense_\${2 + 1}\`}),
]});`);
    assert.deepEqual(
      result.model!.layers.map((l) => l.name),
      ['first', 'dense_Dense2', 're_lu_ReLU1', 'dense_3'],
    );
  });
});
