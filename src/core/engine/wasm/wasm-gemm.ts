// The WasmGemm implementation: argument checks, staging of JavaScript arrays into the module's
// memory, and the calls into gemm.c. Public types are in api.ts, the loader in index.ts.

import { seedState } from '../rng';
import { WasmHeap } from './heap';
import type {
  ConvGeometry,
  ConvOptions,
  GemmOptions,
  PackOptions,
  PackedA,
  PackedB,
  PlaneStats,
  UniformDraw,
  WasmFloat32Buffer,
  WasmGemm,
} from './api';

/** The exports of gemm.c (pointers are byte offsets; see gemm.c for each function's contract). */
interface GemmExports {
  memory: WebAssembly.Memory;
  pack_a(src: number, m: number, k: number, rs: number, cs: number, dst: number): void;
  pack_b(src: number, k: number, n: number, rs: number, cs: number, dst: number): void;
  sgemm(
    M: number,
    N: number,
    K: number,
    A: number,
    aPacked: number,
    aRs: number,
    aCs: number,
    B: number,
    bPacked: number,
    bRs: number,
    bCs: number,
    C: number,
    ldc: number,
    rowBias: number,
    colBias: number,
    accumulate: number,
    relu: number,
    ws: number,
  ): void;
  conv2d(
    x: number,
    channels: number,
    inH: number,
    inW: number,
    kernelH: number,
    kernelW: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    dilationH: number,
    dilationW: number,
    outH: number,
    outW: number,
    packedW: number,
    M: number,
    out: number,
    ldo: number,
    rowBias: number,
    accumulate: number,
    relu: number,
    ws: number,
  ): void;
  max_pool2d(
    x: number,
    planes: number,
    inH: number,
    inW: number,
    kernelH: number,
    kernelW: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    dilationH: number,
    dilationW: number,
    outH: number,
    outW: number,
    out: number,
  ): void;
  depthwise_conv2d(
    x: number,
    channels: number,
    multiplier: number,
    inH: number,
    inW: number,
    kernelH: number,
    kernelW: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    dilationH: number,
    dilationW: number,
    outH: number,
    outW: number,
    w: number,
    bias: number,
    act: number,
    out: number,
  ): void;
  depthwise_max_kernel_width(): number;
  winograd_workspace_floats(channels: number, M: number, outH: number, outW: number): number;
  winograd_conv3x3(
    x: number,
    channels: number,
    inH: number,
    inW: number,
    padH: number,
    padW: number,
    outH: number,
    outW: number,
    uTable: number,
    M: number,
    out: number,
    rowBias: number,
    relu: number,
    ws: number,
    gemmWs: number,
  ): void;
  channel_affine(x: number, planes: number, plane: number, channels: number, scale: number, shift: number, relu: number, out: number): void;
  relu_f32(x: number, n: number, out: number): void;
  relu6_f32(x: number, n: number, out: number): void;
  add_f32(a: number, b: number, n: number, relu: number, out: number): void;
  plane_stats(x: number, planes: number, plane: number, mins: number, maxs: number, nonzero: number): void;
  winograd_weights(w: number, M: number, C: number, u: number): void;
  fill_uniform(out: number, n: number, bound: number, state: number): void;
  gemm_workspace_floats(): number;
  gemm_mr(): number;
  gemm_nr(): number;
  heap_base(): number;
}

const EXPORTED_FUNCTIONS = [
  'pack_a',
  'pack_b',
  'sgemm',
  'conv2d',
  'max_pool2d',
  'depthwise_conv2d',
  'depthwise_max_kernel_width',
  'channel_affine',
  'relu_f32',
  'relu6_f32',
  'add_f32',
  'plane_stats',
  'winograd_weights',
  'fill_uniform',
  'winograd_workspace_floats',
  'winograd_conv3x3',
  'gemm_workspace_floats',
  'gemm_mr',
  'gemm_nr',
  'heap_base',
] as const;

/** gemm.c's ACT_* code for an activation after a pass: none, ReLU, or ReLU6. */
function activationCode(opts: { relu?: boolean; relu6?: boolean }): number {
  return opts.relu6 ? 2 : opts.relu ? 1 : 0;
}

function checkExports(exports: WebAssembly.Exports): GemmExports {
  if (!(exports['memory'] instanceof WebAssembly.Memory)) throw new Error('the module exports no memory');
  for (const name of EXPORTED_FUNCTIONS) {
    if (typeof exports[name] !== 'function') throw new Error(`the module exports no function ${name}`);
  }
  return exports as unknown as GemmExports;
}

/** Staging blocks kept between calls, one per role, grown on demand. */
type ScratchRole = 'a' | 'b' | 'c' | 'rowBias' | 'colBias' | 'winograd' | 'stats' | 'rng';

/** Where an operand is: already in the module's memory, or in a JavaScript array to copy. */
type Source = { inWasm: true; ptr: number } | { inWasm: false; array: Float32Array };

abstract class PackedOperand {
  private freed = false;

  constructor(
    readonly owner: WasmGemmInstance,
    readonly ptr: number,
    readonly byteLength: number,
  ) {}

  get disposed(): boolean {
    return this.freed;
  }

  dispose(): void {
    if (this.freed) return;
    this.freed = true;
    this.owner.releasePacked(this);
  }
}

class PackedAImpl extends PackedOperand implements PackedA {
  readonly operand = 'A';
  constructor(
    owner: WasmGemmInstance,
    ptr: number,
    byteLength: number,
    readonly rows: number,
    readonly depth: number,
  ) {
    super(owner, ptr, byteLength);
  }
}

class PackedBImpl extends PackedOperand implements PackedB {
  readonly operand = 'B';
  constructor(
    owner: WasmGemmInstance,
    ptr: number,
    byteLength: number,
    readonly depth: number,
    readonly columns: number,
  ) {
    super(owner, ptr, byteLength);
  }
}

class Float32Buffer implements WasmFloat32Buffer {
  private freed = false;
  private cached: Float32Array | undefined;
  private cachedAt = -1;

  constructor(
    private readonly owner: WasmGemmInstance,
    readonly ptr: number,
    readonly length: number,
  ) {}

  get byteOffset(): number {
    return this.ptr;
  }

  get disposed(): boolean {
    return this.freed;
  }

  view(): Float32Array {
    if (this.freed) throw new Error('WasmFloat32Buffer.view: the buffer was disposed');
    // The same view until the memory grows (growth detaches the old buffer). Only the heap grows
    // it (gemm.c never calls memory.grow), so its growth count says when; cheaper than reading
    // memory.buffer, for tensors whose `data` getter is read in loops.
    const growths = this.owner.growths;
    if (this.cached === undefined || this.cachedAt !== growths) {
      this.cached = new Float32Array(this.owner.memoryBuffer(), this.ptr, this.length);
      this.cachedAt = growths;
    }
    return this.cached;
  }

  dispose(): void {
    if (this.freed) return;
    this.freed = true;
    this.cached = undefined;
    this.owner.releaseBuffer(this);
  }
}

export class WasmGemmInstance implements WasmGemm {
  readonly mr: number;
  readonly nr: number;
  readonly depthwiseMaxKernelWidth: number;
  private readonly exports: GemmExports;
  private readonly heap: WasmHeap;
  private readonly workspace: number;
  /** 16 u32 addresses: the transformed weights of a Winograd call. */
  private readonly pointerTable: number;
  private readonly scratch = new Map<ScratchRole, { ptr: number; bytes: number }>();
  /** Frees the memory of packed matrices and buffers the caller dropped without dispose(). */
  private readonly collector = new FinalizationRegistry<number>((ptr) => this.heap.free(ptr));

  constructor(module: WebAssembly.Module) {
    this.exports = checkExports(new WebAssembly.Instance(module, {}).exports);
    this.mr = this.exports.gemm_mr();
    this.nr = this.exports.gemm_nr();
    this.depthwiseMaxKernelWidth = this.exports.depthwise_max_kernel_width();
    this.heap = new WasmHeap(this.exports.memory, this.exports.heap_base());
    this.workspace = this.heap.alloc(this.exports.gemm_workspace_floats() * 4);
    this.pointerTable = this.heap.alloc(16 * 4);
  }

  /** How many times the memory has grown (see Float32Buffer.view). */
  get growths(): number {
    return this.heap.growths;
  }

  memoryBuffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  sgemm(
    M: number,
    N: number,
    K: number,
    A: Float32Array | PackedA,
    B: Float32Array | PackedB,
    C: Float32Array,
    opts: GemmOptions = {},
  ): void {
    checkDims('sgemm', { M, N, K });
    const ldc = opts.ldc ?? N;
    checkStride('sgemm', 'ldc', ldc, N);
    const cLength = M === 0 || N === 0 ? 0 : (M - 1) * ldc + N;
    checkLength('sgemm', 'C', C, cLength, `(M − 1)·ldc + N = (${M} − 1)·${ldc} + ${N}`);
    if (opts.rowBias) checkLength('sgemm', 'rowBias', opts.rowBias, M, `M = ${M}`);
    if (opts.columnBias) checkLength('sgemm', 'columnBias', opts.columnBias, N, `N = ${N}`);
    if (M === 0 || N === 0) return;

    let aPtr = 0,
      aPacked = 0,
      aRs = 0,
      aCs = 0,
      aLength = 0,
      aSource: Source | undefined;
    if (A instanceof Float32Array) {
      const t = opts.transposeA ?? false;
      const lda = opts.lda ?? (t ? M : K);
      checkStride('sgemm', 'lda', lda, t ? M : K);
      aLength = K === 0 ? 0 : t ? (K - 1) * lda + M : (M - 1) * lda + K;
      checkLength(
        'sgemm',
        'A',
        A,
        aLength,
        t ? `(K − 1)·lda + M = (${K} − 1)·${lda} + ${M}` : `(M − 1)·lda + K = (${M} − 1)·${lda} + ${K}`,
      );
      [aRs, aCs] = t ? [1, lda] : [lda, 1];
      aSource = this.locate(A);
    } else {
      this.checkPacked('sgemm', A, 'A', { rows: M, depth: K });
      if (opts.transposeA || opts.lda !== undefined) throw new Error('sgemm: transposeA and lda apply to an unpacked A only');
      aPtr = (A as PackedAImpl).ptr;
      aPacked = 1;
    }
    let bPtr = 0,
      bPacked = 0,
      bRs = 0,
      bCs = 0,
      bLength = 0,
      bSource: Source | undefined;
    if (B instanceof Float32Array) {
      const t = opts.transposeB ?? false;
      const ldb = opts.ldb ?? (t ? K : N);
      checkStride('sgemm', 'ldb', ldb, t ? K : N);
      bLength = K === 0 ? 0 : t ? (N - 1) * ldb + K : (K - 1) * ldb + N;
      checkLength(
        'sgemm',
        'B',
        B,
        bLength,
        t ? `(N − 1)·ldb + K = (${N} − 1)·${ldb} + ${K}` : `(K − 1)·ldb + N = (${K} − 1)·${ldb} + ${N}`,
      );
      [bRs, bCs] = t ? [1, ldb] : [ldb, 1];
      bSource = this.locate(B);
    } else {
      this.checkPacked('sgemm', B, 'B', { depth: K, columns: N });
      if (opts.transposeB || opts.ldb !== undefined) throw new Error('sgemm: transposeB and ldb apply to an unpacked B only');
      bPtr = (B as PackedBImpl).ptr;
      bPacked = 1;
    }
    // Locate every in-place operand before staging anything: staging may grow the memory, and a
    // grown memory detaches the caller's views (their byteOffset would then read 0).
    const cSource = this.locate(C);
    const rowBiasSource = opts.rowBias && this.locate(opts.rowBias);
    const colBiasSource = opts.columnBias && this.locate(opts.columnBias);
    const accumulate = opts.accumulate ?? false;
    if (aSource) aPtr = this.stage('a', aSource, aLength, true);
    if (bSource) bPtr = this.stage('b', bSource, bLength, true);
    // Rows of C are copied in when they are read (accumulate) or when the copy-out spans gaps
    // between rows that must keep their values (ldc > N).
    const cPtr = this.stage('c', cSource, cLength, accumulate || ldc !== N);
    const rowBiasPtr = rowBiasSource ? this.stage('rowBias', rowBiasSource, M, true) : 0;
    const colBiasPtr = colBiasSource ? this.stage('colBias', colBiasSource, N, true) : 0;
    this.exports.sgemm(
      M,
      N,
      K,
      aPtr,
      aPacked,
      aRs,
      aCs,
      bPtr,
      bPacked,
      bRs,
      bCs,
      cPtr,
      ldc,
      rowBiasPtr,
      colBiasPtr,
      accumulate ? 1 : 0,
      activationCode(opts),
      this.workspace,
    );
    this.unstage(cSource, cPtr, cLength);
  }

  packA(M: number, K: number, A: Float32Array | UniformDraw, opts: PackOptions = {}): PackedA {
    checkDims('packA', { M, K });
    const t = opts.transposed ?? false;
    const ld = opts.ld ?? (t ? M : K);
    const length = M === 0 || K === 0 ? 0 : t ? (K - 1) * ld + M : (M - 1) * ld + K;
    if (A instanceof Float32Array) {
      checkStride('packA', 'ld', ld, t ? M : K);
      checkLength('packA', 'A', A, length, t ? `(K − 1)·ld + M = (${K} − 1)·${ld} + ${M}` : `(M − 1)·ld + K = (${M} − 1)·${ld} + ${K}`);
    } else {
      checkDraw('packA', A, M * K, opts, false);
    }
    // Located (or drawn from) before the packing's allocation, which may grow the memory.
    const src = t ? this.locate(A as Float32Array) : undefined;
    const read = t ? undefined : this.bandReader(A, ld, K, 'a');
    const packed = this.newPackedA(M, K);
    if (M === 0 || K === 0) return packed;
    if (read === undefined) {
      this.exports.pack_a(this.stage('a', src!, length, true), M, K, 1, ld, packed.ptr);
      return packed;
    }
    // A band of whole panels at a time: a 400 MB weight needs no 400 MB copy to be packed.
    const band = bandRows(this.mr, ld);
    for (let i0 = 0; i0 < M; i0 += band) {
      const rows = Math.min(band, M - i0);
      this.exports.pack_a(read(i0, rows), rows, K, ld, 1, packed.ptr + i0 * K * 4);
    }
    return packed;
  }

  /** Heap memory for an M × K packed A (whole panels of mr rows), freed with the object. */
  private newPackedA(M: number, K: number): PackedAImpl {
    const bytes = Math.ceil(M / this.mr) * this.mr * K * 4;
    const packed = new PackedAImpl(this, this.heap.alloc(bytes), bytes, M, K);
    this.collector.register(packed, packed.ptr, packed);
    return packed;
  }

  /** Heap memory for a K × N packed B (whole panels of nr columns), freed with the object. */
  private newPackedB(K: number, N: number): PackedBImpl {
    const bytes = Math.ceil(N / this.nr) * this.nr * K * 4;
    const packed = new PackedBImpl(this, this.heap.alloc(bytes), bytes, K, N);
    this.collector.register(packed, packed.ptr, packed);
    return packed;
  }

  /**
   * Where the rows of `source` (`rowLength` values each, `ld` apart) can be read in module memory,
   * a band at a time: in place, staged into the block of `role`, or drawn there (a UniformDraw is
   * row-major with ld = rowLength, and its bands must be asked for in order: the generator's state
   * carries over from one to the next). Call before allocating: it locates an array in the memory.
   */
  private bandReader(
    source: Float32Array | UniformDraw,
    ld: number,
    rowLength: number,
    role: ScratchRole,
  ): (first: number, rows: number) => number {
    if (!(source instanceof Float32Array)) {
      const state = this.scratchBlock('rng', 16);
      new Uint32Array(this.exports.memory.buffer, state, 4).set(seedState(source.seed, source.stream));
      return (_first, rows) => {
        const ptr = this.scratchBlock(role, rows * rowLength * 4);
        this.exports.fill_uniform(ptr, rows * rowLength, source.bound, state);
        return ptr;
      };
    }
    const src = this.locate(source);
    if (src.inWasm) return (first) => src.ptr + first * ld * 4;
    return (first, rows) => this.stage(role, { inWasm: false, array: src.array.subarray(first * ld) }, (rows - 1) * ld + rowLength, true);
  }

  packWinogradWeights(weights: Float32Array | UniformDraw, M: number, C: number): PackedA[] {
    checkDims('packWinogradWeights', { M, C });
    if (weights instanceof Float32Array) checkLength('packWinogradWeights', 'weights', weights, M * C * 9, `M·C·9 = ${M}·${C}·9`);
    else checkDraw('packWinogradWeights', weights, M * C * 9, {}, false);
    const read = this.bandReader(weights, 9 * C, 9 * C, 'a');
    const packed = Array.from({ length: 16 }, () => this.newPackedA(M, C));
    if (M === 0 || C === 0) return packed;
    // Bands of whole panels, so a band's 9·C weights and 16·C transformed values a row stay
    // within the staging limit; the transformed band is packed from where it was written.
    const band = Math.min(bandRows(this.mr, 25 * C), Math.ceil(M / this.mr) * this.mr);
    const u = this.heap.alloc(16 * band * C * 4);
    try {
      for (let i0 = 0; i0 < M; i0 += band) {
        const rows = Math.min(band, M - i0);
        this.exports.winograd_weights(read(i0, rows), rows, C, u);
        packed.forEach((p, xi) => this.exports.pack_a(u + xi * rows * C * 4, rows, C, C, 1, p.ptr + i0 * C * 4));
      }
    } finally {
      this.heap.free(u);
    }
    return packed;
  }

  packB(K: number, N: number, B: Float32Array | UniformDraw, opts: PackOptions = {}): PackedB {
    checkDims('packB', { K, N });
    const t = opts.transposed ?? false;
    const ld = opts.ld ?? (t ? K : N);
    const length = N === 0 || K === 0 ? 0 : t ? (N - 1) * ld + K : (K - 1) * ld + N;
    if (B instanceof Float32Array) {
      checkStride('packB', 'ld', ld, t ? K : N);
      checkLength('packB', 'B', B, length, t ? `(N − 1)·ld + K = (${N} − 1)·${ld} + ${K}` : `(K − 1)·ld + N = (${K} − 1)·${ld} + ${N}`);
    } else {
      checkDraw('packB', B, K * N, opts, true);
    }
    // Located (or drawn from) before the packing's allocation, which may grow the memory.
    const src = t ? undefined : this.locate(B as Float32Array);
    const read = t ? this.bandReader(B, ld, K, 'b') : undefined;
    const packed = this.newPackedB(K, N);
    if (N === 0 || K === 0) return packed;
    if (read === undefined) {
      this.exports.pack_b(this.stage('b', src!, length, true), K, N, ld, 1, packed.ptr);
      return packed;
    }
    // B stored N×K (a linear layer's out×in weight): a band of whole panels at a time.
    const band = bandRows(this.nr, ld);
    for (let j0 = 0; j0 < N; j0 += band) {
      const cols = Math.min(band, N - j0);
      this.exports.pack_b(read(j0, cols), K, cols, 1, ld, packed.ptr + j0 * K * 4);
    }
    return packed;
  }

  conv2d(input: Float32Array, weights: PackedA, geometry: ConvGeometry, output: Float32Array, opts: ConvOptions = {}): void {
    const { h, w } = geometry;
    checkGeometry('conv2d', geometry);
    const taps = h.kernel * w.kernel;
    this.checkPacked('conv2d', weights, 'A', {});
    const channels = weights.depth / taps;
    if (!Number.isInteger(channels)) {
      throw new RangeError(`conv2d: the weights' depth ${weights.depth} is not channels·KH·KW for a ${h.kernel}×${w.kernel} kernel`);
    }
    const M = weights.rows;
    const inLength = channels * h.input * w.input;
    const outPlane = h.output * w.output;
    const outLength = M * outPlane;
    checkLength('conv2d', 'input', input, inLength, `C·H·W = ${channels}·${h.input}·${w.input}`);
    checkLength('conv2d', 'output', output, outLength, `Cout·OH·OW = ${M}·${h.output}·${w.output}`);
    if (opts.bias) checkLength('conv2d', 'bias', opts.bias, M, `Cout = ${M}`);
    if (outLength === 0) return;
    const accumulate = opts.accumulate ?? false;
    const inSource = this.locate(input);
    const outSource = this.locate(output);
    const biasSource = opts.bias && this.locate(opts.bias);
    const inPtr = this.stage('b', inSource, inLength, true);
    const outPtr = this.stage('c', outSource, outLength, accumulate);
    const biasPtr = biasSource ? this.stage('rowBias', biasSource, M, true) : 0;
    this.exports.conv2d(
      inPtr,
      channels,
      h.input,
      w.input,
      h.kernel,
      w.kernel,
      h.stride,
      w.stride,
      h.padBefore,
      w.padBefore,
      h.dilation,
      w.dilation,
      h.output,
      w.output,
      (weights as PackedAImpl).ptr,
      M,
      outPtr,
      outPlane,
      biasPtr,
      accumulate ? 1 : 0,
      activationCode(opts),
      this.workspace,
    );
    this.unstage(outSource, outPtr, outLength);
  }

  maxPool2d(input: Float32Array, planes: number, geometry: ConvGeometry, output: Float32Array): void {
    const { h, w } = geometry;
    checkGeometry('maxPool2d', geometry);
    if (!Number.isInteger(planes) || planes < 0) throw new RangeError(`maxPool2d: planes = ${planes} is not an integer ≥ 0`);
    const inLength = planes * h.input * w.input;
    const outLength = planes * h.output * w.output;
    checkLength('maxPool2d', 'input', input, inLength, `planes·H·W = ${planes}·${h.input}·${w.input}`);
    checkLength('maxPool2d', 'output', output, outLength, `planes·OH·OW = ${planes}·${h.output}·${w.output}`);
    if (outLength === 0) return;
    const inSource = this.locate(input);
    const outSource = this.locate(output);
    const inPtr = this.stage('b', inSource, inLength, true);
    const outPtr = this.stage('c', outSource, outLength, false);
    this.exports.max_pool2d(
      inPtr,
      planes,
      h.input,
      w.input,
      h.kernel,
      w.kernel,
      h.stride,
      w.stride,
      h.padBefore,
      w.padBefore,
      h.dilation,
      w.dilation,
      h.output,
      w.output,
      outPtr,
    );
    this.unstage(outSource, outPtr, outLength);
  }

  depthwiseConv2d(
    input: Float32Array,
    channels: number,
    multiplier: number,
    geometry: ConvGeometry,
    weights: Float32Array,
    output: Float32Array,
    opts: { bias?: Float32Array; relu?: boolean; relu6?: boolean } = {},
  ): void {
    const { h, w } = geometry;
    checkGeometry('depthwiseConv2d', geometry);
    checkDims('depthwiseConv2d', { channels, multiplier });
    if (w.kernel > this.depthwiseMaxKernelWidth) {
      throw new RangeError(`depthwiseConv2d: kernel width ${w.kernel} is over the module's ${this.depthwiseMaxKernelWidth}`);
    }
    const outChannels = channels * multiplier;
    const inLength = channels * h.input * w.input;
    const outLength = outChannels * h.output * w.output;
    const weightLength = outChannels * h.kernel * w.kernel;
    checkLength('depthwiseConv2d', 'input', input, inLength, `C·H·W = ${channels}·${h.input}·${w.input}`);
    checkLength('depthwiseConv2d', 'output', output, outLength, `C·m·OH·OW = ${outChannels}·${h.output}·${w.output}`);
    checkLength('depthwiseConv2d', 'weights', weights, weightLength, `C·m·KH·KW = ${outChannels}·${h.kernel}·${w.kernel}`);
    if (opts.bias) checkLength('depthwiseConv2d', 'bias', opts.bias, outChannels, `C·m = ${outChannels}`);
    if (outLength === 0) return;
    const inSource = this.locate(input);
    const outSource = this.locate(output);
    const weightSource = this.locate(weights);
    const biasSource = opts.bias && this.locate(opts.bias);
    const inPtr = this.stage('b', inSource, inLength, true);
    const outPtr = this.stage('c', outSource, outLength, false);
    const weightPtr = this.stage('a', weightSource, weightLength, true);
    const biasPtr = biasSource ? this.stage('rowBias', biasSource, outChannels, true) : 0;
    this.exports.depthwise_conv2d(
      inPtr,
      channels,
      multiplier,
      h.input,
      w.input,
      h.kernel,
      w.kernel,
      h.stride,
      w.stride,
      h.padBefore,
      w.padBefore,
      h.dilation,
      w.dilation,
      h.output,
      w.output,
      weightPtr,
      biasPtr,
      activationCode(opts),
      outPtr,
    );
    this.unstage(outSource, outPtr, outLength);
  }

  winogradWorkspaceBytes(channels: number, M: number, outH: number, outW: number): number {
    return this.exports.winograd_workspace_floats(channels, M, outH, outW) * 4;
  }

  winogradConv3x3(
    input: Float32Array,
    weights: readonly PackedA[],
    geometry: ConvGeometry,
    output: Float32Array,
    opts: ConvOptions = {},
  ): void {
    const { h, w } = geometry;
    checkGeometry('winogradConv3x3', geometry);
    for (const axis of [h, w]) {
      if (axis.kernel !== 3 || axis.stride !== 1 || axis.dilation !== 1) {
        throw new RangeError(
          `winogradConv3x3: a ${h.kernel}×${w.kernel} kernel, stride ${h.stride}×${w.stride}, dilation ${h.dilation}×${w.dilation}; it takes 3×3, stride 1, dilation 1`,
        );
      }
    }
    if (weights.length !== 16) throw new RangeError(`winogradConv3x3: ${weights.length} transformed weight matrices, needs 16`);
    const M = weights[0]!.rows,
      channels = weights[0]!.depth;
    for (const u of weights) this.checkPacked('winogradConv3x3', u, 'A', { rows: M, depth: channels });
    const inLength = channels * h.input * w.input;
    const outLength = M * h.output * w.output;
    checkLength('winogradConv3x3', 'input', input, inLength, `C·H·W = ${channels}·${h.input}·${w.input}`);
    checkLength('winogradConv3x3', 'output', output, outLength, `Cout·OH·OW = ${M}·${h.output}·${w.output}`);
    if (opts.bias) checkLength('winogradConv3x3', 'bias', opts.bias, M, `Cout = ${M}`);
    if (opts.accumulate) throw new RangeError('winogradConv3x3: accumulate is not supported');
    if (outLength === 0) return;
    const inSource = this.locate(input);
    const outSource = this.locate(output);
    const biasSource = opts.bias && this.locate(opts.bias);
    const inPtr = this.stage('b', inSource, inLength, true);
    const outPtr = this.stage('c', outSource, outLength, false);
    const biasPtr = biasSource ? this.stage('rowBias', biasSource, M, true) : 0;
    const wsPtr = this.scratchBlock('winograd', this.winogradWorkspaceBytes(channels, M, h.output, w.output));
    const table = new Uint32Array(this.exports.memory.buffer, this.pointerTable, 16);
    weights.forEach((u, i) => (table[i] = (u as PackedAImpl).ptr));
    this.exports.winograd_conv3x3(
      inPtr,
      channels,
      h.input,
      w.input,
      h.padBefore,
      w.padBefore,
      h.output,
      w.output,
      this.pointerTable,
      M,
      outPtr,
      biasPtr,
      activationCode(opts),
      wsPtr,
      this.workspace,
    );
    this.unstage(outSource, outPtr, outLength);
  }

  channelAffine(
    input: Float32Array,
    planes: number,
    plane: number,
    scale: Float32Array,
    shift: Float32Array,
    output: Float32Array,
    opts: { relu?: boolean } = {},
  ): void {
    checkDims('channelAffine', { planes, plane });
    const channels = scale.length;
    if (channels === 0 || shift.length !== channels)
      throw new RangeError(`channelAffine: scale has ${channels} values and shift ${shift.length}; they must be equal and non-zero`);
    const length = planes * plane;
    checkLength('channelAffine', 'input', input, length, `planes·plane = ${planes}·${plane}`);
    checkLength('channelAffine', 'output', output, length, `planes·plane = ${planes}·${plane}`);
    if (length === 0) return;
    const inSource = this.locate(input),
      outSource = this.locate(output);
    const scaleSource = this.locate(scale),
      shiftSource = this.locate(shift);
    const inPtr = this.stage('b', inSource, length, true);
    const outPtr = this.stage('c', outSource, length, false);
    const scalePtr = this.stage('rowBias', scaleSource, channels, true);
    const shiftPtr = this.stage('colBias', shiftSource, channels, true);
    this.exports.channel_affine(inPtr, planes, plane, channels, scalePtr, shiftPtr, opts.relu ? 1 : 0, outPtr);
    this.unstage(outSource, outPtr, length);
  }

  relu(input: Float32Array, output: Float32Array): void {
    const length = input.length;
    checkLength('relu', 'output', output, length, `the input's length ${length}`);
    if (length === 0) return;
    const inSource = this.locate(input),
      outSource = this.locate(output);
    const inPtr = this.stage('b', inSource, length, true);
    const outPtr = this.stage('c', outSource, length, false);
    this.exports.relu_f32(inPtr, length, outPtr);
    this.unstage(outSource, outPtr, length);
  }

  relu6(input: Float32Array, output: Float32Array): void {
    const length = input.length;
    checkLength('relu6', 'output', output, length, `the input's length ${length}`);
    if (length === 0) return;
    const inSource = this.locate(input),
      outSource = this.locate(output);
    const inPtr = this.stage('b', inSource, length, true);
    const outPtr = this.stage('c', outSource, length, false);
    this.exports.relu6_f32(inPtr, length, outPtr);
    this.unstage(outSource, outPtr, length);
  }

  add(a: Float32Array, b: Float32Array, output: Float32Array, opts: { relu?: boolean } = {}): void {
    const length = a.length;
    checkLength('add', 'b', b, length, `a's length ${length}`);
    checkLength('add', 'output', output, length, `a's length ${length}`);
    if (length === 0) return;
    const aSource = this.locate(a),
      bSource = this.locate(b),
      outSource = this.locate(output);
    const aPtr = this.stage('a', aSource, length, true);
    const bPtr = this.stage('b', bSource, length, true);
    const outPtr = this.stage('c', outSource, length, false);
    this.exports.add_f32(aPtr, bPtr, length, opts.relu ? 1 : 0, outPtr);
    this.unstage(outSource, outPtr, length);
  }

  planeStats(input: Float32Array, planes: number, plane: number): PlaneStats {
    checkDims('planeStats', { planes, plane });
    const length = planes * plane;
    checkLength('planeStats', 'input', input, length, `planes·plane = ${planes}·${plane}`);
    const stats: PlaneStats = { min: new Float32Array(planes), max: new Float32Array(planes), nonZero: new Uint32Array(planes) };
    if (planes === 0) return stats;
    // The input's offset first: the results' block may grow the memory (offsets stay valid).
    const inPtr = this.stage('b', this.locate(input), length, true);
    const outPtr = this.scratchBlock('stats', planes * 12);
    this.exports.plane_stats(inPtr, planes, plane, outPtr, outPtr + planes * 4, outPtr + planes * 8);
    const memory = this.exports.memory.buffer;
    stats.min.set(new Float32Array(memory, outPtr, planes));
    stats.max.set(new Float32Array(memory, outPtr + planes * 4, planes));
    stats.nonZero.set(new Uint32Array(memory, outPtr + planes * 8, planes));
    return stats;
  }

  allocate(length: number, opts: { zeroed?: boolean } = {}): WasmFloat32Buffer {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`allocate: length ${length} is not an integer ≥ 0`);
    const ptr = this.heap.alloc(length * 4);
    const buffer = new Float32Buffer(this, ptr, length);
    this.collector.register(buffer, ptr, buffer);
    // Memory the heap never handed out is still the zeros memory.grow gave it.
    if (opts.zeroed && !this.heap.isUnused(ptr)) buffer.view().fill(0);
    return buffer;
  }

  reserve(bytes: number): void {
    this.heap.reserve(bytes);
  }

  lockGrowth<T>(who: string, fn: () => T): T {
    return this.heap.lockGrowth(who, fn);
  }

  allowGrowth<T>(fn: () => T): T {
    return this.heap.allowGrowth(fn);
  }

  heapBytes(): { allocated: number; peak: number } {
    return { allocated: this.heap.allocatedBytes, peak: this.heap.peakBytes };
  }

  resetHeapPeak(): void {
    this.heap.resetPeak();
  }

  releaseScratch(): void {
    for (const block of this.scratch.values()) this.heap.free(block.ptr);
    this.scratch.clear();
  }

  releasePacked(packed: PackedOperand): void {
    this.collector.unregister(packed);
    this.heap.free(packed.ptr);
  }

  releaseBuffer(buffer: Float32Buffer): void {
    this.collector.unregister(buffer);
    this.heap.free(buffer.ptr);
  }

  private checkPacked(
    fn: string,
    packed: PackedA | PackedB,
    operand: 'A' | 'B',
    dims: { rows?: number; depth?: number; columns?: number },
  ): void {
    if (!(packed instanceof PackedOperand) || packed.owner !== this) {
      throw new Error(`${fn}: packed ${operand} was made by another WasmGemm instance`);
    }
    if (packed.operand !== operand) throw new Error(`${fn}: a packed ${packed.operand} was passed as ${operand}`);
    if (packed.disposed) throw new Error(`${fn}: packed ${operand} was disposed`);
    const have = packed.operand === 'A' ? { rows: packed.rows, depth: packed.depth } : { depth: packed.depth, columns: packed.columns };
    for (const key of ['rows', 'depth', 'columns'] as const) {
      const want = dims[key];
      const got = (have as { rows?: number; depth?: number; columns?: number })[key];
      if (want !== undefined && got !== want) {
        throw new RangeError(`${fn}: packed ${operand} has ${key} = ${got}, the call needs ${want}`);
      }
    }
  }

  private locate(array: Float32Array): Source {
    return array.buffer === this.exports.memory.buffer ? { inWasm: true, ptr: array.byteOffset } : { inWasm: false, array };
  }

  /** The byte offset where the operand can be read: in place, or a staging copy of `length` floats. */
  private stage(role: ScratchRole, source: Source, length: number, copyIn: boolean): number {
    if (source.inWasm) return source.ptr;
    const ptr = this.scratchBlock(role, length * 4);
    if (copyIn && length > 0) {
      new Float32Array(this.exports.memory.buffer, ptr, length).set(source.array.subarray(0, length));
    }
    return ptr;
  }

  /** The staging block kept for `role`, of at least `bytes` bytes (grown, never shrunk, until releaseScratch). */
  private scratchBlock(role: ScratchRole, bytes: number): number {
    let block = this.scratch.get(role);
    if (!block || block.bytes < bytes) {
      if (block) {
        // Forgotten before the new block is asked for: if that allocation throws (a growth lock),
        // releaseScratch must not free the old block a second time.
        this.heap.free(block.ptr);
        this.scratch.delete(role);
      }
      // A quarter of headroom, so a slowly growing sequence of shapes does not reallocate each call.
      const size = Math.ceil(bytes * 1.25);
      block = { ptr: this.heap.alloc(size), bytes: size };
      this.scratch.set(role, block);
    }
    return block.ptr;
  }

  private unstage(source: Source, ptr: number, length: number): void {
    if (source.inWasm || length === 0) return;
    source.array.set(new Float32Array(this.exports.memory.buffer, ptr, length));
  }
}

/** Staging for packing holds at most about this many floats (16 MiB) at a time. */
const PACK_BAND_FLOATS = 1 << 22;

/** Rows per staged band: whole panels of `panel` rows of `rowLength` floats, at least one panel. */
function bandRows(panel: number, rowLength: number): number {
  return Math.max(1, Math.floor(PACK_BAND_FLOATS / rowLength / panel)) * panel;
}

function checkGeometry(fn: string, { h, w }: ConvGeometry): void {
  for (const [axis, g] of [
    ['h', h],
    ['w', w],
  ] as const) {
    for (const key of ['input', 'kernel', 'stride', 'dilation', 'output'] as const) {
      const v = g[key];
      const min = key === 'stride' || key === 'dilation' || key === 'kernel' ? 1 : 0;
      if (!Number.isInteger(v) || v < min) throw new RangeError(`${fn}: geometry.${axis}.${key} = ${v} is not an integer ≥ ${min}`);
    }
    if (!Number.isInteger(g.padBefore)) throw new RangeError(`${fn}: geometry.${axis}.padBefore = ${g.padBefore} is not an integer`);
  }
}

/** A drawn operand: as many values as the shape holds, stored row-major as `transposed` says. */
function checkDraw(fn: string, draw: UniformDraw, length: number, opts: PackOptions, transposed: boolean): void {
  if (draw.length !== length) throw new RangeError(`${fn}: the drawn operand has ${draw.length} values, the shape needs ${length}`);
  if ((opts.transposed ?? false) !== transposed || opts.ld !== undefined) {
    throw new RangeError(`${fn}: a drawn operand is stored ${transposed ? 'transposed' : 'untransposed'}, with the default row stride`);
  }
}

function checkDims(fn: string, dims: Record<string, number>): void {
  for (const [name, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${fn}: ${name} = ${value} is not an integer ≥ 0`);
  }
}

function checkStride(fn: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${fn}: ${name} = ${value} is less than the row length ${min}`);
}

function checkLength(fn: string, name: string, array: Float32Array, need: number, formula: string): void {
  if (array.length < need) {
    const hint =
      array.length === 0 && array.buffer.byteLength === 0 ? ' (a view into WebAssembly memory that grew since: take a fresh view())' : '';
    throw new RangeError(`${fn}: ${name} has ${array.length} elements, needs ${formula} = ${need}${hint}`);
  }
}
