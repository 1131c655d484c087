// The engine on TensorFlow.js models: each TensorFlow kind against a hand-computed or naive
// reference, then whole models written as tfjs code, analyzed by the TypeScript front end (shapes
// NCHW inside), run by the engine on both backends, and compared with tfjs-layers 4.22 predicting
// the same model, with the same weights, in NHWC on the CPU backend.

import { strict as assert } from 'node:assert';
import * as ts from 'typescript';
import type { AnalyzedLayer, ModelAnalysis } from '../../src/core';
import { gemmBlocked } from '../../src/core/engine/gemm';
import { kernelFor } from '../../src/core/kinds/kernels';
import { paramTensorsOf } from '../../src/core/kinds';
import type { KernelContext, Params } from '../../src/core/kinds/kernel-types';
import { runModel } from '../../src/core/run/runner';
import { tensor, type Tensor } from '../../src/core/engine/tensor';
import { loadWasmGemm } from '../../src/core/engine/wasm/index';
import { PackedWeights } from '../../src/core/engine/wasm/packed-weights';
import { analyzeSource } from '../../src/core';
import { assertClose, naiveConv2d, naiveConvTranspose2d, randomTensor, relativeError } from './engine-support.test';

/* eslint-disable @typescript-eslint/no-explicit-any -- tfjs objects are used untyped here */

const TS_CTX: KernelContext = { gemm: gemmBlocked, framework: 'tfjs' };

/** A tfjs layer call as written in a model file: `tf.layers.<factory>(<config>)`. */
interface TfLayerCall {
  factory: string;
  config: Record<string, unknown>;
}

function sourceOf(calls: readonly TfLayerCall[]): string {
  return `import * as tf from '@tensorflow/tfjs';\nexport const model = tf.sequential({layers: [\n${calls.map((c) => `  tf.layers.${c.factory}(${JSON.stringify(c.config)}),`).join('\n')}\n]});\n`;
}

function analyzeTf(calls: readonly TfLayerCall[]): ModelAnalysis {
  const result = analyzeSource('model.ts', sourceOf(calls), () => ts);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => d.message),
    [],
  );
  assert.ok(result.model);
  assert.equal(result.model.framework, 'tfjs');
  return result.model;
}

/** The one analyzed layer of a one-layer tfjs model (input shape in NHWC, as tfjs writes it). */
function tfLayer(inputShape: number[], factory: string, config: Record<string, unknown>): AnalyzedLayer {
  const model = analyzeTf([{ factory, config: { inputShape, ...config } }]);
  return model.layers[0]!;
}

function forward(layer: AnalyzedLayer, x: Tensor, params: Params = {}, ctx: KernelContext = TS_CTX): Tensor {
  const kernel = kernelFor(layer.kind);
  assert.ok(kernel, `a kernel for ${layer.kind}`);
  return kernel.forward(layer, [x], params, ctx).output;
}

function nchwToNhwc(t: Tensor): Float32Array {
  if (t.shape.length !== 4) return t.data;
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const out = new Float32Array(t.data.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[((b * h + y) * w + x) * c + ch] = t.data[((b * c + ch) * h + y) * w + x]!;
  return out;
}

describe('engine TensorFlow.js kinds against hand-computed and naive references', () => {
  it('activations: elu, selu, softplus, softsign, mish, gelu_tanh, tf_hard_sigmoid, identity at known points', () => {
    const points = [-100, -3, -1, -0.5, 0, 0.5, 1, 3, 100];
    const x = tensor([1, points.length], Float32Array.from(points));
    const expected: Record<string, (v: number) => number> = {
      elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
      selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)),
      softplus: (v) => (v > 30 ? v : Math.log(1 + Math.exp(v))),
      softsign: (v) => v / (1 + Math.abs(v)),
      mish: (v) => v * Math.tanh(v > 30 ? v : Math.log(1 + Math.exp(v))),
      gelu_new: (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
      hardSigmoid: (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)),
      linear: (v) => v,
    };
    const kinds: Record<string, string> = {
      elu: 'elu',
      selu: 'selu',
      softplus: 'softplus',
      softsign: 'softsign',
      mish: 'mish',
      gelu_new: 'gelu_tanh',
      hardSigmoid: 'tf_hard_sigmoid',
      linear: 'identity',
    };
    for (const [activation, f] of Object.entries(expected)) {
      const layer = tfLayer([points.length], 'activation', { activation });
      assert.equal(layer.kind, kinds[activation]);
      const y = forward(layer, x);
      points.forEach((v, i) =>
        assert.ok(
          Math.abs(y.data[i]! - Math.fround(f(v))) <= 1e-6 * Math.max(1, Math.abs(f(v))),
          `${activation}(${v}) = ${y.data[i]}, expected ${f(v)}`,
        ),
      );
    }
    // Spot values computed by hand.
    const at = (activation: string, v: number) =>
      forward(tfLayer([1], 'activation', { activation }), tensor([1, 1], Float32Array.of(v))).data[0]!;
    assert.ok(Math.abs(at('softplus', 0) - Math.LN2) < 1e-7);
    assert.equal(at('softsign', 1), 0.5);
    assert.ok(Math.abs(at('hardSigmoid', 1) - 0.7) < 1e-7);
    assert.ok(Math.abs(at('gelu_new', 1) - 0.8411920071) < 1e-6);
    // The ELU layer's alpha.
    const elu = tfLayer([2], 'elu', { alpha: 0.5 });
    assert.ok(Math.abs(forward(elu, tensor([1, 2], Float32Array.of(-1, 2))).data[0]! - 0.5 * (Math.exp(-1) - 1)) < 1e-7);
  });

  it('softmax and log_softmax sum over the channels (axis 1 of NCHW, the last of a 2-D tensor)', () => {
    const layer4 = analyzeTf([{ factory: 'conv2d', config: { inputShape: [3, 4, 5], filters: 6, kernelSize: 1, activation: 'softmax' } }])
      .layers[1]!;
    assert.equal(layer4.kind, 'softmax');
    const x = randomTensor([2, 6, 3, 4], 7, 20);
    const y = forward(layer4, x);
    const logY = forward({ ...layer4, kind: 'log_softmax' }, x);
    for (let b = 0; b < 2; b++) {
      for (let p = 0; p < 12; p++) {
        let sum = 0,
          max = -Infinity;
        for (let c = 0; c < 6; c++) max = Math.max(max, x.data[(b * 6 + c) * 12 + p]!);
        let denom = 0;
        for (let c = 0; c < 6; c++) denom += Math.exp(x.data[(b * 6 + c) * 12 + p]! - max);
        for (let c = 0; c < 6; c++) {
          const i = (b * 6 + c) * 12 + p;
          const want = Math.exp(x.data[i]! - max) / denom;
          sum += y.data[i]!;
          assert.ok(Math.abs(y.data[i]! - want) < 1e-6);
          assert.ok(Math.abs(logY.data[i]! - Math.log(want)) < 1e-5);
        }
        assert.ok(Math.abs(sum - 1) < 1e-5);
      }
    }
    const layer2 = tfLayer([4], 'dense', { units: 3, activation: 'softmax' });
    const y2 = forward({ ...layer2, kind: 'softmax' }, tensor([2, 3], Float32Array.of(0, 0, 0, 1000, 0, 1000)));
    assert.deepEqual(
      [...y2.data].map((v) => Math.round(v * 1e6) / 1e6),
      [1 / 3, 1 / 3, 1 / 3, 0.5, 0, 0.5].map((v) => Math.round(v * 1e6) / 1e6),
    );
  });

  it('global pools reduce H and W; zero_padding2d pads per side', () => {
    const x = tensor([1, 2, 2, 3], Float32Array.of(1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, NaN));
    const avg = forward(tfLayer([2, 3, 2], 'globalAveragePooling2d', {}), x);
    assert.deepEqual(avg.shape, [1, 2]);
    assert.equal(avg.data[0], 3.5);
    assert.ok(Number.isNaN(avg.data[1]!));
    const max = forward(tfLayer([2, 3, 2], 'globalMaxPooling2d', {}), x);
    assert.equal(max.data[0], 6);
    assert.ok(Number.isNaN(max.data[1]!), 'NaN wins, as in max pooling');

    const pad = tfLayer([2, 3, 1], 'zeroPadding2d', {
      padding: [
        [1, 0],
        [2, 1],
      ],
    });
    const y = forward(pad, tensor([1, 1, 2, 3], Float32Array.of(1, 2, 3, 4, 5, 6)));
    assert.deepEqual(y.shape, [1, 1, 3, 6]);
    assert.deepEqual([...y.data], [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0]);
  });

  it("tf_maxpool2d and tf_avgpool2d with 'same': padding at the end, never a max, not in the divisor", () => {
    // 1×1×3×3, pool 2, stride 2, 'same': output 2×2, one padding row and column at the end.
    const x = tensor([1, 1, 3, 3], Float32Array.of(-1, -2, -3, -4, -5, -6, -7, -8, -9));
    const maxLayer = tfLayer([3, 3, 1], 'maxPooling2d', { poolSize: 2, strides: 2, padding: 'same' });
    assert.equal(maxLayer.kind, 'tf_maxpool2d');
    assert.deepEqual([...forward(maxLayer, x).data], [-1, -3, -7, -9]);
    const avgLayer = tfLayer([3, 3, 1], 'averagePooling2d', { poolSize: 2, strides: 2, padding: 'same' });
    assert.equal(avgLayer.kind, 'tf_avgpool2d');
    assert.deepEqual([...forward(avgLayer, x).data], [(-1 - 2 - 4 - 5) / 4, (-3 - 6) / 2, (-7 - 8) / 2, -9]);
  });

  it('tf_batchnorm: (x − mean)/√(var + eps)·gamma + beta over channels, eps 1e-3 by default, any rank, scale/center off', () => {
    const layer = tfLayer([2, 2, 3], 'batchNormalization', {});
    assert.equal(layer.kind, 'tf_batchnorm');
    const x = randomTensor([2, 3, 2, 2], 3);
    const p = {
      gamma: randomTensor([3], 4),
      beta: randomTensor([3], 5),
      moving_mean: randomTensor([3], 6),
      moving_variance: tensor([3], Float32Array.of(0.5, 1, 2)),
    };
    const y = forward(layer, x, p);
    for (let i = 0; i < x.data.length; i++) {
      const c = Math.floor(i / 4) % 3;
      const want =
        ((x.data[i]! - p.moving_mean.data[c]!) / Math.sqrt(p.moving_variance.data[c]! + 1e-3)) * p.gamma.data[c]! + p.beta.data[c]!;
      assert.ok(Math.abs(y.data[i]! - want) < 1e-5);
    }
    const flat = tfLayer([3], 'batchNormalization', { epsilon: 0.1, scale: false, center: false });
    assert.deepEqual(
      paramTensorsOf(flat).map((s) => s.name),
      ['moving_mean', 'moving_variance'],
    );
    const y2 = forward(flat, tensor([2, 3], Float32Array.of(1, 2, 3, 4, 5, 6)), {
      moving_mean: p.moving_mean,
      moving_variance: p.moving_variance,
    });
    for (let i = 0; i < 6; i++)
      assert.ok(
        Math.abs(y2.data[i]! - ([1, 2, 3, 4, 5, 6][i]! - p.moving_mean.data[i % 3]!) / Math.sqrt(p.moving_variance.data[i % 3]! + 0.1)) <
          1e-5,
      );
  });

  it('depthwise_conv2d and separable_conv2d equal direct grouped convolutions, on both backends', () => {
    const wasm = loadWasmGemm();
    assert.ok(wasm, 'the WebAssembly GEMM loads');
    for (const [stride, padding] of [
      [1, 'valid'],
      [2, 'same'],
      [3, 'same'],
    ] as const) {
      const dw = tfLayer([9, 8, 3], 'depthwiseConv2d', { kernelSize: 3, strides: stride, padding, depthMultiplier: 2 });
      const x = randomTensor([1, 3, 9, 8], 11);
      const p = { weight: randomTensor([6, 1, 3, 3], 12), bias: randomTensor([6], 13) };
      const want = naiveConv2d(x, p.weight, p.bias, dw.geometry!, 3);
      assertClose(forward(dw, x, p), want, 1e-5, 'depthwise ts');
      assertClose(forward(dw, x, p, { ...TS_CTX, wasm: new PackedWeights(wasm, true) }), want, 1e-5, 'depthwise wasm');

      const sep = tfLayer([9, 8, 3], 'separableConv2d', { filters: 5, kernelSize: 3, strides: stride, padding, depthMultiplier: 2 });
      const sp = { depthwise_weight: p.weight, pointwise_weight: randomTensor([5, 6, 1, 1], 14), bias: randomTensor([5], 15) };
      const mid = naiveConv2d(x, sp.depthwise_weight, undefined, sep.geometry!, 3);
      const [, , oh, ow] = mid.shape as [number, number, number, number];
      const one = {
        h: { input: oh, kernel: 1, stride: 1, dilation: 1, padBefore: 0, output: oh },
        w: { input: ow, kernel: 1, stride: 1, dilation: 1, padBefore: 0, output: ow },
      };
      const sepWant = naiveConv2d(mid, sp.pointwise_weight, sp.bias, one, 1);
      assertClose(forward(sep, x, sp), sepWant, 1e-5, 'separable ts');
      assertClose(forward(sep, x, sp, { ...TS_CTX, wasm: new PackedWeights(wasm, true) }), sepWant, 1e-5, 'separable wasm');
    }
  });

  it("tf_conv_transpose2d equals the direct scatter with TensorFlow's padding ('same': ⌊(K − S)/2⌋ before, output H·S)", () => {
    const wasm = loadWasmGemm();
    assert.ok(wasm);
    for (const [k, s, padding] of [
      [3, 2, 'same'],
      [4, 2, 'same'],
      [2, 3, 'valid'],
      [5, 2, 'valid'],
      [3, 1, 'same'],
    ] as const) {
      const layer = tfLayer([4, 5, 3], 'conv2dTranspose', { filters: 2, kernelSize: k, strides: s, padding });
      assert.equal(layer.kind, 'tf_conv_transpose2d');
      const [, , oh, ow] = layer.outputShape!;
      const x = randomTensor([1, 3, 4, 5], 21);
      const p = { weight: randomTensor([3, 2, k, k], 22), bias: randomTensor([2], 23) };
      const before = padding === 'same' ? Math.floor(Math.max(k - s, 0) / 2) : 0;
      const want = naiveConvTranspose2d(x, p.weight, p.bias, [s, s], [before, before], [1, 1], [oh!, ow!], 1);
      assertClose(forward(layer, x, p), want, 1e-5, `ts k${k} s${s} ${padding}`);
      assertClose(forward(layer, x, p, { ...TS_CTX, wasm: new PackedWeights(wasm, true) }), want, 1e-5, `wasm k${k} s${s} ${padding}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Whole models against tfjs-layers

function loadTfjs(): { core: any; layers: any } {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    const core = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    const layers = require('@tensorflow/tfjs-layers');
    return { core, layers };
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/** Random parameters for every layer; variances positive, so batch normalization is not near-identity. */
function randomParams(model: ModelAnalysis, seed: number): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  let s = seed;
  for (const layer of model.layers) {
    for (const spec of paramTensorsOf(layer)) {
      const t = randomTensor(
        spec.shape,
        s++,
        spec.name === 'moving_variance' ? 0.5 : spec.init.kind === 'uniform' ? spec.init.bound * 1.5 : 0.3,
      );
      if (spec.name === 'moving_variance') for (let i = 0; i < t.data.length; i++) t.data[i] = t.data[i]! + 1;
      tensors.set(`${layer.name}.${spec.name}`, t);
    }
  }
  return tensors;
}

/** [d0, d1, d2, d3] with out[a][b][c][d] = t[perm-chosen]: `index(a, b, c, d)` gives the source index. */
function permute4(
  shape: [number, number, number, number],
  index: (a: number, b: number, c: number, d: number) => number,
  src: Float32Array,
): Float32Array {
  const out = new Float32Array(src.length);
  let o = 0;
  for (let a = 0; a < shape[0]; a++)
    for (let b = 0; b < shape[1]; b++)
      for (let c = 0; c < shape[2]; c++) for (let d = 0; d < shape[3]; d++) out[o++] = src[index(a, b, c, d)]!;
  return out;
}

/** The engine's (PyTorch-layout) parameters of a layer as the weight list its tfjs layer takes. */
function tfWeights(core: any, layer: AnalyzedLayer, get: (name: string) => Tensor | undefined): unknown[] {
  const list: unknown[] = [];
  const add = (data: Float32Array, shape: number[]) => list.push(core.tensor(data, shape));
  const hwio = (t: Tensor) => {
    const [o, i, kh, kw] = t.shape as [number, number, number, number];
    add(
      permute4([kh, kw, i, o], (y, x, ci, co) => ((co * i + ci) * kh + y) * kw + x, t.data),
      [kh, kw, i, o],
    );
  };
  const depthwise = (t: Tensor, channels: number) => {
    const [cm, , kh, kw] = t.shape as [number, number, number, number];
    const m = cm / channels;
    add(
      permute4([kh, kw, channels, m], (y, x, c, j) => ((c * m + j) * kh + y) * kw + x, t.data),
      [kh, kw, channels, m],
    );
  };
  const channels = layer.inputShapes[0]?.[1] ?? 0;
  switch (layer.kind) {
    case 'conv2d':
      hwio(get('weight')!);
      break;
    case 'depthwise_conv2d':
      depthwise(get('weight')!, channels);
      break;
    case 'separable_conv2d':
      depthwise(get('depthwise_weight')!, channels);
      hwio(get('pointwise_weight')!);
      break;
    case 'tf_conv_transpose2d': {
      // TF kernel [KH, KW, Cout, Cin][kh][kw][co][ci] = weight[ci][co][kh][kw].
      const w = get('weight')!;
      const [ci, co, kh, kw] = w.shape as [number, number, number, number];
      add(
        permute4([kh, kw, co, ci], (y, x, o, i) => ((i * co + o) * kh + y) * kw + x, w.data),
        [kh, kw, co, ci],
      );
      break;
    }
    case 'linear': {
      const w = get('weight')!;
      const [o, i] = w.shape as [number, number];
      const t = new Float32Array(w.data.length);
      for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) t[c * o + r] = w.data[r * i + c]!;
      add(t, [i, o]);
      break;
    }
    case 'tf_batchnorm':
      for (const name of ['gamma', 'beta', 'moving_mean', 'moving_variance']) {
        const t = get(name);
        if (t) add(t.data, [...t.shape]);
      }
      return list;
    default:
      return list;
  }
  const bias = get('bias');
  if (bias) add(bias.data, [...bias.shape]);
  return list;
}

const MODELS: { label: string; input: [number, number, number]; calls: TfLayerCall[] }[] = [
  {
    label:
      "conv 'same' stride 2, depthwise, max/avg pooling 'same', batch norm, separable, zero padding, transposed convs, global average, dense + softmax",
    input: [13, 11, 3],
    calls: [
      { factory: 'conv2d', config: { name: 'c1', filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
      {
        factory: 'depthwiseConv2d',
        config: { name: 'dw', kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'elu' },
      },
      { factory: 'maxPooling2d', config: { name: 'mp', poolSize: 3, strides: 1, padding: 'same' } },
      { factory: 'batchNormalization', config: { name: 'bn' } },
      {
        factory: 'separableConv2d',
        config: { name: 'sep', filters: 6, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'selu' },
      },
      { factory: 'averagePooling2d', config: { name: 'ap', poolSize: 2, strides: 2, padding: 'same' } },
      {
        factory: 'zeroPadding2d',
        config: {
          name: 'zp',
          padding: [
            [1, 0],
            [2, 1],
          ],
        },
      },
      {
        factory: 'conv2dTranspose',
        config: { name: 'up1', filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'softplus' },
      },
      { factory: 'conv2dTranspose', config: { name: 'up2', filters: 4, kernelSize: 2, strides: 3, padding: 'valid', activation: 'mish' } },
      { factory: 'globalAveragePooling2d', config: { name: 'gap' } },
      { factory: 'dense', config: { name: 'fc', units: 7, activation: 'softmax' } },
    ],
  },
  {
    label: "activations on conv outputs, pooling 'valid', global max, flatten in NHWC order, dense on 4-D, log-softmax",
    input: [10, 9, 4],
    calls: [
      { factory: 'conv2d', config: { name: 'c1', filters: 6, kernelSize: [3, 2], padding: 'valid', activation: 'softsign' } },
      { factory: 'activation', config: { name: 'g', activation: 'gelu_new' } },
      { factory: 'averagePooling2d', config: { name: 'ap', poolSize: [2, 3], strides: [2, 1], padding: 'valid' } },
      { factory: 'conv2d', config: { name: 'c2', filters: 5, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'hardSigmoid' } },
      { factory: 'dense', config: { name: 'd4', units: 3, activation: 'tanh' } },
      { factory: 'activation', config: { name: 'lin', activation: 'linear' } },
      { factory: 'maxPooling2d', config: { name: 'mp', poolSize: 2, padding: 'valid' } },
      { factory: 'flatten', config: { name: 'fl' } },
      { factory: 'dense', config: { name: 'fc', units: 6, activation: 'logSoftmax' } },
    ],
  },
  {
    label: 'global max pooling, separable with dilation, batch norm without scale on 2-D',
    input: [12, 12, 2],
    calls: [
      {
        factory: 'separableConv2d',
        config: { name: 'sep', filters: 4, kernelSize: 3, dilationRate: 2, padding: 'valid', activation: 'sigmoid' },
      },
      { factory: 'conv2d', config: { name: 'c', filters: 7, kernelSize: 1, activation: 'relu6' } },
      { factory: 'globalMaxPooling2d', config: { name: 'gmp' } },
      { factory: 'batchNormalization', config: { name: 'bn', scale: false, epsilon: 0.01 } },
      { factory: 'dense', config: { name: 'fc', units: 3, activation: 'swish' } },
    ],
  },
];

/** The kinds the tfjs comparison runs: engine-kernels.test.ts counts them as checked. */
export const KINDS_CHECKED_AGAINST_TFJS: ReadonlySet<string> = new Set([
  'depthwise_conv2d',
  'separable_conv2d',
  'tf_maxpool2d',
  'tf_avgpool2d',
  'global_avgpool2d',
  'global_maxpool2d',
  'zero_padding2d',
  'tf_batchnorm',
  'tf_conv_transpose2d',
  'elu',
  'selu',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'mish',
  'gelu_tanh',
  'tf_hard_sigmoid',
  'identity',
]);

describe('engine TensorFlow.js models against tfjs-layers 4.22 (same weights, NHWC)', () => {
  let tfjs: { core: any; layers: any };
  before(async () => {
    tfjs = loadTfjs();
    tfjs.core.env().set('IS_TEST', true);
    await tfjs.core.setBackend('cpu');
  });

  const seen = new Set<string>();
  MODELS.forEach((m, index) => {
    it(m.label, () => {
      const { core, layers } = tfjs;
      const calls = m.calls.map((c, i) => (i === 0 ? { ...c, config: { inputShape: m.input, ...c.config } } : c));
      const analysis = analyzeTf(calls);
      for (const l of analysis.layers) seen.add(l.kind);
      const tensors = randomParams(analysis, 100 * (index + 1));
      const [h, w, c] = m.input;
      const input = randomTensor([1, c, h, w], 7 + index);

      const tfModel = layers.sequential({ layers: calls.map((call) => layers.layers[call.factory](call.config)) });
      for (const layer of analysis.layers) {
        if (layer.name.includes('/')) continue; // a fused activation: part of its tfjs layer
        const weights = tfWeights(core, layer, (name) => tensors.get(`${layer.name}.${name}`));
        if (weights.length > 0) tfModel.getLayer(layer.name).setWeights(weights);
      }
      const x = core.tensor(nchwToNhwc(input), [1, h, w, c]);
      const expected = tfModel.predict(x);
      const want = new Float32Array(expected.dataSync());
      x.dispose();
      expected.dispose();

      const last = analysis.layers[analysis.layers.length - 1]!.name;
      for (const backend of ['ts', 'wasm'] as const) {
        const result = runModel(analysis, input.data, { kind: 'tensors', tensors }, { backend, keep: [last] });
        const ours = result.outputs.get(last)!;
        const oursNhwc = nchwToNhwc(ours);
        const err = relativeError(tensor([oursNhwc.length], oursNhwc), tensor([want.length], want));
        assert.ok(err <= 1e-4, `${backend}: max error ${err.toExponential(2)} of the range against tfjs`);
      }
      core.disposeVariables();
    });
  });

  it('ran every TensorFlow kind in the comparison', () => {
    assert.deepEqual(
      [...KINDS_CHECKED_AGAINST_TFJS].filter((k) => !seen.has(k)),
      [],
    );
  });
});
