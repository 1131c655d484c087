// Depthwise convolution (one input channel per group) as a direct loop. As a GEMM each group
// would be a 1-row (or depth_multiplier-row) product with K = KH·KW, too thin for any GEMM to
// reach speed, so the fast path walks each output plane once per tap instead, over the range of
// outputs whose tap falls inside the input (no bounds test in the inner loop, as in im2col).

import { outputsReadingTap, type GatherGeometry } from './window';

/**
 * y[b, c·m + j] = bias + Σ_taps W[c·m + j, tap] · x[b, c] shifted by the tap, for an input of
 * `batch` × `channels` planes and `multiplier` (m) outputs per channel. `weight` is PyTorch's
 * [channels·m, 1, KH, KW]; `y` is filled (not accumulated).
 */
export function depthwiseConv2dDirect(
  x: Float32Array,
  batch: number,
  channels: number,
  multiplier: number,
  g: GatherGeometry,
  weight: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
): void {
  const { h, w } = g;
  const inW = w.input, outW = w.output;
  const inPlane = h.input * inW, outPlane = h.output * outW;
  const taps = h.kernel * w.kernel;
  const sw = w.stride;
  const rowsOfTap: [number, number][] = [];
  const colsOfTap: [number, number][] = [];
  for (let kh = 0; kh < h.kernel; kh++) rowsOfTap.push(outputsReadingTap(h, kh));
  for (let kw = 0; kw < w.kernel; kw++) colsOfTap.push(outputsReadingTap(w, kw));
  const outChannels = channels * multiplier;
  for (let b = 0; b < batch; b++) {
    for (let co = 0; co < outChannels; co++) {
      const xc = (b * channels + Math.floor(co / multiplier)) * inPlane;
      const yc = (b * outChannels + co) * outPlane;
      y.fill(bias === undefined ? 0 : bias[co]!, yc, yc + outPlane);
      for (let kh = 0; kh < h.kernel; kh++) {
        const [ohLo, ohHi] = rowsOfTap[kh]!;
        const hOffset = kh * h.dilation - h.padBefore;
        for (let kw = 0; kw < w.kernel; kw++) {
          const [owLo, owHi] = colsOfTap[kw]!;
          const tap = weight[co * taps + kh * w.kernel + kw]!;
          const wOffset = kw * w.dilation - w.padBefore;
          for (let oh = ohLo; oh < ohHi; oh++) {
            const dst = yc + oh * outW;
            const src = xc + (oh * h.stride + hOffset) * inW + wOffset;
            if (sw === 1) {
              for (let ow = owLo; ow < owHi; ow++) y[dst + ow] = y[dst + ow]! + tap * x[src + ow]!;
            } else {
              for (let ow = owLo; ow < owHi; ow++) y[dst + ow] = y[dst + ow]! + tap * x[src + ow * sw]!;
            }
          }
        }
      }
    }
  }
}
