// Every kernel against PyTorch (fixtures from scripts/gen_engine_fixtures.py) and against a naive
// direct loop on random configurations.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { gemmBlocked } from '../../src/core/engine/gemm';
import { adaptiveAvgPool2dForward } from '../../src/core/kinds/adaptive_pool2d/avg-kernel';
import { adaptiveMaxPool2dForward } from '../../src/core/kinds/adaptive_pool2d/max-kernel';
import { avgPool2dForward } from '../../src/core/kinds/avgpool2d/kernel';
import { conv2dForward } from '../../src/core/kinds/conv2d/kernel';
import { convTranspose2dForward, convTransposeOptions } from '../../src/core/kinds/conv_transpose2d/kernel';
import { asKindLayer, KERNELS, kernelFor } from '../../src/core/kinds/kernels';
import { KINDS } from '../../src/core/kinds';
import { maxPool2dForward } from '../../src/core/kinds/maxpool2d/kernel';
import { batchNorm2dForward } from '../../src/core/kinds/batchnorm2d/kernel';
import { linearForward } from '../../src/core/kinds/linear/kernel';
import { upsampleForward } from '../../src/core/kinds/upsample/kernel';
import { tensor } from '../../src/core/engine/tensor';
import { adaptiveWindow } from '../../src/core/geometry';
import {
  analyzeLayer,
  assertClose,
  convTransposeCase,
  decodeArray,
  distinctTensor,
  handLayer,
  kernelCases,
  naiveAvgPool,
  naiveConv2d,
  naiveConvTranspose2d,
  naiveMaxPool,
  randomTensor,
  type KernelCase,
} from './engine-support.test';
import { KINDS_CHECKED_AGAINST_TFJS } from './engine-tfjs.test';
import { KINDS_CHECKED_BY_HAND } from './broadcast.test';
import { PART_KINDS_CHECKED_BY_HAND } from './chunk-split.test';
import { SHUFFLE_KINDS_CHECKED_BY_HAND } from './shuffle-depth.test';

const ctx = { gemm: gemmBlocked };
const TOL = 1e-4;

function layerFor(c: KernelCase) {
  const inputs = c.inputs.map(decodeArray);
  if (c.yaml !== undefined) return analyzeLayer(inputs[0]!.shape, c.kind, c.params);
  return handLayer(
    c.kind,
    { dim: 1, ...c.params },
    inputs.map((t) => [...t.shape]),
    c.output.shape,
  );
}

describe('engine kernels against PyTorch 1.13', () => {
  const cases = kernelCases();

  it('has a case for every kind in the registry (TensorFlow-only kinds: against tfjs-layers in engine-tfjs.test.ts)', () => {
    const covered = new Set([
      ...cases.map((c) => c.kind),
      ...KINDS_CHECKED_AGAINST_TFJS,
      ...KINDS_CHECKED_BY_HAND,
      ...PART_KINDS_CHECKED_BY_HAND,
      ...SHUFFLE_KINDS_CHECKED_BY_HAND,
    ]);
    assert.deepEqual(
      Object.entries(KERNELS)
        .filter(([k, kernel]) => kernel !== null && !covered.has(k))
        .map(([k]) => k),
      [],
    );
  });

  for (const c of cases) {
    it(`${c.label}: forward${c.backward ? ' and backward' : ''}`, () => {
      const layer = layerFor(c);
      const kernel = kernelFor(c.kind);
      assert.ok(kernel, c.kind);
      const inputs = c.inputs.map(decodeArray);
      const params = Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [k, decodeArray(v)]));
      const forward = kernel.forward(layer, inputs, params, ctx);
      assertClose(forward.output, decodeArray(c.output), TOL, 'output');
      if (c.backward === undefined) return;
      assert.ok(kernel.backward, `${c.kind} has a backward`);
      const grads = kernel.backward(layer, inputs, params, forward, decodeArray(c.backward.dy), ctx);
      c.backward.inputs.forEach((g, i) => assertClose(grads.inputs[i]!, decodeArray(g), TOL, `d input ${i}`));
      for (const [name, g] of Object.entries(c.backward.params)) {
        const mine = grads.params[name];
        assert.ok(mine, `gradient of ${name}`);
        assertClose(mine, decodeArray(g), TOL, `d ${name}`);
      }
    });
  }
});

const convArb = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cinG: fc.integer({ min: 1, max: 3 }),
    coutG: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 10 }),
    w: fc.integer({ min: 1, max: 10 }),
    k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    p: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    d: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    same: fc.boolean(),
    bias: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1 << 20 }),
  })
  .filter((r) => {
    if (r.same) return r.h >= 1;
    return r.h + 2 * r.p[0] >= r.d[0] * (r.k[0] - 1) + 1 && r.w + 2 * r.p[1] >= r.d[1] * (r.k[1] - 1) + 1;
  });

describe('engine kernels against naive direct loops', () => {
  it('conv2d (im2col + GEMM, banded or not) equals the direct convolution', () => {
    fc.assert(
      fc.property(convArb, fc.boolean(), (r, banded) => {
        const cin = r.cinG * r.groups,
          cout = r.coutG * r.groups;
        const layer = analyzeLayer([r.n, cin, r.h, r.w], 'conv2d', {
          out_channels: cout,
          kernel_size: r.k,
          stride: r.same ? 1 : r.s,
          padding: r.same ? 'same' : r.p,
          dilation: r.d,
          groups: r.groups,
          bias: r.bias,
        });
        const g = layer.geometry!;
        const x = randomTensor([r.n, cin, r.h, r.w], r.seed);
        const w = randomTensor([cout, r.cinG, r.k[0], r.k[1]], r.seed + 1);
        const b = r.bias ? randomTensor([cout], r.seed + 2) : undefined;
        const y = conv2dForward(x, w, b, { geometry: g, groups: r.groups, maxColumnFloats: banded ? 1 : undefined }, gemmBlocked);
        assertClose(y, naiveConv2d(x, w, b, g, r.groups), 1e-5, 'conv2d');
      }),
      { numRuns: 120 },
    );
  });

  it('conv_transpose2d (GEMM + col2im) equals the direct scatter', () => {
    fc.assert(
      fc.property(convArb, fc.integer({ min: 0, max: 2 }), (r, opRaw) => {
        const { layer, x, w, b, out } = convTransposeCase(r, opRaw);
        const y = convTranspose2dForward(x, w, b, convTransposeOptions(asKindLayer(layer, 'conv_transpose2d')), gemmBlocked);
        assert.deepEqual(y.shape, layer.outputShape);
        assertClose(y, naiveConvTranspose2d(x, w, b, r.s, r.p, r.d, out, r.groups), 1e-5, 'conv_transpose2d');
      }),
      { numRuns: 120 },
    );
  });

  const poolArb = fc
    .record({
      h: fc.integer({ min: 1, max: 10 }),
      w: fc.integer({ min: 1, max: 10 }),
      k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
      s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      p: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
      d: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      ceil: fc.boolean(),
      includePad: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1 << 20 }),
    })
    .filter((r) => r.p[0] <= Math.floor(r.k[0] / 2) && r.p[1] <= Math.floor(r.k[1] / 2));

  it("maxpool2d equals PyTorch's CPU loop, values and argmax (ceil_mode, padding, dilation)", () => {
    fc.assert(
      fc.property(poolArb, (r) => {
        fc.pre(r.h + 2 * r.p[0] >= r.d[0] * (r.k[0] - 1) + 1 && r.w + 2 * r.p[1] >= r.d[1] * (r.k[1] - 1) + 1);
        const layer = analyzeLayer([2, 2, r.h, r.w], 'maxpool2d', {
          kernel_size: r.k,
          stride: r.s,
          padding: r.p,
          dilation: r.d,
          ceil_mode: r.ceil,
        });
        const g = layer.geometry!;
        // Ties included: both must keep the first maximum.
        const x = randomTensor([2, 2, r.h, r.w], r.seed);
        for (let i = 0; i < x.data.length; i += 3) x.data[i] = Math.round(x.data[i]!);
        const mine = maxPool2dForward(x, g);
        const ref = naiveMaxPool(x, r.k, r.s, r.p, r.d, [g.h.output, g.w.output]);
        assert.deepEqual([...mine.output.data], [...ref.y.data]);
        assert.deepEqual([...mine.indices], [...ref.idx]);
      }),
      { numRuns: 200 },
    );
  });

  it("avgpool2d equals PyTorch's CPU loop (ceil_mode windows, both divisor rules)", () => {
    fc.assert(
      fc.property(poolArb, (r) => {
        fc.pre(r.h + 2 * r.p[0] >= r.k[0] && r.w + 2 * r.p[1] >= r.k[1]);
        const layer = analyzeLayer([2, 2, r.h, r.w], 'avgpool2d', {
          kernel_size: r.k,
          stride: r.s,
          padding: r.p,
          ceil_mode: r.ceil,
          count_include_pad: r.includePad,
        });
        const g = layer.geometry!;
        const x = randomTensor([2, 2, r.h, r.w], r.seed);
        assertClose(
          avgPool2dForward(x, g, r.includePad),
          naiveAvgPool(x, r.k, r.s, r.p, r.includePad, [g.h.output, g.w.output]),
          1e-6,
          'avgpool2d',
        );
      }),
      { numRuns: 200 },
    );
  });

  it('max pooling lets NaN win, as PyTorch does', () => {
    const layer = analyzeLayer([1, 1, 2, 2], 'maxpool2d', { kernel_size: 2 });
    const x = tensor([1, 1, 2, 2], Float32Array.from([1, NaN, 5, 2]));
    const { output, indices } = maxPool2dForward(x, layer.geometry!);
    assert.ok(Number.isNaN(output.data[0]));
    assert.equal(indices[0], 1);
  });

  it('adaptive pools average / max over floor(i·H/O) .. ceil((i+1)·H/O)', () => {
    for (const [inH, inW, outH, outW] of [
      [10, 5, 3, 3],
      [7, 7, 7, 7],
      [5, 3, 8, 4],
      [6, 9, 1, 1],
    ] as const) {
      const x = distinctTensor([1, 2, inH, inW], inH * 31 + outH);
      const avg = adaptiveAvgPool2dForward(x, outH, outW);
      const max = adaptiveMaxPool2dForward(x, outH, outW).output;
      let o = 0;
      for (let p = 0; p < 2; p++)
        for (let oh = 0; oh < outH; oh++)
          for (let ow = 0; ow < outW; ow++, o++) {
            const [h0, h1] = adaptiveWindow(oh, inH, outH);
            const [w0, w1] = adaptiveWindow(ow, inW, outW);
            const values: number[] = [];
            for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) values.push(x.data[p * inH * inW + ih * inW + iw]!);
            assert.ok(Math.abs(avg.data[o]! - values.reduce((a, b) => a + b, 0) / values.length) < 1e-4);
            assert.equal(max.data[o], Math.max(...values));
          }
    }
  });

  it('batchnorm2d equals (x − mean)/√(var + eps)·w + b', () => {
    const x = randomTensor([2, 3, 2, 2], 5, 3);
    const p = {
      weight: randomTensor([3], 6),
      bias: randomTensor([3], 7),
      runningMean: randomTensor([3], 8),
      runningVar: tensor([3], Float32Array.from([0.5, 1, 2])),
      eps: 1e-5,
    };
    const y = batchNorm2dForward(x, p);
    for (let i = 0; i < x.data.length; i++) {
      const c = Math.floor(i / 4) % 3;
      const expected =
        ((x.data[i]! - p.runningMean.data[c]!) / Math.sqrt(p.runningVar.data[c]! + 1e-5)) * p.weight.data[c]! + p.bias.data[c]!;
      assert.ok(Math.abs(y.data[i]! - expected) < 1e-5);
    }
  });

  it('linear equals the row-by-row dot products on any leading shape', () => {
    const x = randomTensor([2, 3, 5], 9);
    const w = randomTensor([4, 5], 10);
    const b = randomTensor([4], 11);
    const y = linearForward(x, w, b, gemmBlocked);
    assert.deepEqual(y.shape, [2, 3, 4]);
    for (let r = 0; r < 6; r++)
      for (let j = 0; j < 4; j++) {
        let s = b.data[j]!;
        for (let k = 0; k < 5; k++) s += x.data[r * 5 + k]! * w.data[j * 5 + k]!;
        assert.ok(Math.abs(y.data[r * 4 + j]! - s) < 1e-5);
      }
  });

  it('nearest upsampling by 2 repeats each pixel in a 2×2 block', () => {
    const x = tensor([1, 1, 2, 2], Float32Array.from([1, 2, 3, 4]));
    const y = upsampleForward(x, { outH: 4, outW: 4, mode: 'nearest', scaleFactor: [2, 2] });
    assert.deepEqual([...y.data], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('bilinear upsampling reproduces a linear ramp away from the clamped border', () => {
    const x = tensor([1, 1, 1, 4], Float32Array.from([0, 1, 2, 3]));
    const y = upsampleForward(x, { outH: 1, outW: 8, mode: 'bilinear', scaleFactor: [1, 2] });
    // src = (dst + 0.5)/2 − 0.5, clamped at 0 and at the last pixel.
    assert.deepEqual([...y.data], [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
  });

  it('every kind without parameters returns no parameter specs, and kinds with parameters do', () => {
    const withParams = KINDS.filter((def) => 'paramTensors' in def)
      .map((def) => def.kind)
      .sort();
    assert.deepEqual(withParams, [
      'batchnorm2d',
      'conv2d',
      'conv_transpose2d',
      'depthwise_conv2d',
      'layer_norm2d',
      'linear',
      'separable_conv2d',
      'tf_batchnorm',
      'tf_conv_transpose2d',
    ]);
  });
});
