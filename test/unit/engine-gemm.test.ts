import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { gemmBlocked, gemmNaive } from '../../src/core/engine/gemm';
import { createRandom } from '../../src/core/engine/rng';

function filled(n: number, seed: number): Float32Array {
  const random = createRandom(seed, 'gemm');
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

/** Multiplies through both implementations with padded leading dimensions and compares. */
function compare(m: number, n: number, k: number, pad: number, accumulate: boolean, seed: number): void {
  const lda = k + pad,
    ldb = n + pad,
    ldc = n + pad;
  const a = filled(Math.max(1, m * lda), seed);
  const b = filled(Math.max(1, k * ldb), seed + 1);
  const c0 = filled(Math.max(1, m * ldc), seed + 2);
  const c1 = Float32Array.from(c0);
  gemmNaive(m, n, k, a, lda, b, ldb, c0, ldc, accumulate);
  gemmBlocked(m, n, k, a, lda, b, ldb, c1, ldc, accumulate);
  for (let i = 0; i < c0.length; i++) {
    // Entries in the padding columns must be untouched by both.
    assert.ok(
      Math.abs(c0[i]! - c1[i]!) <= 1e-5 * Math.max(1, Math.sqrt(k)),
      `m ${m} n ${n} k ${k} pad ${pad}: C[${i}] ${c1[i]} vs ${c0[i]}`,
    );
  }
}

describe('engine GEMM', () => {
  it('matches the naive triple loop on random shapes, strides and accumulate flags', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (m, n, k, pad, accumulate, seed) => compare(m, n, k, pad, accumulate, seed),
      ),
      { numRuns: 150 },
    );
  });

  it('crosses every blocking boundary (K > 256, M > 64, N > 1024)', () => {
    compare(67, 1030, 260, 1, false, 7);
    compare(130, 9, 513, 0, true, 8);
  });

  it('handles the one-row and one-column paths', () => {
    compare(1, 37, 50, 2, false, 9);
    compare(41, 1, 50, 2, true, 10);
    compare(1, 1, 5, 0, false, 11);
  });

  it('writes into subarray views without touching the rest of the buffer', () => {
    const buffer = new Float32Array(20).fill(7);
    const a = Float32Array.from([1, 2, 3, 4]); // 2×2
    const b = Float32Array.from([5, 6, 7, 8]); // 2×2
    gemmBlocked(2, 2, 2, a, 2, b, 2, buffer.subarray(5), 3, false);
    assert.deepEqual([...buffer.subarray(5, 11)], [19, 22, 7, 43, 50, 7]);
    assert.equal(buffer[4], 7);
    assert.equal(buffer[11], 7);
  });
});
