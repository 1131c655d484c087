// The module's elementwise loops (batch normalization as a per-channel affine map, ReLU, residual
// sums, the preview's per-plane statistics) against scalar float64 loops written here, on odd lengths (the vector loop's remainder),
// NaN and ±∞, and with the output aliasing an input, both on JavaScript arrays (staged) and on
// storage in the module's memory (in place).

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { loadWasmGemm, wasmGemmUnavailableReason, type WasmGemm } from '../../src/core/engine/wasm/index';

function wasmOrFail(): WasmGemm {
  const wasm = loadWasmGemm();
  assert.ok(wasm, `the WebAssembly GEMM did not load: ${wasmGemmUnavailableReason()}`);
  return wasm;
}

const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0];
const valuesArb = (min: number, max: number) =>
  fc
    .array(fc.oneof(fc.float({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom(...special)), { minLength: min, maxLength: max })
    .map((v) => Float32Array.from(v));

/** PyTorch's ReLU: NaN stays NaN. */
const relu = (v: number) => (Number.isNaN(v) ? v : Math.max(v, 0));

function sameFloats(actual: Float32Array, expected: number[], what: string, tolerance = 0): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `${what}[${i}]: ${a}, expected NaN`);
    else if (!Number.isFinite(e)) assert.equal(a, e, `${what}[${i}]`);
    else assert.ok(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)), `${what}[${i}]: ${a}, expected ${e}`);
  });
}

describe('WebAssembly SIMD elementwise loops', () => {
  it('relu: max(x, 0) with NaN kept, any length, out of place, in place and in module memory', () => {
    const wasm = wasmOrFail();
    fc.assert(
      fc.property(valuesArb(0, 37), (x) => {
        const expected = [...x].map((v) => Math.fround(relu(v)));
        const y = new Float32Array(x.length);
        wasm.relu(x, y);
        sameFloats(y, expected, 'relu');
        const inPlace = x.slice();
        wasm.relu(inPlace, inPlace);
        sameFloats(inPlace, expected, 'relu in place');
        const stored = wasm.allocate(x.length);
        stored.view().set(x);
        wasm.relu(stored.view(), stored.view());
        sameFloats(stored.view(), expected, 'relu in module memory');
        stored.dispose();
      }),
      { numRuns: 200 },
    );
  });

  it('relu6: min(max(x, 0), 6) with NaN kept, any length, out of place and in place', () => {
    const wasm = wasmOrFail();
    const relu6 = (v: number) => (Number.isNaN(v) ? v : Math.min(Math.max(v, 0), 6));
    fc.assert(
      fc.property(
        fc.oneof(
          valuesArb(0, 37),
          fc.array(fc.float({ noNaN: true, min: -10, max: 10 }), { maxLength: 37 }).map((v) => Float32Array.from(v)),
        ),
        (x) => {
          const expected = [...x].map((v) => Math.fround(relu6(v)));
          const y = new Float32Array(x.length);
          wasm.relu6(x, y);
          sameFloats(y, expected, 'relu6');
          const inPlace = x.slice();
          wasm.relu6(inPlace, inPlace);
          sameFloats(inPlace, expected, 'relu6 in place');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('add: a + b in float32, with and without the ReLU, the output aliasing either input', () => {
    const wasm = wasmOrFail();
    fc.assert(
      fc.property(valuesArb(0, 41), fc.integer({ min: 0, max: 1 << 20 }), fc.boolean(), (a, seed, withRelu) => {
        const b = Float32Array.from(a, (_, i) => Math.fround(Math.sin(seed + i) * 1000));
        const expected = [...a].map((v, i) => {
          const s = Math.fround(v + b[i]!);
          return withRelu ? relu(s) : s;
        });
        const y = new Float32Array(a.length);
        wasm.add(a, b, y, { relu: withRelu });
        sameFloats(y, expected, 'add');
        const intoB = b.slice();
        wasm.add(a, intoB, intoB, { relu: withRelu });
        sameFloats(intoB, expected, 'add into b');
      }),
      { numRuns: 200 },
    );
  });

  it('channelAffine: x·scale[c] + shift[c] per plane (channel = plane mod C), float32 rounding, optional ReLU', () => {
    const wasm = wasmOrFail();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.boolean(),
        (n, c, plane, seed, withRelu) => {
          const x = Float32Array.from({ length: n * c * plane }, (_, i) => Math.fround(Math.cos(seed * 7 + i) * 50));
          if (x.length > 3) x[3] = Number.NaN;
          const scale = Float32Array.from({ length: c }, (_, i) => Math.fround(0.5 + Math.sin(seed + i)));
          const shift = Float32Array.from({ length: c }, (_, i) => Math.fround(Math.cos(seed - i) * 3));
          const expected = [...x].map((v, i) => {
            const ch = Math.floor(i / plane) % c;
            const y = Math.fround(Math.fround(v * scale[ch]!) + shift[ch]!);
            return withRelu ? relu(y) : y;
          });
          const y = new Float32Array(x.length);
          wasm.channelAffine(x, n * c, plane, scale, shift, y, { relu: withRelu });
          sameFloats(y, expected, 'channelAffine');
          wasm.channelAffine(x, n * c, plane, scale, shift, x, { relu: withRelu });
          sameFloats(x, expected, 'channelAffine in place');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('planeStats: per plane, min and max with NaN skipped and the count of values ≠ 0 (NaN counts), against scalar loops', () => {
    const wasm = wasmOrFail();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.boolean(),
        (planes, plane, seed, inModule) => {
          const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0];
          const x = Float32Array.from({ length: planes * plane }, (_, i) => {
            const r = Math.sin(seed + i * 7.1) * 1e4;
            return Math.abs(r) % 5 < 1 ? special[Math.floor(Math.abs(r)) % special.length]! : r;
          });
          const stored = inModule ? wasm.allocate(x.length) : undefined;
          stored?.view().set(x);
          const stats = wasm.planeStats(stored?.view() ?? x, planes, plane);
          stored?.dispose();
          for (let p = 0; p < planes; p++) {
            let min = Infinity,
              max = -Infinity,
              nonZero = 0;
            for (const v of x.subarray(p * plane, (p + 1) * plane)) {
              if (!Number.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
              }
              if (v !== 0) nonZero++;
            }
            // −0 and +0 compare equal: which one a plane of zeros reports is not specified.
            assert.ok(stats.min[p] === min, `plane ${p} of ${planes}×${plane}: min ${stats.min[p]}, expected ${min}`);
            assert.ok(stats.max[p] === max, `plane ${p}: max ${stats.max[p]}, expected ${max}`);
            assert.equal(stats.nonZero[p], nonZero, `plane ${p}: values ≠ 0`);
          }
          assert.equal(stats.min.length, planes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks lengths, quoting the numbers', () => {
    const wasm = wasmOrFail();
    assert.throws(() => wasm.planeStats(new Float32Array(7), 2, 4), /planeStats: input has 7 elements, needs planes·plane = 2·4 = 8/);
    assert.throws(
      () => wasm.add(new Float32Array(5), new Float32Array(4), new Float32Array(5)),
      /add: b has 4 elements, needs a's length 5 = 5/,
    );
    assert.throws(() => wasm.relu(new Float32Array(5), new Float32Array(2)), /relu: output has 2 elements/);
    assert.throws(
      () => wasm.channelAffine(new Float32Array(6), 2, 4, new Float32Array(2), new Float32Array(2), new Float32Array(8)),
      /channelAffine: input has 6 elements, needs planes·plane = 2·4 = 8/,
    );
    assert.throws(
      () => wasm.channelAffine(new Float32Array(4), 1, 4, new Float32Array(2), new Float32Array(3), new Float32Array(4)),
      /scale has 2 values and shift 3/,
    );
  });
});
