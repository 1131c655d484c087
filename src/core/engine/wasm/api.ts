// The WebAssembly SIMD GEMM: the engine's fast path for convolution (im2col into panels, or
// Winograd F(2×2, 3×3)), transposed convolution and linear layers (the runner's 'wasm' backend),
// with max pooling, depthwise convolution, batch norm, ReLU and residual sums. The TypeScript GEMM
// in ../gemm.ts stays the reference and the fallback:
// `loadWasmGemm()` (./index.ts) returns undefined when the module was not built or WebAssembly
// SIMD is missing. This file holds the types only, so the implementation (./wasm-gemm.ts) and the
// loader (./index.ts) both import it and not each other.
//
// Layout. Every matrix is row-major: A is M×K, B is K×N, C is M×N, and C = A·B. `lda`, `ldb`,
// `ldc` (elements between the starts of consecutive rows) let A, B, C be views into larger
// matrices; `transposeA` / `transposeB` read an operand stored the other way round (A as K×M,
// B as N×K) without copying it.
//
// Which operand to pack. Packing reorders a matrix into the panels the micro-kernel streams
// (MR-row panels of A, NR-column panels of B) and costs one pass over it, so it pays for an
// operand that is reused across calls: the weights. A convolution computes
// out[co, p] = Σ_k W[co, k]·col[k, p] (M = Cout, K = C·KH·KW, N = OH·OW): the weights are A, so
// pack A once per layer (`packA`) and let the column matrix change per call. `conv2d` goes
// further and gathers the column matrix straight into B panels, block by block, so it never
// exists in full. A linear layer with the batch as M (y = x·Wᵀ, M = batch, K = in, N = out) has
// the weights as B: `packB(in, out, W, { transposed: true })` packs PyTorch's out×in weight
// without transposing it first. Both operands may be packed; unpacked operands are packed per
// cache block inside `sgemm`.

import type { Gemm } from '../gemm';
import type { WindowAxis } from '../../geometry';

/** The fields of one axis of the window-geometry record a convolution reads. */
export type ConvAxis = Pick<WindowAxis, 'input' | 'kernel' | 'stride' | 'dilation' | 'padBefore' | 'output'>;

/**
 * Height and width geometry, as computed by `computeWindowGeometry` (../../geometry.ts); the
 * engine's `GatherGeometry` has the same shape. Padding after is implied by the output size.
 */
export interface ConvGeometry {
  h: ConvAxis;
  w: ConvAxis;
}

export interface GemmOptions {
  /** Length M: added to every element of row i. A convolution's per-output-channel bias. */
  rowBias?: Float32Array;
  /** Length N: added to every element of column j. A linear layer's bias when M is the batch. */
  columnBias?: Float32Array;
  /** C += A·B (+ biases) instead of C = A·B (+ biases). */
  accumulate?: boolean;
  /** Then C = max(C, 0) (NaN stays NaN): a ReLU fused into the product's last pass. */
  relu?: boolean;
  /** Then C = min(max(C, 0), 6) instead (NaN stays NaN): a ReLU6 fused into the last pass. */
  relu6?: boolean;
  /** Row stride of an unpacked A (default K, or M when transposed). */
  lda?: number;
  /** Row stride of an unpacked B (default N, or K when transposed). */
  ldb?: number;
  /** Row stride of C (default N). */
  ldc?: number;
  /** A is stored K×M: A[i, k] = a[k·lda + i]. Only for an unpacked A. */
  transposeA?: boolean;
  /** B is stored N×K: B[k, j] = b[j·ldb + k]. Only for an unpacked B. */
  transposeB?: boolean;
}

export interface PackOptions {
  /** The source is stored transposed (packA: K×M; packB: N×K). */
  transposed?: boolean;
  /** Row stride of the source as stored (default: its stored width). */
  ld?: number;
}

export interface ConvOptions {
  /** Length Cout (the packed weights' rows), one per output channel. */
  bias?: Float32Array;
  /** output += conv(input) instead of output = conv(input). */
  accumulate?: boolean;
  /** Then output = max(output, 0) (NaN stays NaN): a ReLU fused into the last pass. */
  relu?: boolean;
  /** Then output = min(max(output, 0), 6) instead (NaN stays NaN): a ReLU6 fused into the last pass. */
  relu6?: boolean;
}

interface PackedBase {
  /** Bytes of WebAssembly memory the panels occupy. */
  readonly byteLength: number;
  readonly disposed: boolean;
  /** Frees the panels now; otherwise they are freed when the object is garbage-collected. */
  dispose(): void;
}

/** A left operand (M×K) packed into MR-row panels; usable only with the WasmGemm that made it. */
export interface PackedA extends PackedBase {
  readonly operand: 'A';
  readonly rows: number;
  readonly depth: number;
}

/** A right operand (K×N) packed into NR-column panels; usable only with the WasmGemm that made it. */
export interface PackedB extends PackedBase {
  readonly operand: 'B';
  readonly depth: number;
  readonly columns: number;
}

/**
 * Float32 storage inside the module's memory. Fill `view()` and pass it as any operand (A, B, C,
 * the input or output of conv2d): it is then used in place, with no copy. A view stays valid
 * until the memory grows (any allocation may grow it; the old view then has length 0), so take a
 * fresh `view()` after allocating and before each call.
 */
export interface WasmFloat32Buffer {
  /** Where the storage starts in the module's memory, in bytes. */
  readonly byteOffset: number;
  readonly length: number;
  readonly disposed: boolean;
  view(): Float32Array;
  dispose(): void;
}

/**
 * Values the engine draws at random, given instead of an array (a lazy parameter: ../weights.ts):
 * `length` values of U(−bound, bound) from the (seed, stream) generator, in row-major order, the
 * values ../rng.ts fillUniformStream draws. The packers draw them straight into the module's
 * memory, a band at a time, in the module's own copy of the generator.
 */
export interface UniformDraw {
  readonly kind: 'uniform';
  readonly length: number;
  readonly bound: number;
  readonly seed: number;
  readonly stream: string;
}

/** Per-plane statistics, as columns (`WasmGemm.planeStats`). */
export interface PlaneStats {
  min: Float32Array;
  max: Float32Array;
  nonZero: Uint32Array;
}

export interface WasmGemm {
  /** Micro-kernel rows and columns: packing pads M to a multiple of mr and N of nr. */
  readonly mr: number;
  readonly nr: number;
  /** The widest kernel `depthwiseConv2d` takes. */
  readonly depthwiseMaxKernelWidth: number;
  /** C (M×N) = A (M×K) · B (K×N), see GemmOptions. A and B may be packed or plain arrays. */
  sgemm(M: number, N: number, K: number, A: Float32Array | PackedA, B: Float32Array | PackedB, C: Float32Array, opts?: GemmOptions): void;
  /**
   * Packs a constant left operand (M×K), e.g. a convolution's weights (Cout × C·KH·KW). A drawn
   * operand (UniformDraw) is M×K row-major (not transposed, ld K).
   */
  packA(M: number, K: number, A: Float32Array | UniformDraw, opts?: PackOptions): PackedA;
  /**
   * Packs a constant right operand (K×N), e.g. a linear layer's weights as in×out. A drawn
   * operand (UniformDraw) is stored N×K row-major, a linear layer's out×in (transposed, ld K).
   */
  packB(K: number, N: number, B: Float32Array | UniformDraw, opts?: PackOptions): PackedB;
  /**
   * One group of one image: output (Cout × OH·OW) = weights (Cout × C·KH·KW) · im2col(input), with
   * input C × H × W. C is weights.depth / (KH·KW). For groups, offset input, output, weights and
   * bias per group (subarray views cost nothing).
   */
  conv2d(input: Float32Array, weights: PackedA, geometry: ConvGeometry, output: Float32Array, opts?: ConvOptions): void;
  /**
   * Max pooling of `planes` planes (values only; padding never wins, NaN does), input
   * planes × H × W, output planes × OH × OW, windows from the geometry record.
   */
  maxPool2d(input: Float32Array, planes: number, geometry: ConvGeometry, output: Float32Array): void;
  /**
   * Depthwise convolution of one image: `channels` input planes, `multiplier` outputs each (output
   * channel c·m + j reads input channel c), weights PyTorch's [C·m, 1, KH, KW], kernel width at
   * most `depthwiseMaxKernelWidth`. A direct loop: as a GEMM each group would be one row deep.
   */
  depthwiseConv2d(
    input: Float32Array,
    channels: number,
    multiplier: number,
    geometry: ConvGeometry,
    weights: Float32Array,
    output: Float32Array,
    opts?: { bias?: Float32Array; relu?: boolean; relu6?: boolean },
  ): void;
  /**
   * An inference batch normalization over NCHW planes: output[p·plane + i] = input[p·plane + i] ·
   * scale[p % C] + shift[p % C] (C = scale.length, planes = N·C), then max(·, 0) with `relu`.
   * Output may be the input.
   */
  channelAffine(
    input: Float32Array,
    planes: number,
    plane: number,
    scale: Float32Array,
    shift: Float32Array,
    output: Float32Array,
    opts?: { relu?: boolean },
  ): void;
  /**
   * A 3×3, stride-1, dilation-1 convolution of one group of one image by Winograd F(2×2, 3×3):
   * `weights` are the 16 transformed matrices U_ξ = (G g Gᵀ)_ξ, Cout × C each, packed by packA
   * (packWinogradWeights makes them). Padding from the geometry; bias and
   * ReLU as conv2d's (no accumulate). 16 multiplies per output tile and channel pair instead of 36.
   */
  winogradConv3x3(input: Float32Array, weights: readonly PackedA[], geometry: ConvGeometry, output: Float32Array, opts?: ConvOptions): void;
  /**
   * The 16 packed matrices winogradConv3x3 takes, from M filters of C channels (3×3 each, as
   * PyTorch stores them): transformed and packed in the module, a band of rows at a time. The same
   * values, bit for bit, as packing `winogradWeights` (../kernels/conv2d.ts) with packA.
   */
  packWinogradWeights(weights: Float32Array | UniformDraw, M: number, C: number): PackedA[];
  /** The bytes of module memory winogradConv3x3 stages its transformed tiles in. */
  winogradWorkspaceBytes(channels: number, M: number, outH: number, outW: number): number;
  /** output = max(input, 0), NaN stays NaN (PyTorch's ReLU). Output may be the input. */
  relu(input: Float32Array, output: Float32Array): void;
  /** output = min(max(input, 0), 6), NaN stays NaN (PyTorch's ReLU6). Output may be the input. */
  relu6(input: Float32Array, output: Float32Array): void;
  /** output = a + b, then max(·, 0) with `relu`. Output may be a or b. */
  add(a: Float32Array, b: Float32Array, output: Float32Array, opts?: { relu?: boolean }): void;
  /**
   * For each of `planes` planes of `plane` floats: the least and greatest value, NaN skipped (+∞
   * and −∞ when there is nothing else), and the count of values ≠ 0, NaN included.
   */
  planeStats(input: Float32Array, planes: number, plane: number): PlaneStats;
  /** Storage in the module's memory, for operands written in place; zero-filled with `zeroed`. */
  allocate(length: number, opts?: { zeroed?: boolean }): WasmFloat32Buffer;
  /** The module memory's current ArrayBuffer (replaced whenever the memory grows). */
  memoryBuffer(): ArrayBuffer;
  /** Grows the memory now, if needed, so that allocations totalling `bytes` more fit without growing it. */
  reserve(bytes: number): void;
  /**
   * Runs `fn` with growth forbidden: an allocation (by `allocate`, packing or staging) that would
   * grow the memory throws, naming `who`. For code that holds views across allocations.
   */
  lockGrowth<T>(who: string, fn: () => T): T;
  /** Runs `fn` with growth allowed inside `lockGrowth`: for a step that holds no views (packing weights). */
  allowGrowth<T>(fn: () => T): T;
  /** Bytes allocated now, and the most allocated at once since `resetHeapPeak()` (64-byte blocks). */
  heapBytes(): { allocated: number; peak: number };
  resetHeapPeak(): void;
  /** Frees the staging blocks kept between calls (they are re-made on the next call). */
  releaseScratch(): void;
  /** Bytes of WebAssembly memory reserved (it grows, and never shrinks). */
  memoryBytes(): number;
}

/** The engine's strided GEMM signature, which the module's GEMM also serves (asStridedGemm). */
export type StridedGemm = Gemm;

/** Wraps a WasmGemm as a drop-in for the engine's `Gemm`. */
export function asStridedGemm(wasm: WasmGemm): StridedGemm {
  return (m, n, k, a, lda, b, ldb, c, ldc, accumulate) => wasm.sgemm(m, n, k, a, b, c, { lda, ldb, ldc, accumulate });
}
