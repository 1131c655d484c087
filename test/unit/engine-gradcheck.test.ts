// Finite-difference checks of every backward. The loss is Σ r·y in double precision. For maps
// linear in the perturbed tensor (conv, linear, batchnorm, average pooling, add, concat, flatten,
// and max pooling away from ties) a large step makes the central difference exact up to float32
// rounding; the smooth activations use a small step.

import { strict as assert } from 'node:assert';
import { gemmBlocked } from '../../src/core/engine/gemm';
import { kernelFor } from '../../src/core/kinds/kernels';
import { paramTensorsOf } from '../../src/core/kinds';
import type { Params } from '../../src/core/kinds/kernel-types';
import type { AnalyzedLayer } from '../../src/core/index';
import type { Tensor } from '../../src/core/engine/tensor';
import { analyzeLayer, checkGradient, distinctTensor, handLayer, randomTensor, weightedSum } from './engine-support.test';

const ctx = { gemm: gemmBlocked };

function kernel(kind: string) {
  const k = kernelFor(kind);
  assert.ok(k?.backward, `${kind} has a backward`);
  return k as Required<typeof k>;
}

/** Checks dx for every input and d(param) for every parameter of one layer. */
function gradcheck(
  layer: AnalyzedLayer,
  inputs: Tensor[],
  params: Record<string, Tensor>,
  opts: { eps: number; tol: number; samples?: number },
): void {
  const k = kernel(layer.kind);
  const out = k.forward(layer, inputs, params as Params, ctx);
  const r = randomTensor(out.output.shape, 99);
  const grads = k.backward(layer, inputs, params as Params, out, r, ctx);
  const loss = () => weightedSum(k.forward(layer, inputs, params as Params, ctx).output, r);
  inputs.forEach((x, i) => checkGradient(`${layer.kind} d input ${i}`, loss, x.data as Float32Array, grads.inputs[i]!.data, opts));
  for (const [name, p] of Object.entries(params)) {
    const g = grads.params[name];
    if (name.startsWith('running_')) {
      assert.equal(g, undefined, 'running statistics are buffers: no gradient');
      continue;
    }
    assert.ok(g, `gradient of ${name}`);
    checkGradient(`${layer.kind} d ${name}`, loss, p.data as Float32Array, g.data, opts);
  }
}

const LINEAR_STEP = { eps: 0.5, tol: 1e-4, samples: 60 };

describe('engine backward: finite differences', () => {
  it('conv2d: dx, dW, db (stride, padding, dilation, groups)', () => {
    const configs = [
      { shape: [2, 4, 7, 6], p: { out_channels: 6, kernel_size: [3, 2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 } },
      { shape: [1, 3, 5, 5], p: { out_channels: 2, kernel_size: 4, padding: 'same' } },
      { shape: [1, 2, 4, 4], p: { out_channels: 3, kernel_size: 1, bias: false } },
    ];
    for (const c of configs) {
      const layer = analyzeLayer(c.shape, 'conv2d', c.p);
      const specs = paramTensorsOf(layer);
      const params = Object.fromEntries(specs.map((s, i) => [s.name, randomTensor(s.shape, 10 + i)]));
      gradcheck(layer, [randomTensor(c.shape, 3)], params, LINEAR_STEP);
    }
  });

  it('maxpool2d: the gradient goes to the argmax (ceil_mode, padding, dilation)', () => {
    for (const p of [
      { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true },
      { kernel_size: [2, 3], stride: [1, 2], dilation: [2, 1] },
    ]) {
      const layer = analyzeLayer([2, 2, 7, 8], 'maxpool2d', p);
      // Values one apart and a step of 0.25: no perturbation changes an argmax.
      gradcheck(layer, [distinctTensor([2, 2, 7, 8], 4)], {}, { eps: 0.25, tol: 1e-4, samples: 80 });
    }
  });

  it('avgpool2d: both divisor rules, ceil_mode', () => {
    for (const includePad of [true, false]) {
      const layer = analyzeLayer([1, 3, 7, 6], 'avgpool2d', {
        kernel_size: 3,
        stride: 2,
        padding: 1,
        ceil_mode: true,
        count_include_pad: includePad,
      });
      gradcheck(layer, [randomTensor([1, 3, 7, 6], 5)], {}, LINEAR_STEP);
    }
  });

  it('linear: dx, dW, db on a 3-D input', () => {
    const layer = analyzeLayer([2, 3, 5], 'linear', { out_features: 4 });
    gradcheck(layer, [randomTensor([2, 3, 5], 6)], { weight: randomTensor([4, 5], 7), bias: randomTensor([4], 8) }, LINEAR_STEP);
  });

  it('batchnorm2d (inference): dx, dweight, dbias; none for the running statistics', () => {
    const layer = analyzeLayer([2, 3, 4, 4], 'batchnorm2d', {});
    const params = {
      weight: randomTensor([3], 1),
      bias: randomTensor([3], 2),
      running_mean: randomTensor([3], 3),
      running_var: randomTensor([3], 4, 0.4).data.map((v) => 1 + v),
    };
    gradcheck(layer, [randomTensor([2, 3, 4, 4], 5)], { ...params, running_var: { shape: [3], data: params.running_var } }, LINEAR_STEP);
  });

  it('add and mul with broadcasting: the gradient of a broadcast input sums over the repeated axes', () => {
    const shapes = [
      [2, 3, 2, 2],
      [2, 3, 1, 1],
      [1, 3, 2, 1],
    ];
    gradcheck(
      handLayer('add', {}, shapes, [2, 3, 2, 2]),
      shapes.map((s, i) => randomTensor(s, i + 1)),
      {},
      LINEAR_STEP,
    );
    gradcheck(
      handLayer('mul', {}, shapes, [2, 3, 2, 2]),
      shapes.map((s, i) => randomTensor(s, i + 1)),
      {},
      LINEAR_STEP,
    );
    gradcheck(
      handLayer(
        'mul',
        {},
        [
          [2, 3, 2, 2],
          [2, 3, 2, 2],
        ],
        [2, 3, 2, 2],
      ),
      [randomTensor([2, 3, 2, 2], 4), randomTensor([2, 3, 2, 2], 5)],
      {},
      LINEAR_STEP,
    );
    gradcheck(
      handLayer(
        'mul',
        {},
        [
          [3, 1],
          [2, 1, 4],
        ],
        [2, 3, 4],
      ),
      [randomTensor([3, 1], 6), randomTensor([2, 1, 4], 7)],
      {},
      LINEAR_STEP,
    );
  });

  it('add, concat (dim 1 and −1) and flatten', () => {
    gradcheck(
      handLayer(
        'add',
        {},
        [
          [2, 3, 2, 2],
          [2, 3, 2, 2],
          [2, 3, 2, 2],
        ],
        [2, 3, 2, 2],
      ),
      [1, 2, 3].map((s) => randomTensor([2, 3, 2, 2], s)),
      {},
      LINEAR_STEP,
    );
    gradcheck(
      handLayer(
        'concat',
        { dim: 1 },
        [
          [2, 1, 2, 2],
          [2, 3, 2, 2],
        ],
        [2, 4, 2, 2],
      ),
      [randomTensor([2, 1, 2, 2], 1), randomTensor([2, 3, 2, 2], 2)],
      {},
      LINEAR_STEP,
    );
    gradcheck(
      handLayer(
        'concat',
        { dim: -1 },
        [
          [2, 2, 3],
          [2, 2, 1],
        ],
        [2, 2, 4],
      ),
      [randomTensor([2, 2, 3], 1), randomTensor([2, 2, 1], 2)],
      {},
      LINEAR_STEP,
    );
    gradcheck(analyzeLayer([2, 3, 2, 2], 'flatten', { start_dim: 1, end_dim: 2 }), [randomTensor([2, 3, 2, 2], 3)], {}, LINEAR_STEP);
    gradcheck(analyzeLayer([2, 3, 2, 2], 'dropout', {}), [randomTensor([2, 3, 2, 2], 3)], {}, LINEAR_STEP);
  });

  for (const kind of ['relu', 'relu6', 'leaky_relu', 'sigmoid', 'tanh', 'gelu', 'silu', 'hardswish', 'hardsigmoid']) {
    it(`${kind}: elementwise derivative`, () => {
      // Inputs over [−8, 8] kept at least 0.05 away from every kink (0, ±3, 6).
      const x = randomTensor([1, 2, 8, 8], 17, 8);
      for (let i = 0; i < x.data.length; i++) {
        for (const kink of [0, -3, 3, 6]) if (Math.abs(x.data[i]! - kink) < 0.05) x.data[i] = kink + 0.05;
      }
      gradcheck(
        analyzeLayer([1, 2, 8, 8], kind, kind === 'leaky_relu' ? { negative_slope: 0.1 } : {}),
        [x],
        {},
        { eps: 1e-2, tol: 2e-3, samples: 128 },
      );
    });
  }
});
