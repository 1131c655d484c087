import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { computeWindowGeometry } from '../../src/core/geometry';
import { col2im, im2col } from '../../src/core/engine/im2col';
import { createRandom } from '../../src/core/engine/rng';
import type { GatherGeometry } from '../../src/core/engine/window';

const geometryArb = fc
  .record({
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 3 }),
    pw: fc.integer({ min: 0, max: 3 }),
    dh: fc.integer({ min: 1, max: 3 }),
    dw: fc.integer({ min: 1, max: 3 }),
    same: fc.boolean(),
    channels: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 1 << 20 }),
  })
  .map((r) => ({
    ...r,
    g: computeWindowGeometry({
      input: [r.h, r.w],
      kernel: [r.kh, r.kw],
      stride: r.same ? [1, 1] : [r.sh, r.sw],
      padding: r.same ? 'same' : [r.ph, r.pw],
      dilation: [r.dh, r.dw],
    }),
  }))
  .filter((r) => r.g.h.output >= 1 && r.g.w.output >= 1);

function filled(n: number, seed: number): Float32Array {
  const random = createRandom(seed, 'im2col');
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

/** The definition: cols[(c, kh, kw), (oh, ow)] = x[c, oh·S − padBefore + kh·D, ...] or the pad value. */
function naiveIm2col(x: Float32Array, channels: number, g: GatherGeometry, padValue: number): Float32Array {
  const { h, w } = g;
  const cols = new Float32Array(channels * h.kernel * w.kernel * h.output * w.output);
  let i = 0;
  for (let c = 0; c < channels; c++)
    for (let kh = 0; kh < h.kernel; kh++)
      for (let kw = 0; kw < w.kernel; kw++)
        for (let oh = 0; oh < h.output; oh++)
          for (let ow = 0; ow < w.output; ow++) {
            const ih = oh * h.stride - h.padBefore + kh * h.dilation;
            const iw = ow * w.stride - w.padBefore + kw * w.dilation;
            cols[i++] = ih >= 0 && ih < h.input && iw >= 0 && iw < w.input ? x[(c * h.input + ih) * w.input + iw]! : padValue;
          }
  return cols;
}

describe('engine im2col / col2im', () => {
  it('im2col equals the definition for any stride, padding (same = asymmetric), dilation', () => {
    fc.assert(
      fc.property(geometryArb, fc.constantFrom(0, -Infinity), ({ g, channels, seed }, padValue) => {
        const x = filled(channels * g.h.input * g.w.input + 3, seed);
        const expected = naiveIm2col(x.subarray(3), channels, g, padValue);
        const cols = new Float32Array(expected.length).fill(NaN);
        im2col(x, 3, channels, g, cols, padValue);
        assert.deepEqual([...cols], [...expected]);
      }),
      { numRuns: 300 },
    );
  });

  it('gathering output-row bands gives the same columns as the whole', () => {
    fc.assert(
      fc.property(geometryArb, fc.integer({ min: 1, max: 4 }), ({ g, channels, seed }, band) => {
        const x = filled(channels * g.h.input * g.w.input, seed);
        const full = naiveIm2col(x, channels, g, 0);
        const rows = channels * g.h.kernel * g.w.kernel;
        const outPlane = g.h.output * g.w.output;
        for (let oh0 = 0; oh0 < g.h.output; oh0 += band) {
          const oh1 = Math.min(g.h.output, oh0 + band);
          const width = (oh1 - oh0) * g.w.output;
          const part = new Float32Array(rows * width).fill(NaN);
          im2col(x, 0, channels, g, part, 0, oh0, oh1);
          for (let r = 0; r < rows; r++) {
            assert.deepEqual(
              [...part.subarray(r * width, (r + 1) * width)],
              [...full.subarray(r * outPlane + oh0 * g.w.output, r * outPlane + oh1 * g.w.output)],
            );
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(
      fc.property(geometryArb, ({ g, channels, seed }) => {
        const x = filled(channels * g.h.input * g.w.input, seed);
        const c = filled(channels * g.h.kernel * g.w.kernel * g.h.output * g.w.output, seed + 1);
        const cols = new Float32Array(c.length);
        im2col(x, 0, channels, g, cols);
        const back = new Float32Array(x.length);
        col2im(c, channels, g, back, 0);
        let lhs = 0,
          rhs = 0;
        for (let i = 0; i < c.length; i++) lhs += cols[i]! * c[i]!;
        for (let i = 0; i < x.length; i++) rhs += x[i]! * back[i]!;
        assert.ok(Math.abs(lhs - rhs) <= 1e-4 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
      }),
      { numRuns: 300 },
    );
  });
});
