// Shared by the engine tests: fixture loading, one-layer analyses, naive direct-loop references
// (written from PyTorch's C++ loops, independent of the engine's range arithmetic) and a
// finite-difference gradient checker. The tests at the end check the references themselves.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeYaml, type AnalyzedLayer, type ModelAnalysis } from '../../src/core/index';
import { tensor, type Tensor } from '../../src/core/engine/tensor';
import { createRandom } from '../../src/core/engine/rng';
import type { GatherGeometry } from '../../src/core/engine/window';

export const FIXTURES = path.join(__dirname, '../../../test/fixtures/engine');

export interface FixtureArray {
  shape: number[];
  data: string;
}

export function decodeArray(a: FixtureArray): Tensor {
  const bytes = Buffer.from(a.data, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return tensor(a.shape, new Float32Array(copy.buffer));
}

export interface KernelCase {
  label: string;
  kind: string;
  params: Record<string, unknown>;
  inputs: FixtureArray[];
  output: FixtureArray;
  weights: Record<string, FixtureArray>;
  yaml?: string;
  backward?: { dy: FixtureArray; inputs: FixtureArray[]; params: Record<string, FixtureArray> };
}

let cachedCases: KernelCase[] | undefined;

export function kernelCases(): KernelCase[] {
  cachedCases ??= (JSON.parse(readFileSync(path.join(FIXTURES, 'kernels.json'), 'utf8')) as { cases: KernelCase[] }).cases;
  return cachedCases;
}

export function analyzeOrFail(yaml: string): ModelAnalysis {
  const result = analyzeYaml(yaml);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 0, errors.map((d) => d.message).join('\n'));
  assert.ok(result.model);
  return result.model;
}

/** A convolution's random parameters, as the engine tests' arbitraries draw them. */
export interface ConvRecord {
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
  bias: boolean;
  seed: number;
}

/**
 * A conv_transpose2d case from a convolution record and an output-padding draw (reduced below
 * max(stride, dilation), as PyTorch requires): the analyzed layer, x, w, b and the output size,
 * or the property's precondition fails (fc.pre) when the output would be empty.
 */
export function convTransposeCase(r: ConvRecord, opRaw: number) {
  const cin = r.cinG * r.groups,
    cout = r.coutG * r.groups;
  const op: [number, number] = [opRaw % Math.max(r.s[0], r.d[0]), opRaw % Math.max(r.s[1], r.d[1])];
  const outH = (r.h - 1) * r.s[0] - 2 * r.p[0] + r.d[0] * (r.k[0] - 1) + op[0] + 1;
  const outW = (r.w - 1) * r.s[1] - 2 * r.p[1] + r.d[1] * (r.k[1] - 1) + op[1] + 1;
  fc.pre(outH >= 1 && outW >= 1);
  const layer = analyzeLayer([r.n, cin, r.h, r.w], 'conv_transpose2d', {
    out_channels: cout,
    kernel_size: r.k,
    stride: r.s,
    padding: r.p,
    output_padding: op,
    dilation: r.d,
    groups: r.groups,
    bias: r.bias,
  });
  const x = randomTensor([r.n, cin, r.h, r.w], r.seed);
  const w = randomTensor([cin, r.coutG, r.k[0], r.k[1]], r.seed + 1);
  const b = r.bias ? randomTensor([cout], r.seed + 2) : undefined;
  return { layer, x, w, b, out: [outH, outW] as [number, number] };
}

/** The analyzed layer of a one-layer model: shapes, attributes and geometry as the runner sees them. */
export function analyzeLayer(inputShape: readonly number[], kind: string, params: Record<string, unknown>): AnalyzedLayer {
  const model = analyzeOrFail(`input: ${JSON.stringify(inputShape)}\nlayers:\n  - name: L\n    ${kind}: ${JSON.stringify(params)}\n`);
  const layer = model.layers[0];
  assert.ok(layer);
  return layer;
}

/** A layer record for multi-input kinds, which a one-input YAML model cannot express. */
export function handLayer(kind: string, attrs: Record<string, unknown>, inputShapes: number[][], outputShape: number[]): AnalyzedLayer {
  return {
    name: 'L',
    kind,
    attrs,
    inputs: inputShapes.map((_, i) => `in${i}`),
    inputShapes,
    outputShape,
  } as unknown as AnalyzedLayer;
}

/** max |a − b| over the reference's range (max − min), the fixtures' error measure. */
export function relativeError(actual: Tensor, expected: Tensor): number {
  assert.deepEqual([...actual.shape], [...expected.shape], 'shape');
  let lo = Infinity,
    hi = -Infinity,
    worst = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    lo = Math.min(lo, e);
    hi = Math.max(hi, e);
    const a = actual.data[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    if (!Number.isNaN(e) && e !== a) worst = Math.max(worst, Math.abs(a - e));
  }
  const range = hi - lo;
  return worst / (range > 1e-6 ? range : Math.max(1, Math.abs(hi)));
}

export function assertClose(actual: Tensor, expected: Tensor, tol: number, what: string): void {
  const err = relativeError(actual, expected);
  assert.ok(err <= tol, `${what}: max error ${err.toExponential(2)} of the range > ${tol}`);
}

export function randomTensor(shape: readonly number[], seed: number, scale = 1): Tensor {
  const random = createRandom(seed, 'test');
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = (2 * random() - 1) * scale;
  return t;
}

/** Distinct values one apart, in a seeded random order: no ties for max pooling. */
export function distinctTensor(shape: readonly number[], seed: number): Tensor {
  const t = tensor(shape);
  const n = t.data.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const random = createRandom(seed, 'perm');
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < n; i++) t.data[i] = order[i]! - n / 2;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Naive references

export function naiveConv2d(x: Tensor, w: Tensor, b: Tensor | undefined, g: GatherGeometry, groups: number): Tensor {
  const [n, cin, H, W] = x.shape as [number, number, number, number];
  const [cout, cinG, KH, KW] = w.shape as [number, number, number, number];
  const OH = g.h.output,
    OW = g.w.output;
  const y = tensor([n, cout, OH, OW]);
  const coutG = cout / groups;
  for (let b0 = 0; b0 < n; b0++)
    for (let co = 0; co < cout; co++) {
      const grp = Math.floor(co / coutG);
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b.data[co]! : 0;
          for (let ci = 0; ci < cinG; ci++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const ih = oh * g.h.stride - g.h.padBefore + kh * g.h.dilation;
                const iw = ow * g.w.stride - g.w.padBefore + kw * g.w.dilation;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                s += x.data[((b0 * cin + grp * cinG + ci) * H + ih) * W + iw]! * w.data[((co * cinG + ci) * KH + kh) * KW + kw]!;
              }
          y.data[((b0 * cout + co) * OH + oh) * OW + ow] = s;
        }
    }
  return y;
}

/** Scatter form of the transposed convolution: out[ih·S − P + k·D] += x[ih]·W[k]. */
export function naiveConvTranspose2d(
  x: Tensor,
  w: Tensor,
  b: Tensor | undefined,
  stride: number[],
  padding: number[],
  dilation: number[],
  outHW: number[],
  groups: number,
): Tensor {
  const [n, cin, H, W] = x.shape as [number, number, number, number];
  const [, coutG, KH, KW] = w.shape as [number, number, number, number];
  const cinG = cin / groups;
  const cout = coutG * groups;
  const [OH, OW] = outHW as [number, number];
  const y = tensor([n, cout, OH, OW]);
  for (let b0 = 0; b0 < n; b0++)
    for (let ci = 0; ci < cin; ci++) {
      const grp = Math.floor(ci / cinG);
      for (let co = 0; co < coutG; co++)
        for (let ih = 0; ih < H; ih++)
          for (let iw = 0; iw < W; iw++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const oh = ih * stride[0]! - padding[0]! + kh * dilation[0]!;
                const ow = iw * stride[1]! - padding[1]! + kw * dilation[1]!;
                if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
                const o = ((b0 * cout + grp * coutG + co) * OH + oh) * OW + ow;
                y.data[o] = y.data[o]! + x.data[((b0 * cin + ci) * H + ih) * W + iw]! * w.data[((ci * coutG + co) * KH + kh) * KW + kw]!;
              }
    }
  if (b) {
    for (let i = 0; i < y.data.length; i++) y.data[i] = y.data[i]! + b.data[Math.floor(i / (OH * OW)) % cout]!;
  }
  return y;
}

/** PyTorch's max_pool2d CPU loop (MaxPoolKernel.cpp), with its index rule. */
export function naiveMaxPool(x: Tensor, k: number[], s: number[], p: number[], d: number[], out: number[]): { y: Tensor; idx: Int32Array } {
  const [n, c, H, W] = x.shape as [number, number, number, number];
  const [OH, OW] = out as [number, number];
  const y = tensor([n, c, OH, OW]);
  const idx = new Int32Array(y.data.length);
  for (let pl = 0; pl < n * c; pl++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        let ih0 = oh * s[0]! - p[0]!;
        let iw0 = ow * s[1]! - p[1]!;
        const ih1 = Math.min(ih0 + (k[0]! - 1) * d[0]! + 1, H);
        const iw1 = Math.min(iw0 + (k[1]! - 1) * d[1]! + 1, W);
        while (ih0 < 0) ih0 += d[0]!;
        while (iw0 < 0) iw0 += d[1]!;
        let best = -Infinity,
          arg = ih0 * W + iw0;
        for (let ih = ih0; ih < ih1; ih += d[0]!)
          for (let iw = iw0; iw < iw1; iw += d[1]!) {
            const v = x.data[pl * H * W + ih * W + iw]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              arg = ih * W + iw;
            }
          }
        const o = (pl * OH + oh) * OW + ow;
        y.data[o] = best;
        idx[o] = arg;
      }
  return { y, idx };
}

/** PyTorch's avg_pool2d CPU loop (AvgPoolKernel.cpp). */
export function naiveAvgPool(x: Tensor, k: number[], s: number[], p: number[], countIncludePad: boolean, out: number[]): Tensor {
  const [n, c, H, W] = x.shape as [number, number, number, number];
  const [OH, OW] = out as [number, number];
  const y = tensor([n, c, OH, OW]);
  for (let pl = 0; pl < n * c; pl++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        let hs = oh * s[0]! - p[0]!,
          ws = ow * s[1]! - p[1]!;
        let he = Math.min(hs + k[0]!, H + p[0]!),
          we = Math.min(ws + k[1]!, W + p[1]!);
        const poolSize = (he - hs) * (we - ws);
        hs = Math.max(hs, 0);
        ws = Math.max(ws, 0);
        he = Math.min(he, H);
        we = Math.min(we, W);
        const o = (pl * OH + oh) * OW + ow;
        if (hs >= he || ws >= we) continue;
        let sum = 0;
        for (let ih = hs; ih < he; ih++) for (let iw = ws; iw < we; iw++) sum += x.data[pl * H * W + ih * W + iw]!;
        y.data[o] = sum / (countIncludePad ? poolSize : (he - hs) * (we - ws));
      }
  return y;
}

// ---------------------------------------------------------------------------------------------
// Finite differences

/** Σ r·y in double precision: a scalar loss whose gradient with respect to y is r. */
export function weightedSum(y: Tensor, r: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i]! * r.data[i]!;
  return s;
}

/**
 * Central differences of loss() with respect to `data` at up to `samples` positions, compared with
 * `analytic`. `eps` may be large for maps that are linear in `data` (then the difference is exact).
 */
export function checkGradient(
  what: string,
  loss: () => number,
  data: Float32Array,
  analytic: Float32Array,
  opts: { eps: number; tol: number; samples?: number; seed?: number },
): void {
  assert.equal(analytic.length, data.length, `${what}: gradient length`);
  const random = createRandom(opts.seed ?? 1, what);
  const count = Math.min(data.length, opts.samples ?? 40);
  const positions =
    count === data.length
      ? Array.from({ length: count }, (_, i) => i)
      : Array.from({ length: count }, () => Math.floor(random() * data.length));
  let scale = 0;
  for (const g of analytic) scale = Math.max(scale, Math.abs(g));
  for (const i of positions) {
    const saved = data[i]!;
    data[i] = saved + opts.eps;
    const up = loss();
    data[i] = saved - opts.eps;
    const down = loss();
    data[i] = saved;
    const numeric = (up - down) / (2 * opts.eps);
    const a = analytic[i]!;
    assert.ok(
      Math.abs(numeric - a) <= opts.tol * Math.max(1, scale),
      `${what}[${i}]: numeric ${numeric} vs analytic ${a} (scale ${scale})`,
    );
  }
}

describe('engine test support', () => {
  it('naive conv2d matches a hand-computed 3×3 example', () => {
    // x = 1..9 in a 3×3 plane, an all-ones 2×2 kernel, stride 1, no padding: window sums.
    const x = tensor([1, 1, 3, 3], Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const w = tensor([1, 1, 2, 2], Float32Array.from([1, 1, 1, 1]));
    const g = analyzeLayer([1, 1, 3, 3], 'conv2d', { out_channels: 1, kernel_size: 2 }).geometry!;
    assert.deepEqual([...naiveConv2d(x, w, undefined, g, 1).data], [12, 16, 24, 28]);
  });

  it('naive pooling matches hand-computed PyTorch values (ceil_mode, count_include_pad)', () => {
    const x = tensor([1, 1, 3, 3], Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // kernel 2, stride 2, ceil_mode: windows {1,2,4,5} {3,6} {7,8} {9}
    assert.deepEqual([...naiveMaxPool(x, [2, 2], [2, 2], [0, 0], [1, 1], [2, 2]).y.data], [5, 6, 8, 9]);
    assert.deepEqual([...naiveAvgPool(x, [2, 2], [2, 2], [0, 0], true, [2, 2]).data], [3, 4.5, 7.5, 9]);
    // padding 1, kernel 2, stride 2: the first window has one real tap (value 1) out of 4 padded ones.
    assert.deepEqual([...naiveAvgPool(x, [2, 2], [2, 2], [1, 1], true, [2, 2]).data], [0.25, 1.25, 2.75, 7]);
    assert.deepEqual([...naiveAvgPool(x, [2, 2], [2, 2], [1, 1], false, [2, 2]).data], [1, 2.5, 5.5, 7]);
  });

  it('the gradient checker catches a wrong gradient', () => {
    const x = Float32Array.from([1, 2, 3]);
    const loss = () => x[0]! * 2 + x[1]! * 3 + x[2]! * 4;
    checkGradient('right', loss, x, Float32Array.from([2, 3, 4]), { eps: 1, tol: 1e-9 });
    assert.throws(() => checkGradient('wrong', loss, x, Float32Array.from([2, 3, 5]), { eps: 1, tol: 1e-3 }), /wrong\[2\]/);
  });
});
