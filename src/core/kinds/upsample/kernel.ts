// torch.nn.Upsample, modes 'nearest' and 'bilinear' (align_corners false or true). The output size
// is the analyzer's; the source-index rules are PyTorch's, in float32 arithmetic as its CPU kernel
// computes them, so a floor lands on the same side:
//   scale = 1/scale_factor when scale_factor was given, else in/out;
//   nearest:  src = min(floor(dst·scale), in − 1);
//   nearest-exact: src = min(floor((dst + 0.5)·scale), in − 1);
//   bilinear: src = max(0, (dst + 0.5)·scale − 0.5), or dst·(in − 1)/(out − 1) with align_corners.

import { EngineError, nchw, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput, outputShapeOf } from '../kernel-util';
import type { KindLayer, LayerKernel } from '../kernel-types';
import type { UpsampleAttrs } from './def';

const f32 = Math.fround;

export interface UpsampleOptions {
  outH: number;
  outW: number;
  mode: 'nearest' | 'nearest-exact' | 'bilinear';
  /** scale_factor as written, per axis [h, w]; undefined when `size` was given. */
  scaleFactor?: [number, number];
  alignCorners?: boolean;
}

function axisScale(input: number, output: number, scaleFactor: number | undefined): number {
  return scaleFactor !== undefined && scaleFactor > 0 ? f32(1 / scaleFactor) : f32(input / output);
}

function nearestIndex(dst: number, input: number, output: number, scale: number): number {
  if (output === input) return dst;
  if (output === 2 * input) return dst >> 1;
  return Math.min(Math.floor(f32(dst * scale)), input - 1);
}

function nearestExactIndex(dst: number, input: number, output: number, scale: number): number {
  if (output === input) return dst;
  return Math.min(Math.floor(f32((dst + 0.5) * scale)), input - 1);
}

export function upsampleForward(x: Tensor, opts: UpsampleOptions): Tensor {
  const [n, c, inH, inW] = nchw(x, 'upsample');
  const { outH, outW } = opts;
  const y = tensor([n, c, outH, outW]);
  // Typed arrays in locals: a tensor in module memory reads `data` through a getter.
  const xd = x.data,
    yd = y.data;
  if (opts.mode !== 'bilinear') {
    const index = opts.mode === 'nearest' ? nearestIndex : nearestExactIndex;
    const sh = axisScale(inH, outH, opts.scaleFactor?.[0]),
      sw = axisScale(inW, outW, opts.scaleFactor?.[1]);
    const srcW = Int32Array.from({ length: outW }, (_, ow) => index(ow, inW, outW, sw));
    let o = 0;
    for (let p = 0; p < n * c; p++) {
      for (let oh = 0; oh < outH; oh++) {
        const row = p * inH * inW + index(oh, inH, outH, sh) * inW;
        for (let ow = 0; ow < outW; ow++) yd[o++] = xd[row + srcW[ow]!]!;
      }
    }
    return y;
  }
  const ah = linearAxis(inH, outH, opts.scaleFactor?.[0], opts.alignCorners ?? false);
  const aw = linearAxis(inW, outW, opts.scaleFactor?.[1], opts.alignCorners ?? false);
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = p * inH * inW;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = base + ah.i0[oh]! * inW,
        r1 = base + ah.i1[oh]! * inW;
      const lh = ah.lambda[oh]!;
      for (let ow = 0; ow < outW; ow++) {
        const c0 = aw.i0[ow]!,
          c1 = aw.i1[ow]!,
          lw = aw.lambda[ow]!;
        const top = (1 - lw) * xd[r0 + c0]! + lw * xd[r0 + c1]!;
        const bottom = (1 - lw) * xd[r1 + c0]! + lw * xd[r1 + c1]!;
        yd[o++] = (1 - lh) * top + lh * bottom;
      }
    }
  }
  return y;
}

/** For each output index: the two source indices and the weight of the second. */
function linearAxis(input: number, output: number, scaleFactor: number | undefined, alignCorners: boolean) {
  const i0 = new Int32Array(output),
    i1 = new Int32Array(output),
    lambda = new Float64Array(output);
  const scale = alignCorners ? (output > 1 ? f32((input - 1) / (output - 1)) : 0) : axisScale(input, output, scaleFactor);
  for (let d = 0; d < output; d++) {
    let src = alignCorners ? f32(scale * d) : f32(scale * (d + 0.5) - 0.5);
    if (src < 0) src = 0;
    const lo = Math.min(Math.floor(src), input - 1);
    i0[d] = lo;
    i1[d] = lo < input - 1 ? lo + 1 : lo;
    lambda[d] = src - lo;
  }
  return { i0, i1, lambda };
}

export function upsampleOptions(layer: KindLayer<UpsampleAttrs>): UpsampleOptions {
  const shape = outputShapeOf(layer);
  const mode = layer.attrs.mode;
  if (mode !== 'nearest' && mode !== 'nearest-exact' && mode !== 'bilinear') {
    throw new EngineError(
      `${layer.name}: upsample mode '${mode}' is not implemented by the engine (nearest, nearest-exact and bilinear are)`,
    );
  }
  // scale_factor only matters when it was written (then PyTorch uses 1/scale_factor, not in/out).
  const sizeGiven = layer.attrs.size !== undefined;
  return {
    outH: shape[2] ?? 1,
    outW: shape[3] ?? 1,
    mode,
    scaleFactor: sizeGiven ? undefined : layer.attrs.scale_factor,
    // Unwritten, PyTorch's align_corners=None behaves as False.
    alignCorners: layer.attrs.align_corners ?? false,
  };
}

export const upsampleKernel: LayerKernel<UpsampleAttrs> = {
  check(layer) {
    upsampleOptions(layer);
  },
  forward(layer, inputs) {
    return { output: upsampleForward(onlyInput(layer, inputs), upsampleOptions(layer)) };
  },
};
