import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeWindowGeometry, type WindowGeometryInput } from '../../src/core/geometry';
import { createRandom } from '../../src/core/engine/rng';
import { decodeBase64, embeddedGemmWasm } from '../../src/core/engine/wasm/embedded';
import { WasmHeap } from '../../src/core/engine/wasm/heap';
import {
  asStridedGemm,
  createWasmGemm,
  loadWasmGemm,
  wasmGemmUnavailableReason,
  type ConvGeometry,
  type GemmOptions,
  type WasmGemm,
} from '../../src/core/engine/wasm';

// Nothing here is skipped: without the built module every test fails and says how to build it.
const BUILD_HINT = 'run `npm run build:wasm` (scripts/build-wasm.mjs, with the pinned @yowasp/clang)';

function wasm(): WasmGemm {
  const gemm = loadWasmGemm();
  if (!gemm) assert.fail(`the WebAssembly GEMM is unavailable: ${wasmGemmUnavailableReason()}; ${BUILD_HINT}`);
  return gemm;
}

/** A private instance, for tests that grow memory or count allocations. */
function freshWasm(): WasmGemm {
  const embedded = embeddedGemmWasm();
  if ('missing' in embedded) assert.fail(`${embedded.missing}; ${BUILD_HINT}`);
  const created = createWasmGemm(embedded.bytes);
  if ('unavailable' in created) assert.fail(created.unavailable);
  return created;
}

function filled(n: number, seed: number, stream: string): Float32Array {
  const random = createRandom(seed, stream);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

const TOLERANCE = 1e-5;

/**
 * Checks got against a float64 reference: |got − ref| ≤ 1e-5 · scale, where scale is the sum of
 * the magnitudes of every term that went into the entry (Σ|a·b| + |initial C| + |biases|), the
 * bound float32 accumulation error is naturally relative to.
 */
function assertClose(got: Float32Array, ref: Float64Array, scale: Float64Array, what: string): void {
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < ref.length; i++) {
    const rel = Math.abs(got[i]! - ref[i]!) / Math.max(scale[i]!, 1e-30);
    if (!(rel <= worst)) {
      worst = rel;
      worstAt = i;
    }
  }
  assert.ok(
    worst <= TOLERANCE,
    `${what}: entry ${worstAt} is ${got[worstAt]}, reference ${ref[worstAt]} (relative error ${worst.toExponential(2)})`,
  );
}

interface GemmCase {
  M: number;
  N: number;
  K: number;
  transposeA: boolean;
  transposeB: boolean;
  pad: number;
  accumulate: boolean;
  rowBias: boolean;
  columnBias: boolean;
}

type PackMode = readonly [packA: boolean, packB: boolean];
const ALL_PACK_MODES: readonly PackMode[] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Runs one case through the wasm GEMM, once per pack mode, against one float64 triple loop. */
function checkGemm(gemm: WasmGemm, c: GemmCase, seed: number, packModes: readonly PackMode[]): void {
  const { M, N, K, pad } = c;
  const lda = (c.transposeA ? M : K) + pad;
  const ldb = (c.transposeB ? K : N) + pad;
  const ldc = N + pad;
  const a = filled(Math.max(1, (c.transposeA ? K : M) * lda), seed, 'a');
  const b = filled(Math.max(1, (c.transposeB ? N : K) * ldb), seed, 'b');
  const c0 = filled(M * ldc, seed, 'c');
  const rowBias = c.rowBias ? filled(M, seed, 'rowBias') : undefined;
  const columnBias = c.columnBias ? filled(N, seed, 'columnBias') : undefined;
  const A = (i: number, k: number): number => a[c.transposeA ? k * lda + i : i * lda + k]!;
  const B = (k: number, j: number): number => b[c.transposeB ? j * ldb + k : k * ldb + j]!;

  const ref = new Float64Array(M * ldc);
  const scale = new Float64Array(M * ldc);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < ldc; j++) {
      const at = i * ldc + j;
      if (j >= N) {
        ref[at] = c0[at]!; // the gap between rows must stay as it was
        scale[at] = 1e-30;
        continue;
      }
      let sum = c.accumulate ? c0[at]! : 0;
      let mag = Math.abs(sum);
      for (const bias of [rowBias?.[i], columnBias?.[j]]) {
        if (bias === undefined) continue;
        sum += bias;
        mag += Math.abs(bias);
      }
      for (let k = 0; k < K; k++) {
        const t = A(i, k) * B(k, j);
        sum += t;
        mag += Math.abs(t);
      }
      ref[at] = sum;
      scale[at] = mag;
    }
  }

  for (const [packA, packB] of packModes) {
    const opts: GemmOptions = { accumulate: c.accumulate, ldc, rowBias, columnBias };
    const packedA = packA ? gemm.packA(M, K, a, { transposed: c.transposeA, ld: lda }) : undefined;
    const packedB = packB ? gemm.packB(K, N, b, { transposed: c.transposeB, ld: ldb }) : undefined;
    if (!packedA) Object.assign(opts, { lda, transposeA: c.transposeA });
    if (!packedB) Object.assign(opts, { ldb, transposeB: c.transposeB });
    const out = Float32Array.from(c0);
    gemm.sgemm(M, N, K, packedA ?? a, packedB ?? b, out, opts);
    packedA?.dispose();
    packedB?.dispose();
    assertClose(out, ref, scale, `sgemm ${JSON.stringify({ ...c, packA, packB })}`);
  }
}

const ODD_SIZES = [1, 3, 7, 17, 63, 65, 127, 129];

describe('WebAssembly SIMD GEMM', function () {
  this.timeout(120_000);

  it('is built, from the current C sources, by the pinned compiler, and loads', () => {
    const embedded = embeddedGemmWasm();
    if ('missing' in embedded) assert.fail(`${embedded.missing}; ${BUILD_HINT}`);
    // out/test/unit → the repository root
    const root = join(__dirname, '..', '..', '..');
    const wasmDir = join(root, 'src', 'core', 'engine', 'wasm');
    const current: Record<string, string> = {};
    for (const name of readdirSync(wasmDir)
      .filter((n) => /\.(c|h)$/.test(n))
      .sort()) {
      current[name] = createHash('sha256')
        .update(readFileSync(join(wasmDir, name)))
        .digest('hex');
    }
    assert.ok('gemm.c' in current);
    assert.deepEqual(embedded.sources, current, `the C sources changed since the module was built: ${BUILD_HINT}`);
    // The pinned version, as package.json's devDependencies name it (exact, no range).
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const pinned = pkg.devDependencies['@yowasp/clang'];
    assert.match(pinned ?? '', /^\d+\.\d+\.\d+(-[\w.]+)?$/, '@yowasp/clang must be pinned to an exact version');
    assert.equal(embedded.compiler, `@yowasp/clang ${pinned}`, `the module was not built by the pinned compiler: ${BUILD_HINT}`);
    const gemm = wasm();
    assert.equal(gemm.nr, 8);
    assert.ok(gemm.mr >= 1);
  });

  it('matches a float64 triple loop on odd shapes, in every operand mode', () => {
    const gemm = wasm();
    const modes: Omit<GemmCase, 'M' | 'N' | 'K'>[] = [];
    for (let bits = 0; bits < 8; bits++) {
      modes.push({
        transposeA: (bits & 1) !== 0,
        transposeB: (bits & 2) !== 0,
        accumulate: (bits & 4) !== 0,
        pad: bits % 3,
        rowBias: bits % 3 === 1,
        columnBias: bits % 5 === 2,
      });
    }
    let index = 0;
    for (const M of ODD_SIZES) {
      for (const N of ODD_SIZES) {
        for (const K of [1, 7, 65, 300]) {
          checkGemm(gemm, { M, N, K, ...modes[index % modes.length]! }, index, [ALL_PACK_MODES[(index >> 3) % 4]!]);
          index++;
        }
      }
    }
  });

  it('crosses every cache-block boundary and handles large K', () => {
    const gemm = wasm();
    const base = { transposeA: false, transposeB: false, pad: 1, accumulate: false, rowBias: true, columnBias: true };
    for (const [M, N, K] of [
      [121, 257, 257], // MC = 120, NC = 256, KC = 256: one past each
      [241, 520, 40],
      [17, 33, 4099],
      [5, 9, 10_007],
      [64, 130, 2500],
    ] as const) {
      checkGemm(gemm, { M, N, K, ...base }, M + N + K, ALL_PACK_MODES);
    }
  });

  it('with K = 0 writes only the biases (or keeps C when accumulating)', () => {
    const gemm = wasm();
    const c = new Float32Array(6).fill(5);
    gemm.sgemm(2, 3, 0, new Float32Array(0), new Float32Array(0), c, { rowBias: Float32Array.from([1, 2]) });
    assert.deepEqual([...c], [1, 1, 1, 2, 2, 2]);
    gemm.sgemm(2, 3, 0, new Float32Array(0), new Float32Array(0), c, { accumulate: true, columnBias: Float32Array.from([1, 0, 0]) });
    assert.deepEqual([...c], [2, 1, 1, 3, 2, 2]);
  });

  it('is a drop-in for the engine GEMM signature, on subarray views', () => {
    const gemm = asStridedGemm(wasm());
    const buffer = new Float32Array(20).fill(7);
    const a = Float32Array.from([1, 2, 3, 4]); // 2×2
    const b = Float32Array.from([5, 6, 7, 8]); // 2×2
    gemm(2, 2, 2, a, 2, b, 2, buffer.subarray(5), 3, false);
    assert.deepEqual([...buffer.subarray(5, 11)], [19, 22, 7, 43, 50, 7]);
    assert.equal(buffer[4], 7);
    assert.equal(buffer[11], 7);
    gemm(2, 2, 2, a, 2, b, 2, buffer.subarray(5), 3, true);
    assert.deepEqual([...buffer.subarray(5, 11)], [38, 44, 7, 86, 100, 7]);
  });

  it('uses operands written in place in its own memory, and says when a view went stale', () => {
    const gemm = freshWasm();
    const [M, N, K] = [13, 21, 37];
    const aBuf = gemm.allocate(M * K);
    const bBuf = gemm.allocate(K * N);
    const cBuf = gemm.allocate(M * N);
    const a = filled(M * K, 1, 'a');
    const b = filled(K * N, 1, 'b');
    aBuf.view().set(a);
    bBuf.view().set(b);
    gemm.sgemm(M, N, K, aBuf.view(), bBuf.view(), cBuf.view());
    const expected = new Float32Array(M * N);
    gemm.sgemm(M, N, K, a, b, expected);
    assert.deepEqual([...cBuf.view()], [...expected]);

    const stale = cBuf.view();
    const before = gemm.memoryBytes();
    const big = gemm.allocate(before); // forces the memory to grow, detaching `stale`
    assert.ok(gemm.memoryBytes() > before);
    assert.throws(() => gemm.sgemm(M, N, K, a, b, stale), /take a fresh view\(\)/);
    gemm.sgemm(M, N, K, aBuf.view(), bBuf.view(), cBuf.view());
    assert.deepEqual([...cBuf.view()], [...expected]);
    for (const buffer of [aBuf, bBuf, cBuf, big]) buffer.dispose();
    assert.throws(() => aBuf.view(), /disposed/);
  });

  it('refuses mismatched, disposed and foreign packed operands with the numbers', () => {
    const gemm = wasm();
    const packed = gemm.packA(4, 6, new Float32Array(24));
    assert.throws(
      () => gemm.sgemm(4, 5, 7, packed, new Float32Array(35), new Float32Array(20)),
      /packed A has depth = 6, the call needs 7/,
    );
    assert.throws(
      () => gemm.sgemm(4, 5, 6, new Float32Array(23), new Float32Array(30), new Float32Array(20)),
      /A has 23 elements, needs \(M − 1\)·lda \+ K = \(4 − 1\)·6 \+ 6 = 24/,
    );
    const other = freshWasm();
    assert.throws(() => other.sgemm(4, 5, 6, packed, new Float32Array(30), new Float32Array(20)), /another WasmGemm instance/);
    packed.dispose();
    assert.ok(packed.disposed);
    assert.throws(() => gemm.sgemm(4, 5, 6, packed, new Float32Array(30), new Float32Array(20)), /disposed/);
  });

  it('returns to its fallback reason on bytes that are not a module', () => {
    const result = createWasmGemm(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 42]));
    assert.ok('unavailable' in result && /did not load/.test(result.unavailable));
  });

  it('decodes base64 like Buffer does', () => {
    const random = createRandom(3, 'base64');
    for (const length of [0, 1, 2, 3, 4, 5, 100, 1001]) {
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      const text = Buffer.from(bytes).toString('base64');
      assert.deepEqual([...decodeBase64(text)], [...bytes]);
      assert.deepEqual([...decodeBase64(text.replace(/=+$/, ''))], [...bytes]);
    }
    assert.throws(() => decodeBase64('AB*D'), /invalid base64 character "\*" at 2/);
  });
});

/** Direct convolution in float64: out[co, oh, ow] = bias + Σ w[co, c, kh, kw] · x[c, ih, iw]. */
function directConv(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  init: Float32Array | undefined,
  C: number,
  M: number,
  g: ConvGeometry,
): { ref: Float64Array; scale: Float64Array } {
  const { h, w: wa } = g;
  const ref = new Float64Array(M * h.output * wa.output);
  const scale = new Float64Array(ref.length);
  for (let co = 0; co < M; co++) {
    for (let oh = 0; oh < h.output; oh++) {
      for (let ow = 0; ow < wa.output; ow++) {
        const at = (co * h.output + oh) * wa.output + ow;
        let sum = (init ? init[at]! : 0) + (bias ? bias[co]! : 0);
        let mag = Math.abs(sum);
        for (let c = 0; c < C; c++) {
          for (let kh = 0; kh < h.kernel; kh++) {
            const ih = oh * h.stride - h.padBefore + kh * h.dilation;
            if (ih < 0 || ih >= h.input) continue;
            for (let kw = 0; kw < wa.kernel; kw++) {
              const iw = ow * wa.stride - wa.padBefore + kw * wa.dilation;
              if (iw < 0 || iw >= wa.input) continue;
              const t = w[((co * C + c) * h.kernel + kh) * wa.kernel + kw]! * x[(c * h.input + ih) * wa.input + iw]!;
              sum += t;
              mag += Math.abs(t);
            }
          }
        }
        ref[at] = sum;
        scale[at] = Math.max(mag, 1e-30);
      }
    }
  }
  return { ref, scale };
}

describe('WebAssembly SIMD conv2d (im2col into packed panels + GEMM)', function () {
  this.timeout(120_000);

  const cases: { name: string; C: number; M: number; spec: WindowGeometryInput }[] = [
    {
      name: 'ResNet 3×3 block (narrow)',
      C: 8,
      M: 16,
      spec: { input: [56, 56], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    },
    {
      name: '7×7 stride-2 stem',
      C: 3,
      M: 13,
      spec: { input: [64, 64], kernel: [7, 7], stride: [2, 2], padding: [3, 3], dilation: [1, 1] },
    },
    { name: '1×1', C: 37, M: 9, spec: { input: [7, 9], kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1] } },
    {
      name: 'odd width, rows straddle panels',
      C: 5,
      M: 7,
      spec: { input: [13, 11], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    },
    {
      name: 'stride 3, padding 2',
      C: 4,
      M: 6,
      spec: { input: [29, 31], kernel: [5, 5], stride: [3, 3], padding: [2, 2], dilation: [1, 1] },
    },
    { name: 'dilation 2', C: 3, M: 5, spec: { input: [20, 40], kernel: [3, 3], stride: [1, 1], padding: [2, 2], dilation: [2, 2] } },
    {
      name: 'rectangular kernel and stride',
      C: 2,
      M: 3,
      spec: { input: [17, 50], kernel: [2, 5], stride: [2, 1], padding: [0, 2], dilation: [1, 1] },
    },
    {
      name: "TensorFlow 'same' stride 2 (asymmetric padding)",
      C: 3,
      M: 8,
      spec: { input: [33, 66], kernel: [3, 3], stride: [2, 2], padding: 'same', dilation: [1, 1] },
    },
    {
      name: 'stride 2 wide rows (vector path)',
      C: 2,
      M: 4,
      spec: { input: [9, 90], kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] },
    },
    {
      name: 'kernel as large as the input',
      C: 3,
      M: 2,
      spec: { input: [5, 5], kernel: [5, 5], stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
    },
    {
      name: 'many channels (K crosses KC)',
      C: 70,
      M: 11,
      spec: { input: [10, 10], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    },
  ];

  for (const { name, C, M, spec } of cases) {
    it(`matches a direct convolution: ${name}`, () => {
      const gemm = wasm();
      const g = computeWindowGeometry(spec);
      const taps = g.h.kernel * g.w.kernel;
      const x = filled(C * g.h.input * g.w.input, C, 'x');
      const weights = filled(M * C * taps, M, 'w');
      const bias = filled(M, M, 'bias');
      const packed = gemm.packA(M, C * taps, weights);
      const out = new Float32Array(M * g.h.output * g.w.output);
      gemm.conv2d(x, packed, g, out, { bias });
      const expected = directConv(x, weights, bias, undefined, C, M, g);
      assertClose(out, expected.ref, expected.scale, name);

      const init = filled(out.length, 5, 'init');
      const acc = Float32Array.from(init);
      gemm.conv2d(x, packed, g, acc, { accumulate: true });
      const expectedAcc = directConv(x, weights, undefined, init, C, M, g);
      assertClose(acc, expectedAcc.ref, expectedAcc.scale, `${name}, accumulate`);
      packed.dispose();
    });
  }

  it('runs a grouped convolution through subarray views', () => {
    const gemm = wasm();
    const groups = 3,
      Cg = 4,
      Mg = 5;
    const g = computeWindowGeometry({ input: [12, 12], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
    const plane = g.h.input * g.w.input,
      outPlane = g.h.output * g.w.output,
      K = Cg * 9;
    const x = filled(groups * Cg * plane, 1, 'x');
    const weights = filled(groups * Mg * K, 2, 'w');
    const bias = filled(groups * Mg, 3, 'bias');
    const out = new Float32Array(groups * Mg * outPlane);
    for (let gi = 0; gi < groups; gi++) {
      const packed = gemm.packA(Mg, K, weights.subarray(gi * Mg * K, (gi + 1) * Mg * K));
      gemm.conv2d(x.subarray(gi * Cg * plane), packed, g, out.subarray(gi * Mg * outPlane), {
        bias: bias.subarray(gi * Mg, (gi + 1) * Mg),
      });
      packed.dispose();
    }
    for (let gi = 0; gi < groups; gi++) {
      const expected = directConv(x.subarray(gi * Cg * plane), weights.subarray(gi * Mg * K), bias.subarray(gi * Mg), undefined, Cg, Mg, g);
      assertClose(out.subarray(gi * Mg * outPlane, (gi + 1) * Mg * outPlane), expected.ref, expected.scale, `group ${gi}`);
    }
  });

  it('checks the weights against the kernel and the buffers against the geometry', () => {
    const gemm = wasm();
    const g = computeWindowGeometry({ input: [8, 8], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
    const packed = gemm.packA(4, 10, new Float32Array(40));
    assert.throws(
      () => gemm.conv2d(new Float32Array(64), packed, g, new Float32Array(256)),
      /depth 10 is not channels·KH·KW for a 3×3 kernel/,
    );
    const ok = gemm.packA(4, 18, new Float32Array(72));
    assert.throws(
      () => gemm.conv2d(new Float32Array(127), ok, g, new Float32Array(256)),
      /input has 127 elements, needs C·H·W = 2·8·8 = 128/,
    );
    packed.dispose();
    ok.dispose();
  });
});

describe('WasmHeap', () => {
  it('aligns, reuses and coalesces freed blocks, and grows the memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 100);
    const a = heap.alloc(10);
    const b = heap.alloc(100);
    const c = heap.alloc(64);
    assert.deepEqual([a, b, c], [128, 192, 320]);
    heap.free(b);
    assert.equal(heap.alloc(64), 192, 'first fit reuses the hole');
    heap.free(a);
    heap.free(192);
    assert.equal(heap.alloc(192), 128, 'the two freed neighbours merged');
    const big = heap.alloc(200_000);
    assert.ok(memory.buffer.byteLength >= big + 200_000);
    heap.free(big);
    heap.free(c);
    assert.equal(heap.allocatedBytes, 192);
    assert.throws(() => heap.free(c), /not a live allocation/);
  });
});
