// add and mul with PyTorch broadcasting: the shape rule and its error against hand cases, the
// engine against hand values and a naive loop that indexes each input PyTorch's way (a size-1
// axis reads index 0), params and MACs 0.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyzeYaml, runModel } from '../../src/core';
import { broadcastShapes } from '../../src/core/kinds/broadcast';
import { addForward } from '../../src/core/kinds/add/kernel';
import { mulForward } from '../../src/core/kinds/mul/kernel';
import { tensor, type Tensor } from '../../src/core/engine/tensor';
import { randomTensor } from './engine-support.test';

/** The kinds whose kernels are checked here by hand and against naive loops, not PyTorch fixtures. */
export const KINDS_CHECKED_BY_HAND = ['mul'];

function t(shape: number[], values: number[]): Tensor {
  return tensor(shape, Float32Array.from(values));
}

describe('broadcasting: the shape rule', () => {
  it('aligns at the last axis; sizes equal or 1; the output takes the larger (hand cases)', () => {
    assert.deepEqual(
      broadcastShapes([
        [1, 8, 1, 1],
        [1, 8, 7, 5],
      ]),
      { shape: [1, 8, 7, 5] },
    );
    assert.deepEqual(
      broadcastShapes([
        [2, 1, 3],
        [4, 1],
      ]),
      { shape: [2, 4, 3] },
    );
    assert.deepEqual(broadcastShapes([[3], [2, 3]]), { shape: [2, 3] });
    assert.deepEqual(
      broadcastShapes([
        [1, 8],
        [1, 8, 8, 8],
      ]),
      { shape: [1, 8, 8, 8] },
    );
    assert.deepEqual(
      broadcastShapes([
        [5, 1],
        [1, 6],
        [5, 6],
      ]),
      { shape: [5, 6] },
    );
    assert.deepEqual(
      broadcastShapes([
        [2, 3],
        [3, 2],
      ]),
      { clash: [0, 1], axis: 0 },
    );
    assert.deepEqual(
      broadcastShapes([
        [1, 8, 8, 8],
        [1, 8, 1, 1],
        [1, 4, 1, 1],
      ]),
      { clash: [0, 2], axis: 1 },
    );
  });

  it('a squeeze-excitation gate: [1, 8, 1, 1] × [1, 8, 8, 8], 0 params and 0 MACs, and the layer after it sees [1, 8, 8, 8]', () => {
    const result = analyzeYaml(`input: [1, 3, 8, 8]
layers:
  - name: conv1
    conv2d: {out_channels: 8, kernel_size: 3, padding: 1}
  - name: squeeze
    adaptive_avgpool2d: {output_size: 1}
  - name: gate
    sigmoid: {}
  - name: scaled
    mul: {}
    from: [conv1, gate]
  - name: shifted
    add: {}
    from: [gate, scaled]
  - conv2d: {out_channels: 8, kernel_size: 1}
`);
    assert.deepEqual(result.diagnostics, []);
    const m = result.model!;
    const scaled = m.byName.get('scaled')!;
    assert.deepEqual(scaled.outputShape, [1, 8, 8, 8]);
    assert.equal(scaled.params, 0n);
    assert.equal(scaled.macs, 0n);
    assert.deepEqual(scaled.facts, [{ label: 'broadcast', value: '[1, 8, 8, 8] × [1, 8, 1, 1] → [1, 8, 8, 8]' }]);
    assert.deepEqual(m.byName.get('shifted')!.outputShape, [1, 8, 8, 8]);
    // The 1×1 conv after it: 8·8 + 8 = 72 params, 8·(8·8)·8 = 4,096 MACs (on [1, 8, 1, 1] it would be 64).
    const last = m.layers[m.layers.length - 1]!;
    assert.deepEqual([last.outputShape, last.params, last.macs], [[1, 8, 8, 8], 72n, 4096n]);
  });

  it("shapes that don't broadcast are an error quoting both", () => {
    const text = `input: [1, 3, 8, 8]
layers:
  - name: a
    conv2d: {out_channels: 8, kernel_size: 1}
  - name: b
    maxpool2d: {kernel_size: 2}
  - name: prod
    mul: {}
    from: [a, b]
  - name: c
    conv2d: {out_channels: 4, kernel_size: 1}
    from: a
  - name: sum
    add: {}
    from: [a, c]
`;
    const d = analyzeYaml(text).diagnostics;
    assert.deepEqual(
      d.map((x) => x.code),
      ['mul.shape-mismatch', 'add.channel-mismatch'],
    );
    assert.match(
      d[0]!.message,
      /^prod: cannot multiply a \[1, 8, 8, 8\] and b \[1, 8, 4, 4\] \(dim -2: 8 vs 4\): the shapes don't broadcast/,
    );
    assert.match(d[1]!.message, /^sum: cannot add a \[1, 8, 8, 8\] and c \[1, 4, 8, 8\] \(8 vs 4 channels\)/);
    const lines = text.split('\n');
    assert.equal(lines[d[0]!.range.start.line]!.slice(d[0]!.range.start.character, d[0]!.range.end.character), 'b');
  });

  it('mul needs two inputs in from', () => {
    const d = analyzeYaml('input: [1, 3, 8, 8]\nlayers:\n  - mul: {}\n').diagnostics;
    assert.deepEqual(
      d.map((x) => x.code),
      ['graph.too-few-inputs'],
    );
  });
});

/** out[n,c,h,w] = op over inputs of x[n or 0, c or 0, h or 0, w or 0]: PyTorch's broadcasting, written out. */
function naive4d(inputs: Tensor[], op: (a: number, b: number) => number): Tensor {
  const shape = [0, 1, 2, 3].map((k) => Math.max(...inputs.map((x) => x.shape[k]!)));
  const y = tensor(shape);
  let o = 0;
  for (let n = 0; n < shape[0]!; n++)
    for (let c = 0; c < shape[1]!; c++)
      for (let h = 0; h < shape[2]!; h++)
        for (let w = 0; w < shape[3]!; w++) {
          const at = (x: Tensor) => {
            const [N, C, H, W] = x.shape as [number, number, number, number];
            return x.data[(((N === 1 ? 0 : n) * C + (C === 1 ? 0 : c)) * H + (H === 1 ? 0 : h)) * W + (W === 1 ? 0 : w)]!;
          };
          y.data[o++] = inputs.slice(1).reduce((acc, x) => op(acc, at(x)), at(inputs[0]!));
        }
  return y;
}

describe('broadcasting: the engine', () => {
  it('hand values', () => {
    assert.deepEqual(Array.from(mulForward([t([2, 2], [1, 2, 3, 4]), t([2], [10, 100])]).data), [10, 200, 30, 400]);
    const sum = addForward([t([2, 1], [1, 2]), t([3], [10, 20, 30])]);
    assert.deepEqual(sum.shape, [2, 3]);
    assert.deepEqual(Array.from(sum.data), [11, 21, 31, 12, 22, 32]);
    assert.deepEqual(Array.from(mulForward([t([1, 2, 1, 1], [2, 3]), t([1, 2, 1, 2], [1, 2, 3, 4])]).data), [2, 4, 9, 12]);
    assert.throws(() => mulForward([t([2], [1, 2]), t([3], [1, 2, 3])]), /mul: shapes \[2\] and \[3\] don't broadcast/);
  });

  it('add and mul equal the naive broadcasting loop on random 4-D shapes', () => {
    const dims = fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 5 }),
    );
    const input = fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean());
    fc.assert(
      fc.property(dims, fc.array(input, { minLength: 2, maxLength: 3 }), fc.nat(1000), (full, masks, seed) => {
        const inputs = masks.map((m, i) =>
          randomTensor(
            full.map((d, k) => (m[k] ? d : 1)),
            seed + i,
          ),
        );
        const expectedSum = naive4d(inputs, (a, b) => Math.fround(a + b));
        const expectedProduct = naive4d(inputs, (a, b) => Math.fround(a * b));
        const sum = addForward(inputs);
        const product = mulForward(inputs);
        assert.deepEqual(sum.shape, expectedSum.shape);
        assert.deepEqual(Array.from(sum.data), Array.from(expectedSum.data));
        assert.deepEqual(Array.from(product.data), Array.from(expectedProduct.data));
      }),
      { numRuns: 150, seed: 14 },
    );
  });
});

describe('broadcasting: a model run', () => {
  it('a squeeze-excitation block runs (TypeScript and wasm backends) to x · gate and x + gate, per channel by hand', () => {
    const model = analyzeYaml(`input: [2, 3, 4, 5]
layers:
  - name: gate
    adaptive_avgpool2d: {output_size: 1}
  - name: prod
    mul: {}
    from: [input, gate]
  - name: sum
    add: {}
    from: [gate, input]
  - relu: {}
`).model!;
    const input = new Float32Array(2 * 3 * 4 * 5).map((_, i) => Math.sin(i + 1));
    for (const backend of ['ts', 'wasm'] as const) {
      const result = runModel(model, input, { kind: 'random', seed: 1 }, { backend });
      const prod = result.outputs.get('prod')!,
        sum = result.outputs.get('sum')!,
        relu = result.outputs.get('relu_4')!;
      for (let plane = 0; plane < 6; plane++) {
        let mean = 0;
        for (let i = 0; i < 20; i++) mean += input[plane * 20 + i]!;
        mean /= 20;
        for (let i = 0; i < 20; i++) {
          const x = input[plane * 20 + i]!;
          assert.ok(Math.abs(prod.data[plane * 20 + i]! - x * mean) < 1e-6, `${backend} prod`);
          assert.ok(Math.abs(sum.data[plane * 20 + i]! - (x + mean)) < 1e-6, `${backend} sum`);
          assert.ok(Math.abs(relu.data[plane * 20 + i]! - Math.max(0, x + mean)) < 1e-6, `${backend} relu`);
        }
      }
    }
  });
});
