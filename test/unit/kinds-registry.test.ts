// Walks KINDS: every kind's parameter tensors (its definition's paramTensors) agree with the
// parameter count PyTorch / TensorFlow documents for it (hand formulas here, on several shapes),
// and every kind with a kernel allocates, runs and checks its own weights: random weights run to
// the analysed output shape, the same tensors as a state dict pass the check, and a tensor of the
// wrong shape or a missing one is refused with its name.

import * as assert from 'node:assert/strict';
import * as ts from 'typescript';
import {
  analyzeSource,
  analyzeYaml,
  EngineError,
  KERNELS,
  KINDS,
  paramTensorsOf,
  resolveWeights,
  runModel,
  shapeSize,
  tensor,
  type ModelAnalysis,
  type Tensor,
} from '../../src/core';

function analyze(yaml: string): ModelAnalysis {
  const result = analyzeYaml(yaml);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.ok(result.model);
  return result.model;
}

function analyzeTfjs(inputShape: number[], factory: string, config: Record<string, unknown>): ModelAnalysis {
  const text = `import * as tf from '@tensorflow/tfjs';\nexport const model = tf.sequential({layers: [tf.layers.${factory}(${JSON.stringify({ inputShape, ...config })})]});\n`;
  const result = analyzeSource('model.ts', text, () => ts);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.ok(result.model);
  return result.model;
}

/** A one-layer YAML model (NCHW input). */
const one =
  (shape: number[], kind: string, params: Record<string, unknown> = {}) =>
  () =>
    analyze(`input: ${JSON.stringify(shape)}\nlayers:\n  - name: L\n    ${kind}: ${JSON.stringify(params)}\n`);

/** Two branches read by a multi-input kind. */
const two =
  (kind: string, params: Record<string, unknown> = {}) =>
  () =>
    analyze(
      `input: [2, 3, 4, 5]\nlayers:\n  - name: a\n    relu: {}\n  - name: b\n    from: input\n    sigmoid: {}\n  - name: L\n    from: [a, b]\n    ${kind}: ${JSON.stringify(params)}\n`,
    );

// Parameter counts from the frameworks' documentation: Conv2d Cout·(Cin/g)·KH·KW + Cout,
// ConvTranspose2d Cin·(Cout/g)·KH·KW + Cout, Linear in·out + out, BatchNorm2d 2·C (its running
// statistics are buffers), TensorFlow's BatchNormalization (scale + center + 2)·C, its
// SeparableConv2D KH·KW·C·m + C·m·out + out, its DepthwiseConv2D KH·KW·C·m + C·m.
const PARAM_CASES: Record<string, { model: () => ModelAnalysis; params: number }[]> = {
  conv2d: [
    { model: one([1, 3, 8, 8], 'conv2d', { out_channels: 4, kernel_size: 3 }), params: 4 * 3 * 9 + 4 },
    { model: one([2, 6, 7, 9], 'conv2d', { out_channels: 4, kernel_size: [1, 3], groups: 2, bias: false }), params: 4 * 3 * 3 },
  ],
  conv_transpose2d: [
    { model: one([1, 4, 5, 5], 'conv_transpose2d', { out_channels: 6, kernel_size: 3, groups: 2 }), params: 4 * 3 * 9 + 6 },
    { model: one([1, 2, 3, 4], 'conv_transpose2d', { out_channels: 5, kernel_size: [2, 3], stride: 2, bias: false }), params: 2 * 5 * 6 },
  ],
  linear: [
    { model: one([3, 10], 'linear', { out_features: 7 }), params: 10 * 7 + 7 },
    { model: one([2, 4, 6], 'linear', { out_features: 5, bias: false }), params: 6 * 5 },
  ],
  // LayerNorm2d: weight and bias of C each.
  layer_norm2d: [
    { model: one([2, 5, 3, 3], 'layer_norm2d'), params: 2 * 5 },
    { model: one([1, 3, 2, 2], 'layer_norm2d', { elementwise_affine: false }), params: 0 },
  ],
  batchnorm2d: [
    { model: one([2, 5, 3, 3], 'batchnorm2d'), params: 2 * 5 },
    { model: one([1, 3, 2, 2], 'batchnorm2d', { affine: false }), params: 0 },
  ],
  depthwise_conv2d: [
    { model: one([1, 3, 6, 6], 'depthwise_conv2d', { kernel_size: 3, depth_multiplier: 2 }), params: 9 * 3 * 2 + 3 * 2 },
    { model: () => analyzeTfjs([7, 7, 4], 'depthwiseConv2d', { kernelSize: [3, 2], useBias: false }), params: 6 * 4 },
  ],
  separable_conv2d: [
    {
      model: one([1, 3, 6, 6], 'separable_conv2d', { out_channels: 5, kernel_size: 3, depth_multiplier: 2 }),
      params: 9 * 3 * 2 + 3 * 2 * 5 + 5,
    },
    { model: () => analyzeTfjs([5, 5, 2], 'separableConv2d', { filters: 3, kernelSize: 3, useBias: false }), params: 9 * 2 + 2 * 3 },
  ],
  tf_conv_transpose2d: [
    { model: () => analyzeTfjs([4, 4, 3], 'conv2dTranspose', { filters: 5, kernelSize: 3, strides: 2 }), params: 3 * 5 * 9 + 5 },
    { model: () => analyzeTfjs([3, 5, 2], 'conv2dTranspose', { filters: 4, kernelSize: [2, 3], useBias: false }), params: 2 * 4 * 6 },
  ],
  tf_batchnorm: [
    { model: () => analyzeTfjs([4, 4, 6], 'batchNormalization', {}), params: 4 * 6 },
    { model: () => analyzeTfjs([5], 'batchNormalization', { scale: false }), params: 3 * 5 },
  ],
};

// One model per kind with a kernel (the layer named L is the kind's).
const RUN_CASES: Record<string, () => ModelAnalysis> = {
  conv2d: PARAM_CASES.conv2d![1]!.model,
  conv_transpose2d: PARAM_CASES.conv_transpose2d![0]!.model,
  maxpool2d: one([1, 2, 6, 6], 'maxpool2d', { kernel_size: 2 }),
  avgpool2d: one([1, 2, 6, 5], 'avgpool2d', { kernel_size: 3, stride: 2, padding: 1 }),
  adaptive_avgpool2d: one([1, 2, 7, 5], 'adaptive_avgpool2d', { output_size: [3, 2] }),
  adaptive_maxpool2d: one([1, 2, 7, 5], 'adaptive_maxpool2d', { output_size: 2 }),
  batchnorm2d: PARAM_CASES.batchnorm2d![0]!.model,
  layer_norm2d: PARAM_CASES.layer_norm2d![0]!.model,
  dropout: one([2, 3, 4, 4], 'dropout', { p: 0.3 }),
  flatten: one([2, 3, 4, 4], 'flatten'),
  linear: PARAM_CASES.linear![0]!.model,
  add: two('add'),
  mul: two('mul'),
  chunk: one([2, 4, 3, 3], 'chunk', { chunks: 3 }),
  channel_shuffle: one([2, 6, 3, 2], 'channel_shuffle', { groups: 3 }),
  pixel_shuffle: one([2, 8, 3, 2], 'pixel_shuffle', { upscale_factor: 2 }),
  stochastic_depth: one([2, 3, 4, 4], 'stochastic_depth', { p: 0.2 }),
  split: one([2, 3, 4, 5], 'split', { split_size: 2, dim: -1 }),
  concat: two('concat'),
  upsample: one([1, 2, 3, 4], 'upsample', { scale_factor: 2, mode: 'bilinear' }),
  depthwise_conv2d: PARAM_CASES.depthwise_conv2d![0]!.model,
  separable_conv2d: PARAM_CASES.separable_conv2d![0]!.model,
  tf_conv_transpose2d: PARAM_CASES.tf_conv_transpose2d![0]!.model,
  tf_maxpool2d: () => analyzeTfjs([5, 5, 2], 'maxPooling2d', { poolSize: 2, padding: 'same' }),
  tf_avgpool2d: () => analyzeTfjs([5, 5, 2], 'averagePooling2d', { poolSize: 2, padding: 'same' }),
  global_avgpool2d: one([2, 3, 4, 5], 'global_avgpool2d'),
  global_maxpool2d: one([2, 3, 4, 5], 'global_maxpool2d'),
  zero_padding2d: one([1, 2, 3, 3], 'zero_padding2d', { padding: [1, 2] }),
  tf_batchnorm: PARAM_CASES.tf_batchnorm![0]!.model,
  tf_hard_sigmoid: () => analyzeTfjs([3, 3, 2], 'activation', { activation: 'hardSigmoid' }),
};
for (const kind of [
  'relu',
  'relu6',
  'leaky_relu',
  'sigmoid',
  'tanh',
  'gelu',
  'silu',
  'hardswish',
  'hardsigmoid',
  'elu',
  'selu',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'mish',
  'gelu_tanh',
  'identity',
]) {
  RUN_CASES[kind] = one([2, 3, 4, 4], kind);
}

function layerL(model: ModelAnalysis) {
  const layer = model.byName.get('L') ?? model.layers[model.layers.length - 1];
  assert.ok(layer);
  return layer;
}

describe('the kind registry (KINDS)', () => {
  const withTensors = KINDS.filter((def) => 'paramTensors' in def).map((def) => def.kind);

  it('has parameter-count cases for every kind with parameter tensors, and a run case for every kind with a kernel', () => {
    assert.deepEqual(
      withTensors.filter((k) => !(k in PARAM_CASES)),
      [],
    );
    assert.deepEqual(
      Object.keys(PARAM_CASES).filter((k) => !withTensors.includes(k as never)),
      [],
    );
    const runnable = Object.entries(KERNELS)
      .filter(([, kernel]) => kernel !== null)
      .map(([kind]) => kind);
    assert.deepEqual(runnable.filter((k) => !(k in RUN_CASES)).sort(), []);
    assert.equal(runnable.length, KINDS.length - 1, 'only unresolved has no kernel');
  });

  for (const [kind, cases] of Object.entries(PARAM_CASES)) {
    it(`${kind}: paramTensors give the documented parameter count`, () => {
      for (const c of cases) {
        const model = c.model();
        const layer = layerL(model);
        assert.equal(layer.kind, kind);
        const tensors = paramTensorsOf(layer);
        const counted = tensors.filter((t) => !t.buffer || model.framework === 'tfjs').reduce((sum, t) => sum + shapeSize(t.shape), 0);
        assert.equal(
          counted,
          c.params,
          `${kind} ${JSON.stringify(layer.attrs)}: tensors ${tensors.map((t) => `${t.name} [${t.shape.join(', ')}]`).join(', ')}`,
        );
        assert.equal(layer.params, BigInt(c.params));
      }
    });
  }

  it('kinds without parameter tensors have no parameters', () => {
    for (const [kind, model] of Object.entries(RUN_CASES)) {
      if (withTensors.includes(kind as never)) continue;
      const layer = layerL(model());
      assert.equal(layer.params, 0n, kind);
      assert.deepEqual(paramTensorsOf(layer), [], kind);
    }
  });

  for (const [kind, makeModel] of Object.entries(RUN_CASES)) {
    it(`${kind}: allocates, runs and checks its own weights`, () => {
      const model = makeModel();
      const layer = layerL(model);
      assert.equal(layer.kind, kind);
      const random = resolveWeights(model.layers, { kind: 'random', seed: 5 });
      const own = random.byLayer.get(layer.name) ?? {};
      const specs = paramTensorsOf(layer);
      assert.deepEqual(Object.keys(own).sort(), specs.map((s) => s.name).sort());
      for (const spec of specs) assert.deepEqual(own[spec.name]!.shape, spec.shape, `${kind}.${spec.name}`);

      const input = new Float32Array(shapeSize(model.input!)).map((_, i) => Math.sin(i + 1));
      const result = runModel(model, input, { kind: 'random', seed: 5 }, { backend: 'ts' });
      const out = result.outputs.get(layer.name);
      assert.ok(out, `${kind} ran`);
      assert.deepEqual(out.shape, layer.outputShape);
      assert.ok(out.data.every(Number.isFinite), `${kind}: finite outputs`);

      // The same tensors as a state dict are accepted and all used.
      const stateDict = new Map<string, Tensor>();
      for (const [name, params] of random.byLayer) for (const [suffix, t] of Object.entries(params)) stateDict.set(`${name}.${suffix}`, t);
      const checked = resolveWeights(model.layers, { kind: 'tensors', tensors: stateDict });
      assert.deepEqual(checked.unused, []);
      for (const spec of specs) {
        const name = `${layer.name}.${spec.name}`;
        const wrong = new Map(stateDict);
        wrong.set(name, tensor([shapeSize(spec.shape) + 1]));
        assert.throws(
          () => resolveWeights(model.layers, { kind: 'tensors', tensors: wrong }),
          (e: unknown) => e instanceof EngineError && e.message.includes(`${name}: shape`),
        );
        const missing = new Map(stateDict);
        missing.delete(name);
        assert.throws(
          () => resolveWeights(model.layers, { kind: 'tensors', tensors: missing }),
          (e: unknown) => e instanceof EngineError && e.message.includes(`${name}: missing`),
        );
      }
    });
  }
});
