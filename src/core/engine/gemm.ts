// Matrix multiply behind one small interface, so a faster implementation (the WebAssembly SIMD
// GEMM in ./wasm/) can replace this one without touching the kernels.
//
// All matrices are row-major with an explicit leading dimension (elements between the starts of
// two consecutive rows); pass `subarray` views to start anywhere in a larger buffer.

/** C (m×n) = A (m×k) · B (k×n), or C += A·B when `accumulate`. */
export type Gemm = (
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  c: Float32Array,
  ldc: number,
  accumulate: boolean,
) => void;

/** The reference: three loops, accumulated in double precision. Tests compare against it. */
export const gemmNaive: Gemm = (m, n, k, a, lda, b, ldb, c, ldc, accumulate) => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? c[i * ldc + j]! : 0;
      for (let p = 0; p < k; p++) sum += a[i * lda + p]! * b[p * ldb + j]!;
      c[i * ldc + j] = sum;
    }
  }
};

// Blocking, after Goto & van de Geijn / BLIS: a KC × NC block of B is packed into NR-wide column
// panels (each KC·NR floats, L1-sized), an MC × KC block of A into MR-tall row panels (the block
// fits L2), and a 4 × 4 register-blocked micro-kernel multiplies one A panel by one B panel with
// 16 accumulators held in locals. Packing makes every inner-loop read sequential, and packing into
// Float64Array moves the float32 → double conversions out of the inner loop. 4 × 4 with float64
// panels measured best in V8 (4 × 8, 8 × 4 and float32 panels were equal or up to 25% slower):
// x64 has 16 vector registers and TurboFan spills accumulators beyond that.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 1024;

/** Cache-blocked, register-blocked GEMM in plain TypeScript. */
export const gemmBlocked: Gemm = (m, n, k, a, lda, b, ldb, c, ldc, accumulate) => {
  if (m <= 0 || n <= 0) return;
  if (!accumulate) {
    for (let i = 0; i < m; i++) c.fill(0, i * ldc, i * ldc + n);
  }
  if (k <= 0) return;
  if (m === 1 || n === 1) {
    gemvLike(m, n, k, a, lda, b, ldb, c, ldc);
    return;
  }
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, n);
  const mcMax = Math.min(MC, m);
  const packedB = new Float64Array(kcMax * (Math.ceil(ncMax / NR) * NR));
  const packedA = new Float64Array(kcMax * (Math.ceil(mcMax / MR) * MR));
  const edge = new Float64Array(MR * NR);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const bPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, ldb, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const aPanels = Math.ceil(mc / MR);
        packA(a, lda, ic, pc, mc, kc, packedA);
        for (let p = 0; p < bPanels; p++) {
          const j0 = jc + p * NR;
          const cols = Math.min(NR, n - j0);
          for (let q = 0; q < aPanels; q++) {
            const i0 = ic + q * MR;
            const rows = Math.min(MR, m - i0);
            microKernel(kc, packedA, q * kc * MR, packedB, p * kc * NR, c, i0 * ldc + j0, ldc, rows, cols, edge);
          }
        }
      }
    }
  }
};

/** Rows pc..pc+kc of B, columns jc..jc+nc, as NR-wide panels, each stored k-major; zero-padded. */
function packB(b: Float32Array, ldb: number, pc: number, jc: number, kc: number, nc: number, out: Float64Array): void {
  const panels = Math.ceil(nc / NR);
  for (let p = 0; p < panels; p++) {
    const j0 = jc + p * NR;
    const width = Math.min(NR, jc + nc - j0);
    let o = p * kc * NR;
    if (width === NR) {
      for (let kk = 0; kk < kc; kk++) {
        const r = (pc + kk) * ldb + j0;
        out[o] = b[r]!;
        out[o + 1] = b[r + 1]!;
        out[o + 2] = b[r + 2]!;
        out[o + 3] = b[r + 3]!;
        o += NR;
      }
    } else {
      for (let kk = 0; kk < kc; kk++) {
        const r = (pc + kk) * ldb + j0;
        for (let t = 0; t < NR; t++) out[o + t] = t < width ? b[r + t]! : 0;
        o += NR;
      }
    }
  }
}

/** Rows ic..ic+mc of A, columns pc..pc+kc, as MR-tall panels, each stored k-major; zero-padded. */
function packA(a: Float32Array, lda: number, ic: number, pc: number, mc: number, kc: number, out: Float64Array): void {
  const panels = Math.ceil(mc / MR);
  for (let q = 0; q < panels; q++) {
    const i0 = ic + q * MR;
    const height = Math.min(MR, ic + mc - i0);
    const base = q * kc * MR;
    for (let t = 0; t < MR; t++) {
      if (t < height) {
        const r = (i0 + t) * lda + pc;
        for (let kk = 0; kk < kc; kk++) out[base + kk * MR + t] = a[r + kk]!;
      } else {
        for (let kk = 0; kk < kc; kk++) out[base + kk * MR + t] = 0;
      }
    }
  }
}

/** C[0..rows, 0..cols] += (A panel) · (B panel), k = kc. */
function microKernel(
  kc: number,
  pa: Float64Array,
  ia: number,
  pb: Float64Array,
  ib: number,
  c: Float32Array,
  ic: number,
  ldc: number,
  rows: number,
  cols: number,
  edge: Float64Array,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let kk = 0; kk < kc; kk++) {
    const a0 = pa[ia]!,
      a1 = pa[ia + 1]!,
      a2 = pa[ia + 2]!,
      a3 = pa[ia + 3]!;
    const b0 = pb[ib]!,
      b1 = pb[ib + 1]!,
      b2 = pb[ib + 2]!,
      b3 = pb[ib + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ia += MR;
    ib += NR;
  }
  if (rows === MR && cols === NR) {
    let r = ic;
    c[r] = c[r]! + c00;
    c[r + 1] = c[r + 1]! + c01;
    c[r + 2] = c[r + 2]! + c02;
    c[r + 3] = c[r + 3]! + c03;
    r += ldc;
    c[r] = c[r]! + c10;
    c[r + 1] = c[r + 1]! + c11;
    c[r + 2] = c[r + 2]! + c12;
    c[r + 3] = c[r + 3]! + c13;
    r += ldc;
    c[r] = c[r]! + c20;
    c[r + 1] = c[r + 1]! + c21;
    c[r + 2] = c[r + 2]! + c22;
    c[r + 3] = c[r + 3]! + c23;
    r += ldc;
    c[r] = c[r]! + c30;
    c[r + 1] = c[r + 1]! + c31;
    c[r + 2] = c[r + 2]! + c32;
    c[r + 3] = c[r + 3]! + c33;
    return;
  }
  edge[0] = c00;
  edge[1] = c01;
  edge[2] = c02;
  edge[3] = c03;
  edge[4] = c10;
  edge[5] = c11;
  edge[6] = c12;
  edge[7] = c13;
  edge[8] = c20;
  edge[9] = c21;
  edge[10] = c22;
  edge[11] = c23;
  edge[12] = c30;
  edge[13] = c31;
  edge[14] = c32;
  edge[15] = c33;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) c[ic + i * ldc + j] = c[ic + i * ldc + j]! + edge[i * NR + j]!;
  }
}

/** One row or one column: packing would cost as much as the product, so stream directly. */
function gemvLike(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  c: Float32Array,
  ldc: number,
): void {
  if (m === 1) {
    // c[0, :] = c[0, :]! + a[0, :] · B: walk B row by row so its reads are contiguous.
    const acc = new Float64Array(n);
    for (let p = 0; p < k; p++) {
      const ap = a[p]!;
      if (ap === 0) continue;
      const row = p * ldb;
      for (let j = 0; j < n; j++) acc[j] = acc[j]! + ap * b[row + j]!;
    }
    for (let j = 0; j < n; j++) c[j] = c[j]! + acc[j]!;
    return;
  }
  // n === 1: c[:, 0] = c[:, 0]! + A · b[:, 0], one dot product per row of A.
  for (let i = 0; i < m; i++) {
    const row = i * lda;
    let sum = 0;
    for (let p = 0; p < k; p++) sum += a[row + p]! * b[p * ldb]!;
    c[i * ldc] = c[i * ldc]! + sum;
  }
}
