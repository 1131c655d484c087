// The engine's two backends side by side: the WebAssembly SIMD kernels (conv2d through the
// module's im2col-into-panels, depthwise through the direct loop, conv_transpose2d, linear, each
// with weights packed once) against the TypeScript kernels, the reference, on random shapes; and
// whole models through the WebAssembly backend against PyTorch. The module must be built
// (`npm run build:wasm`): without it these tests fail, saying so, rather than skip.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { gemmBlocked } from '../../src/core/engine/gemm';
import { conv2dForward, conv2dForwardWasm, useWinograd } from '../../src/core/kinds/conv2d/kernel';
import { convTranspose2dForward, convTranspose2dForwardWasm, convTransposeOptions } from '../../src/core/kinds/conv_transpose2d/kernel';
import { asKindLayer, kernelFor } from '../../src/core/kinds/kernels';
import { linearForward, linearForwardWasm } from '../../src/core/kinds/linear/kernel';
import { parseNpy } from '../../src/core/run/npy';
import { runModel } from '../../src/core/run/runner';
import { parseSafetensors } from '../../src/core/run/safetensors';
import { tensor, type Tensor } from '../../src/core/engine/tensor';
import { fillUniformStream } from '../../src/core/engine/rng';
import { loadWasmGemm, wasmGemmUnavailableReason, type PackedA, type PackedB, type WasmGemm } from '../../src/core/engine/wasm/index';
import { PackedWeights, sharedPackedWeights } from '../../src/core/engine/wasm/packed-weights';
import { computeWindowGeometry } from '../../src/core/geometry';
import {
  analyzeLayer,
  analyzeOrFail,
  assertClose,
  convTransposeCase,
  decodeArray,
  FIXTURES,
  naiveConv2d,
  randomTensor,
  relativeError,
  type FixtureArray,
} from './engine-support.test';

/** The bound: max |wasm − ts| over the range of the reference output. */
const TOL = 1e-5;

function wasmOrFail(): WasmGemm {
  const wasm = loadWasmGemm();
  assert.ok(wasm, `the WebAssembly GEMM did not load: ${wasmGemmUnavailableReason()}`);
  return wasm;
}

const convArb = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cinG: fc.integer({ min: 1, max: 6 }),
    // Above and below the micro-kernel's 5 rows, not a multiple of them.
    coutG: fc.integer({ min: 1, max: 13 }),
    h: fc.integer({ min: 1, max: 19 }),
    w: fc.integer({ min: 1, max: 23 }),
    k: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
    s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    p: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    // TensorFlow's 'same' (any stride): asymmetric padding, the odd pixel at the end.
    same: fc.boolean(),
    bias: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1 << 20 }),
  })
  .filter((r) => r.same || (r.h + 2 * r.p[0] >= r.d[0] * (r.k[0] - 1) + 1 && r.w + 2 * r.p[1] >= r.d[1] * (r.k[1] - 1) + 1));

type ConvCase = {
  n: number;
  groups: number;
  cinG: number;
  coutG: number;
  h: number;
  w: number;
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  same: boolean;
  bias: boolean;
  seed: number;
};

function convBoth(r: ConvCase, packs: PackedWeights): { ts: Tensor; wasm: Tensor; x: Tensor; w: Tensor; b: Tensor | undefined } {
  const cin = r.cinG * r.groups,
    cout = r.coutG * r.groups;
  const geometry = computeWindowGeometry({ input: [r.h, r.w], kernel: r.k, stride: r.s, padding: r.same ? 'same' : r.p, dilation: r.d });
  const x = randomTensor([r.n, cin, r.h, r.w], r.seed);
  const w = randomTensor([cout, r.cinG, r.k[0], r.k[1]], r.seed + 1);
  const b = r.bias ? randomTensor([cout], r.seed + 2) : undefined;
  const opts = { geometry, groups: r.groups };
  return { ts: conv2dForward(x, w, b, opts, gemmBlocked), wasm: conv2dForwardWasm(x, w, b, opts, packs), x, w, b };
}

describe('engine WebAssembly backend vs TypeScript backend', () => {
  it('loads (npm run build:wasm builds the module)', () => {
    wasmOrFail();
  });

  it('conv2d: random shapes, groups, stride, dilation, symmetric and TensorFlow-same padding', () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    fc.assert(
      fc.property(convArb, (r) => {
        const { ts, wasm } = convBoth(r, packs);
        assertClose(wasm, ts, TOL, 'wasm conv2d vs ts');
      }),
      { numRuns: 150 },
    );
    packs.disposeAll();
  });

  it('conv2d through the GEMM (im2col panels, 1×1 direct) with batch norm and ReLU / ReLU6 fused into the tiles', () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    fc.assert(
      fc.property(convArb, fc.boolean(), fc.constantFrom('none', 'relu', 'relu6'), fc.boolean(), (r, withAffine, act, pointwise) => {
        // Half the cases 1×1, stride 1, no padding: the direct GEMM on the input planes.
        const c: ConvCase = pointwise ? { ...r, k: [1, 1], s: [1, 1], p: [0, 0], d: [1, 1], same: false } : r;
        const { ts, x, w, b } = convBoth(c, packs);
        const cout = c.coutG * c.groups;
        const geometry = computeWindowGeometry({
          input: [c.h, c.w],
          kernel: c.k,
          stride: c.s,
          padding: c.same ? 'same' : c.p,
          dilation: c.d,
        });
        // Scales up to 4 so that ReLU6 clips some outputs.
        const scale = Float64Array.from({ length: cout }, (_, i) => 0.5 + ((i * 7) % 8) / 2);
        const shift = Float64Array.from({ length: cout }, (_, i) => ((i % 5) - 2) / 2);
        const epilogue = {
          ...(withAffine ? { affine: { scale, shift, sources: [] as Float32Array[] } } : {}),
          relu: act === 'relu',
          relu6: act === 'relu6',
        };
        const fused = conv2dForwardWasm(x, w, b, { geometry, groups: c.groups }, packs, epilogue);
        const plane = ts.shape[2]! * ts.shape[3]!;
        const expected = tensor(
          ts.shape,
          Float32Array.from(ts.data, (v, i) => {
            const ch = Math.floor(i / plane) % cout;
            const y = withAffine ? v * scale[ch]! + shift[ch]! : v;
            return act === 'relu6' ? Math.min(Math.max(y, 0), 6) : act === 'relu' ? Math.max(y, 0) : y;
          }),
        );
        assertClose(fused, expected, TOL, `wasm conv2d + ${withAffine ? 'batch norm + ' : ''}${act} vs ts`);
      }),
      { numRuns: 150 },
    );
    packs.disposeAll();
  });

  it("conv2d: depthwise (one input channel per group, multiplier 1–3) through the module's direct loop", () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    fc.assert(
      fc.property(convArb, fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 3 }), (r, channels, multiplier) => {
        const c = { ...r, groups: channels, cinG: 1, coutG: multiplier };
        const { ts, wasm, x, w, b } = convBoth(c, packs);
        assertClose(wasm, ts, TOL, 'wasm depthwise vs ts');
        const g = computeWindowGeometry({ input: [c.h, c.w], kernel: c.k, stride: c.s, padding: c.same ? 'same' : c.p, dilation: c.d });
        assertClose(wasm, naiveConv2d(x, w, b, g, channels), TOL, 'wasm depthwise vs direct');
      }),
      { numRuns: 80 },
    );
    // Wider than the module's direct loop takes: the grouped GEMM instead.
    const wide: ConvCase = {
      n: 1,
      groups: 3,
      cinG: 1,
      coutG: 2,
      h: 2,
      w: 70,
      k: [1, 66],
      s: [1, 1],
      p: [0, 1],
      d: [1, 1],
      same: false,
      bias: true,
      seed: 3,
    };
    assert.ok(wide.k[1] > packs.gemm.depthwiseMaxKernelWidth);
    const { ts, wasm } = convBoth(wide, packs);
    assertClose(wasm, ts, TOL, 'wide depthwise');
    packs.disposeAll();
  });

  it('conv2d: depthwise 3×3 and 5×5, stride 1 and 2 (the row kernels), with batch norm and ReLU / ReLU6 fused: random sizes, padding, multipliers', () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    const rowArb = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        channels: fc.integer({ min: 1, max: 5 }),
        multiplier: fc.integer({ min: 1, max: 2 }),
        k: fc.constantFrom(3, 5),
        s: fc.constantFrom(1, 2),
        // Rows narrower and wider than the 8- and 4-output blocks, and padding past the kernel's half.
        h: fc.integer({ min: 1, max: 13 }),
        w: fc.integer({ min: 1, max: 75 }),
        p: fc.integer({ min: 0, max: 3 }),
        bias: fc.boolean(),
        affine: fc.boolean(),
        act: fc.constantFrom('none', 'relu', 'relu6'),
        seed: fc.integer({ min: 0, max: 1 << 20 }),
      })
      .filter((r) => r.h + 2 * r.p >= r.k && r.w + 2 * r.p >= r.k);
    fc.assert(
      fc.property(rowArb, (r) => {
        const c: ConvCase = {
          n: r.n,
          groups: r.channels,
          cinG: 1,
          coutG: r.multiplier,
          h: r.h,
          w: r.w,
          k: [r.k, r.k],
          s: [r.s, r.s],
          p: [r.p, r.p],
          d: [1, 1],
          same: false,
          bias: r.bias,
          seed: r.seed,
        };
        const { ts, wasm: plain, x, w, b } = convBoth(c, packs);
        const geometry = computeWindowGeometry({
          input: [r.h, r.w],
          kernel: [r.k, r.k],
          stride: [r.s, r.s],
          padding: [r.p, r.p],
          dilation: [1, 1],
        });
        assertClose(plain, naiveConv2d(x, w, b, geometry, r.channels), TOL, 'wasm depthwise vs direct');
        assertClose(plain, ts, TOL, 'wasm depthwise vs ts');
        const cout = r.channels * r.multiplier;
        // Scales up to 3 so that ReLU6 clips some outputs of these U(−1, 1) inputs and weights.
        const scale = Float64Array.from({ length: cout }, (_, i) => 0.5 + ((i * 7) % 6) / 2);
        const shift = Float64Array.from({ length: cout }, (_, i) => ((i % 5) - 2) / 2);
        const epilogue = {
          ...(r.affine ? { affine: { scale, shift, sources: [] as Float32Array[] } } : {}),
          relu: r.act === 'relu',
          relu6: r.act === 'relu6',
        };
        const fused = conv2dForwardWasm(x, w, b, { geometry, groups: r.channels }, packs, epilogue);
        const plane = ts.shape[2]! * ts.shape[3]!;
        const expected = tensor(
          ts.shape,
          Float32Array.from(ts.data, (v, i) => {
            const ch = Math.floor(i / plane) % cout;
            const y = r.affine ? v * scale[ch]! + shift[ch]! : v;
            return r.act === 'relu6' ? Math.min(Math.max(y, 0), 6) : r.act === 'relu' ? Math.max(y, 0) : y;
          }),
        );
        assertClose(fused, expected, TOL, `wasm depthwise + ${r.affine ? 'batch norm + ' : ''}${r.act} vs ts`);
      }),
      { numRuns: 200 },
    );
    packs.disposeAll();
  });

  it('conv2d 3×3 stride 1 by Winograd F(2×2, 3×3): random sizes (odd, edge tiles), padding 0–2, groups, bias, the fused ReLU or ReLU6 and batch norm', () => {
    const wasm = wasmOrFail();
    const packs = new PackedWeights(wasm, true);
    const winogradArb = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        groups: fc.integer({ min: 1, max: 2 }),
        cinG: fc.integer({ min: 16, max: 40 }),
        coutG: fc.integer({ min: 16, max: 37 }),
        h: fc.integer({ min: 2, max: 23 }),
        w: fc.integer({ min: 2, max: 29 }),
        pad: fc.integer({ min: 0, max: 2 }),
        bias: fc.boolean(),
        relu: fc.boolean(),
        relu6: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1 << 20 }),
      })
      .filter((r) => r.h + 2 * r.pad >= 4 && r.w + 2 * r.pad >= 4);
    fc.assert(
      fc.property(winogradArb, (r) => {
        const c: ConvCase = {
          n: r.n,
          groups: r.groups,
          cinG: r.cinG,
          coutG: r.coutG,
          h: r.h,
          w: r.w,
          k: [3, 3],
          s: [1, 1],
          p: [r.pad, r.pad],
          d: [1, 1],
          same: false,
          bias: r.bias,
          seed: r.seed,
        };
        const geometry = computeWindowGeometry({
          input: [r.h, r.w],
          kernel: [3, 3],
          stride: [1, 1],
          padding: [r.pad, r.pad],
          dilation: [1, 1],
        });
        assert.ok(useWinograd(r.cinG, r.coutG, geometry), 'the case takes the Winograd path');
        const { ts, wasm: plain, x, w, b } = convBoth(c, packs);
        // Against a direct convolution too (the oracle that shares no code with either path).
        assertClose(ts, naiveConv2d(x, w, b, geometry, r.groups), TOL, 'ts vs direct');
        assertClose(plain, ts, TOL, 'wasm Winograd vs ts');
        const cout = r.coutG * r.groups;
        const scale = Float64Array.from({ length: cout }, (_, i) => 0.5 + ((i * 7) % 5) / 4);
        const shift = Float64Array.from({ length: cout }, (_, i) => ((i % 3) - 1) / 3);
        const epilogue = { relu: r.relu, relu6: r.relu6, affine: { scale, shift, sources: [] as Float32Array[] } };
        const fused = conv2dForwardWasm(x, w, b, { geometry, groups: r.groups }, packs, epilogue);
        const expected = tensor(
          ts.shape,
          Float32Array.from(ts.data, (v, i) => {
            const ch = Math.floor(i / (ts.shape[2]! * ts.shape[3]!)) % cout;
            const y = v * scale[ch]! + shift[ch]!;
            return r.relu6 ? Math.min(Math.max(y, 0), 6) : r.relu && y < 0 ? 0 : y;
          }),
        );
        assertClose(fused, expected, TOL, 'wasm Winograd (+ batch norm, ReLU or ReLU6) vs ts');
      }),
      { numRuns: 60 },
    );
    packs.disposeAll();
  });

  it('packWinogradWeights: the module transforms and packs the 3×3 filters as a float64 G·g·Gᵀ written here and packA do, bit for bit, across bands', () => {
    const wasm = wasmOrFail();
    // U_ξ[m, c] = (G g Gᵀ)_ξ, G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], in float64, rounded once.
    const reference = (w: Float32Array, M: number, C: number): Float32Array[] => {
      const G = [
        [1, 0, 0],
        [0.5, 0.5, 0.5],
        [0.5, -0.5, 0.5],
        [0, 0, 1],
      ];
      const u = Array.from({ length: 16 }, () => new Float32Array(M * C));
      for (let at = 0; at < M * C; at++) {
        const g = (r: number, c: number) => w[at * 9 + r * 3 + c]!;
        const t = G.map((row) => [0, 1, 2].map((c) => row[0]! * g(0, c) + row[1]! * g(1, c) + row[2]! * g(2, c)));
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++) u[4 * i + j]![at] = G[j]![0]! * t[i]![0]! + G[j]![1]! * t[i]![1]! + G[j]![2]! * t[i]![2]!;
      }
      return u;
    };
    // 70 filters of 512 channels take two bands (whole panels of 25·C values a row within 4 Mi floats).
    for (const [M, C, H] of [
      [16, 16, 6],
      [37, 23, 5],
      [70, 512, 4],
    ] as const) {
      const w = randomTensor([M, C, 3, 3], M + C).data;
      const x = randomTensor([C, H, H], 7).data;
      const geometry = computeWindowGeometry({ input: [H, H], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
      const ours = wasm.packWinogradWeights(w, M, C);
      const theirs = reference(w, M, C).map((u) => wasm.packA(M, C, u));
      assert.equal(ours.length, 16);
      const y1 = new Float32Array(M * H * H),
        y2 = new Float32Array(M * H * H);
      wasm.winogradConv3x3(x, ours, geometry, y1);
      wasm.winogradConv3x3(x, theirs, geometry, y2);
      assert.deepEqual(y1, y2, `${M}×${C}: the same convolution from either packing`);
      // And the convolution is right (the oracle shares no code with the module).
      assertClose(
        tensor([1, M, H, H], y1),
        naiveConv2d(tensor([1, C, H, H], x), tensor([M, C, 3, 3], w), undefined, geometry, 1),
        TOL,
        `${M}×${C} vs direct`,
      );
      for (const p of [...ours, ...theirs]) p.dispose();
    }
    assert.throws(
      () => wasm.packWinogradWeights(new Float32Array(10), 2, 1),
      /packWinogradWeights: weights has 10 elements, needs M·C·9 = 2·1·9 = 18/,
    );
  });

  it('packs drawn operands (UniformDraw) as it packs the arrays rng.ts draws, byte for byte, across bands: packA, packB transposed, packWinogradWeights', () => {
    const wasm = wasmOrFail();
    const bytes = (p: PackedA | PackedB) => {
      const { ptr, byteLength } = p as unknown as { ptr: number; byteLength: number };
      return new Uint8Array(wasm.memoryBuffer(), ptr, byteLength).slice();
    };
    const drawn = (length: number, bound: number, stream: string) => ({
      draw: { kind: 'uniform' as const, length, bound, seed: 11, stream },
      array: fillUniformStream(new Float32Array(length), bound, 11, stream),
    });
    // 1030 × 4100 is past the 4 Mi-float staging band: two bands, the generator's state carried over.
    for (const [M, K] of [
      [7, 5],
      [1030, 4100],
    ] as const) {
      const { draw, array } = drawn(M * K, 1 / Math.sqrt(K), `a.${M}x${K}`);
      const [ours, theirs] = [wasm.packA(M, K, draw), wasm.packA(M, K, array)];
      assert.deepEqual(bytes(ours), bytes(theirs), `packA ${M}×${K}`);
      // The same array read in place from the module's memory.
      const stored = wasm.allocate(M * K);
      stored.view().set(array);
      const inPlace = wasm.packA(M, K, stored.view());
      assert.deepEqual(bytes(inPlace), bytes(theirs), `packA ${M}×${K} in place`);
      inPlace.dispose();
      stored.dispose();
      const [b1, b2] = [wasm.packB(K, M, draw, { transposed: true }), wasm.packB(K, M, array, { transposed: true })];
      assert.deepEqual(bytes(b1), bytes(b2), `packB ${K}×${M} (stored ${M}×${K})`);
      for (const p of [ours, theirs, b1, b2]) p.dispose();
    }
    const { draw, array } = drawn(70 * 512 * 9, 0.02, 'layer4.0.conv2.weight');
    const [u1, u2] = [wasm.packWinogradWeights(draw, 70, 512), wasm.packWinogradWeights(array, 70, 512)];
    u1.forEach((p, xi) => assert.deepEqual(bytes(p), bytes(u2[xi]!), `Winograd U_${xi}`));
    for (const p of [...u1, ...u2]) p.dispose();
    assert.throws(
      () => wasm.packA(2, 3, { kind: 'uniform', length: 5, bound: 1, seed: 0, stream: '' }),
      /packA: the drawn operand has 5 values, the shape needs 6/,
    );
    assert.throws(
      () => wasm.packB(3, 2, { kind: 'uniform', length: 6, bound: 1, seed: 0, stream: '' }),
      /packB: a drawn operand is stored transposed/,
    );
  });

  it('conv2d: the ResNet shapes, K past the 256-deep block, N past the 256-wide block, M past 120 rows, 1×1 direct', () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    const shapes: ConvCase[] = [
      { n: 1, groups: 1, cinG: 64, coutG: 64, h: 28, w: 28, k: [3, 3], s: [1, 1], p: [1, 1], d: [1, 1], same: false, bias: false, seed: 1 },
      { n: 1, groups: 1, cinG: 3, coutG: 64, h: 61, w: 59, k: [7, 7], s: [2, 2], p: [3, 3], d: [1, 1], same: false, bias: true, seed: 2 },
      { n: 2, groups: 1, cinG: 130, coutG: 131, h: 7, w: 9, k: [1, 1], s: [1, 1], p: [0, 0], d: [1, 1], same: false, bias: true, seed: 3 },
      { n: 1, groups: 2, cinG: 40, coutG: 127, h: 14, w: 15, k: [3, 3], s: [2, 2], p: [0, 0], d: [1, 1], same: true, bias: true, seed: 4 },
      { n: 1, groups: 1, cinG: 33, coutG: 7, h: 17, w: 16, k: [3, 3], s: [1, 1], p: [2, 2], d: [2, 2], same: false, bias: false, seed: 5 },
    ];
    for (const r of shapes) {
      const { ts, wasm } = convBoth(r, packs);
      assertClose(wasm, ts, TOL, `conv ${JSON.stringify(r)}`);
    }
    packs.disposeAll();
  });

  it('conv_transpose2d: random shapes, groups, stride, dilation, output padding', () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    fc.assert(
      fc.property(convArb, fc.integer({ min: 0, max: 2 }), (r, opRaw) => {
        const { layer, x, w, b } = convTransposeCase(r, opRaw);
        const opts = convTransposeOptions(asKindLayer(layer, 'conv_transpose2d'));
        assertClose(
          convTranspose2dForwardWasm(x, w, b, opts, packs),
          convTranspose2dForward(x, w, b, opts, gemmBlocked),
          TOL,
          'wasm conv_transpose2d vs ts',
        );
      }),
      { numRuns: 120 },
    );
    packs.disposeAll();
  });

  it('linear: random leading shapes and sizes, with and without bias', () => {
    const packs = new PackedWeights(wasmOrFail(), true);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 41 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1 << 20 }),
        (lead, inF, outF, withBias, seed) => {
          const x = randomTensor([...lead, inF], seed);
          const w = randomTensor([outF, inF], seed + 1);
          const b = withBias ? randomTensor([outF], seed + 2) : undefined;
          assertClose(linearForwardWasm(x, w, b, packs), linearForward(x, w, b, gemmBlocked), TOL, 'wasm linear vs ts');
        },
      ),
      { numRuns: 120 },
    );
    packs.disposeAll();
  });

  it('TensorFlow dense on a 4-D tensor (over channels): both backends agree', () => {
    const wasm = wasmOrFail();
    const layer = analyzeLayer([2, 7, 5, 3], 'conv2d', { out_channels: 1, kernel_size: 1 });
    const dense = { ...layer, kind: 'linear', attrs: { out_features: 9, in_features: 7, bias: true } };
    const x = randomTensor([2, 7, 5, 3], 1);
    const params = { weight: randomTensor([9, 7], 2), bias: randomTensor([9], 3) };
    const kernel = kernelFor('linear')!;
    const ts = kernel.forward(dense, [x], params, { gemm: gemmBlocked, framework: 'tfjs' }).output;
    const fast = kernel.forward(dense, [x], params, { gemm: gemmBlocked, framework: 'tfjs', wasm: new PackedWeights(wasm, true) }).output;
    assert.deepEqual(ts.shape, [2, 9, 5, 3]);
    assertClose(fast, ts, TOL, 'dense over channels');
    // y[n, o, h, w] = b[o] + Σ_c W[o, c] x[n, c, h, w], one position by hand.
    let expected = params.bias.data[4]!;
    for (let c = 0; c < 7; c++) expected += params.weight.data[4 * 7 + c]! * x.data[((1 * 7 + c) * 5 + 2) * 3 + 1]!;
    assert.ok(Math.abs(ts.data[((1 * 9 + 4) * 5 + 2) * 3 + 1]! - expected) < 1e-5);
  });

  it('maxpool2d: random windows (stride, padding, dilation, ceil_mode, NaN), values from the module, argmax on demand', () => {
    const wasm = wasmOrFail();
    fc.assert(
      fc.property(
        fc
          .record({
            n: fc.integer({ min: 1, max: 2 }),
            c: fc.integer({ min: 1, max: 3 }),
            h: fc.integer({ min: 1, max: 21 }),
            w: fc.integer({ min: 1, max: 37 }),
            k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
            s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
            p: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
            d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
            ceil: fc.boolean(),
            nan: fc.boolean(),
            seed: fc.integer({ min: 0, max: 1 << 20 }),
          })
          .filter(
            (r) =>
              r.p[0] <= Math.floor(r.k[0] / 2) &&
              r.p[1] <= Math.floor(r.k[1] / 2) &&
              r.h + 2 * r.p[0] >= r.d[0] * (r.k[0] - 1) + 1 &&
              r.w + 2 * r.p[1] >= r.d[1] * (r.k[1] - 1) + 1,
          ),
        (r) => {
          const layer = analyzeLayer([r.n, r.c, r.h, r.w], 'maxpool2d', {
            kernel_size: r.k,
            stride: r.s,
            padding: r.p,
            dilation: r.d,
            ceil_mode: r.ceil,
          });
          const x = randomTensor([r.n, r.c, r.h, r.w], r.seed);
          if (r.nan) x.data[r.seed % x.data.length] = NaN;
          const kernel = kernelFor('maxpool2d')!;
          const ts = kernel.forward(layer, [x], {}, { gemm: gemmBlocked });
          const fast = kernel.forward(layer, [x], {}, { gemm: gemmBlocked, wasm: new PackedWeights(wasm, true) });
          assert.deepEqual([...fast.output.data], [...ts.output.data]);
          assert.deepEqual([...fast.indices!], [...ts.indices!]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the module applies a fused ReLU on the last K block only (conv2d and sgemm, K past one block)', () => {
    const wasm = wasmOrFail();
    const g = computeWindowGeometry({ input: [9, 11], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
    const [cin, cout] = [40, 7]; // K = 360: two K blocks
    const x = randomTensor([cin, 9, 11], 31).data;
    const w = wasm.packA(cout, cin * 9, randomTensor([cout, cin * 9], 32).data);
    const bias = randomTensor([cout], 33).data;
    const plain = new Float32Array(cout * 99),
      fused = new Float32Array(cout * 99);
    wasm.conv2d(x, w, g, plain, { bias });
    wasm.conv2d(x, w, g, fused, { bias, relu: true });
    assert.ok(plain.some((v) => v < 0));
    assert.deepEqual(
      [...fused],
      [...plain].map((v) => (v < 0 ? 0 : v)),
    );
    const b = randomTensor([cin * 9, 13], 34).data;
    const c1 = new Float32Array(cout * 13),
      c2 = new Float32Array(cout * 13);
    wasm.sgemm(cout, 13, cin * 9, w, b, c1, { rowBias: bias });
    wasm.sgemm(cout, 13, cin * 9, w, b, c2, { rowBias: bias, relu: true });
    assert.deepEqual(
      [...c2],
      [...c1].map((v) => (v < 0 ? 0 : v)),
    );
    w.dispose();
  });

  it('packs each weight tensor once: later calls and runs reuse it, a new tensor is packed anew', () => {
    const wasm = wasmOrFail();
    const packs = new PackedWeights(wasm, true);
    const r: ConvCase = {
      n: 1,
      groups: 2,
      cinG: 3,
      coutG: 4,
      h: 6,
      w: 6,
      k: [3, 3],
      s: [1, 1],
      p: [1, 1],
      d: [1, 1],
      same: false,
      bias: true,
      seed: 9,
    };
    const first = convBoth(r, packs);
    const packed = packs.get<PackedA>(first.w, 'conv2d groups 2', () => assert.fail('packed again'));
    assert.equal(packed.length, 2);
    conv2dForwardWasm(
      first.x,
      first.w,
      first.b,
      { geometry: computeWindowGeometry({ input: [6, 6], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] }), groups: 2 },
      packs,
    );
    assert.equal(packs.get(first.w, 'conv2d groups 2', () => assert.fail('packed again'))[0], packed[0]);
    // The same tensor read another way is repacked (and the old packing freed).
    let repacked = 0;
    packs.get(first.w, 'other', () => (repacked++, [wasm.packA(1, 1, new Float32Array(1))]));
    assert.equal(repacked, 1);
    assert.ok(packed.every((p) => p.disposed));
    packs.disposeAll();
  });

  it('whole-model runs with given tensors keep the packing for the next run; random weights free theirs', () => {
    const wasm = wasmOrFail();
    const { analysis, input, weights, tensors } = loadModel('resnet_small');
    runModel(analysis, input.data, weights, { backend: 'wasm' });
    const conv = [...tensors.entries()].find(([name, t]) => name.endsWith('.weight') && t.shape.length === 4 && t.shape[1]! > 1);
    assert.ok(conv);
    const groups = analysis.byName.get(conv[0].replace(/\.weight$/, ''))?.attrs.groups ?? 1;
    sharedPackedWeights(wasm).get(conv[1], `conv2d groups ${String(groups)}`, () => assert.fail(`${conv[0]} was not kept packed`));
    // Random weights: after the first run has grown the memory, later runs reuse the freed blocks.
    runModel(analysis, input.data, { kind: 'random', seed: 1 }, { backend: 'wasm', keep: [] });
    const bytes = wasm.memoryBytes();
    for (let seed = 2; seed < 6; seed++) runModel(analysis, input.data, { kind: 'random', seed }, { backend: 'wasm', keep: [] });
    assert.equal(wasm.memoryBytes(), bytes);
  });
});

interface Expected {
  final: string;
  intermediate: string;
  outputs: Record<string, FixtureArray>;
}

function loadModel(name: string) {
  const analysis = analyzeOrFail(readFileSync(path.join(FIXTURES, `${name}.cnn.yaml`), 'utf8'));
  const tensors = parseSafetensors(readFileSync(path.join(FIXTURES, `${name}.safetensors`))).tensors;
  const input = parseNpy(readFileSync(path.join(FIXTURES, `${name}.input.npy`)));
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
  return { analysis, tensors, input, expected, weights: { kind: 'tensors' as const, tensors, label: `${name}.safetensors` } };
}

describe('engine WebAssembly backend: whole models against PyTorch', () => {
  for (const name of ['resnet_small', 'mixed_dtypes']) {
    it(`${name}: every layer within 1e-5 of the TypeScript backend, final and intermediate outputs within 1e-4 of PyTorch`, () => {
      wasmOrFail();
      const { analysis, input, expected, weights } = loadModel(name);
      const fast = runModel(analysis, input.data, weights, { backend: 'wasm' });
      const reference = runModel(analysis, input.data, weights, { backend: 'ts' });
      assert.equal(fast.backend, 'wasm');
      assert.equal(reference.backend, 'ts');
      for (const layer of analysis.layers) {
        const err = relativeError(fast.outputs.get(layer.name)!, reference.outputs.get(layer.name)!);
        assert.ok(err <= TOL, `${name} ${layer.name} (${layer.kind}): wasm vs ts ${err.toExponential(2)} of the range`);
      }
      for (const layer of [expected.final, expected.intermediate]) {
        assertClose(fast.outputs.get(layer)!, decodeArray(expected.outputs[layer]!), 1e-4, `${name} ${layer} vs PyTorch`);
      }
    });
  }

  it('fuses conv2d → batchnorm2d → relu and add → relu when the intermediate outputs are not kept, and matches the unfused run', () => {
    wasmOrFail();
    for (const name of ['resnet_small', 'mixed_dtypes']) {
      const { analysis, input, expected, weights } = loadModel(name);
      const keep = [expected.final];
      const fused = runModel(analysis, input.data, weights, { backend: 'wasm', keep });
      const reference = runModel(analysis, input.data, weights, { backend: 'ts', keep });
      const folded = fused.timings.filter((t) => t.fusedInto !== undefined);
      if (name === 'resnet_small') {
        assert.ok(
          folded.some((t) => t.kind === 'batchnorm2d') && folded.some((t) => t.kind === 'relu'),
          'resnet_small has conv → bn → relu chains',
        );
        for (const t of folded)
          assert.ok(['conv2d', 'add'].includes(analysis.byName.get(t.fusedInto!)!.kind), `${t.name} fused into ${t.fusedInto}`);
        assert.ok(
          folded.some((t) => analysis.byName.get(t.fusedInto!)!.kind === 'add'),
          'a residual add takes its relu',
        );
      }
      assert.equal(reference.timings.filter((t) => t.fusedInto !== undefined).length, 0, 'the TypeScript backend never fuses');
      const err = relativeError(fused.outputs.get(expected.final)!, reference.outputs.get(expected.final)!);
      assert.ok(err <= TOL, `${name}: fused vs ts ${err.toExponential(2)} of the range`);
      assertClose(fused.outputs.get(expected.final)!, decodeArray(expected.outputs[expected.final]!), 1e-4, `${name} fused vs PyTorch`);
    }
    // A kept intermediate stops the chain there: keeping a batch norm's output keeps it computed.
    const { analysis, input, weights } = loadModel('resnet_small');
    const bn = analysis.layers.find((l) => l.kind === 'batchnorm2d')!;
    const run = runModel(analysis, input.data, weights, { backend: 'wasm', keep: [bn.name] });
    const ref = runModel(analysis, input.data, weights, { backend: 'ts', keep: [bn.name] });
    assert.ok(relativeError(run.outputs.get(bn.name)!, ref.outputs.get(bn.name)!) <= TOL);
    assert.equal(run.timings.find((t) => t.name === bn.name)?.fusedInto, analysis.byName.get(bn.inputs[0]!)?.name);
    assert.equal(run.timings.find((t) => analysis.byName.get(t.name)?.inputs[0] === bn.name)?.fusedInto, undefined);
  });

  it('torchvision architectures at 80×80 (random weights): every layer within 1e-5 of the TypeScript backend, and the fused run too', () => {
    wasmOrFail();
    const models = path.join(__dirname, '../../../test/fixtures/models');
    for (const name of ['googlenet', 'mobilenet_v2', 'resnet18', 'resnet50', 'squeezenet1_1']) {
      const text = readFileSync(path.join(models, `${name}.cnn.yaml`), 'utf8').replace(/^input: .*$/m, 'input: [1, 3, 80, 80]');
      const analysis = analyzeOrFail(text);
      const input = randomTensor(analysis.input!, 5).data;
      const weights = { kind: 'random' as const, seed: 1 };
      const reference = runModel(analysis, input, weights, { backend: 'ts' });
      const fast = runModel(analysis, input, weights, { backend: 'wasm' });
      for (const layer of analysis.layers) {
        const err = relativeError(fast.outputs.get(layer.name)!, reference.outputs.get(layer.name)!);
        assert.ok(err <= TOL, `${name} ${layer.name} (${layer.kind}): wasm vs ts ${err.toExponential(2)} of the range`);
      }
      const last = analysis.layers[analysis.layers.length - 1]!.name;
      const fused = runModel(analysis, input, weights, { backend: 'wasm', keep: [last] });
      assert.ok(
        fused.timings.some((t) => t.fusedInto !== undefined),
        `${name} fuses`,
      );
      // MobileNetV2's conv → batch norm → ReLU6 chains run as one pass each (depthwise ones too).
      for (const t of fused.timings.filter((t) => t.kind === 'relu6'))
        assert.ok(t.fusedInto !== undefined, `${name} ${t.name}: relu6 fused`);
      const err = relativeError(fused.outputs.get(last)!, reference.outputs.get(last)!);
      assert.ok(err <= TOL, `${name} fused logits vs ts ${err.toExponential(2)} of the range`);
    }
  });

  it("backend 'auto' takes the WebAssembly kernels when the module loads", () => {
    wasmOrFail();
    const { analysis, input, weights } = loadModel('resnet_small');
    assert.equal(runModel(analysis, input.data, weights, { keep: [] }).backend, 'wasm');
  });
});
