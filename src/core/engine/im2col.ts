// im2col and its adjoint col2im for any stride, padding (asymmetric included: only padBefore and
// the output length matter, padAfter is implied), dilation and, through channel offsets, groups.
//
// Column matrix layout (Caffe's): row (c, kh, kw), column (oh, ow), so rows = C·KH·KW and
// columns = OH·OW. A convolution is then W (Cout × C·KH·KW) · cols, already in NCHW order.

import { outputsReadingTap, type GatherGeometry } from './window';

/**
 * Gathers `channels` planes of `x` (each input.h × input.w, starting at element `xOffset`) into
 * `cols`. Positions in the padding get `padValue`. Only output rows [ohStart, ohEnd) are gathered
 * (then cols has (ohEnd − ohStart)·OW columns), so a large convolution can run in bands.
 */
export function im2col(
  x: Float32Array,
  xOffset: number,
  channels: number,
  g: GatherGeometry,
  cols: Float32Array,
  padValue = 0,
  ohStart = 0,
  ohEnd = g.h.output,
): void {
  const { h, w } = g;
  const inW = w.input;
  const outW = w.output;
  const plane = h.input * inW;
  const outPlane = (ohEnd - ohStart) * outW;
  const sw = w.stride;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const xc = xOffset + c * plane;
    for (let kh = 0; kh < h.kernel; kh++) {
      const [tapLo, tapHi] = outputsReadingTap(h, kh);
      const ohLo = Math.min(Math.max(tapLo, ohStart), ohEnd);
      const ohHi = Math.max(Math.min(tapHi, ohEnd), ohLo);
      const hOffset = kh * h.dilation - h.padBefore;
      for (let kw = 0; kw < w.kernel; kw++) {
        const [owLo, owHi] = outputsReadingTap(w, kw);
        const wOffset = kw * w.dilation - w.padBefore;
        const base = row * outPlane - ohStart * outW;
        if (ohLo > ohStart) cols.fill(padValue, base + ohStart * outW, base + ohLo * outW);
        if (ohHi < ohEnd) cols.fill(padValue, base + ohHi * outW, base + ohEnd * outW);
        for (let oh = ohLo; oh < ohHi; oh++) {
          const dst = base + oh * outW;
          const src = xc + (oh * h.stride + hOffset) * inW + wOffset;
          for (let ow = 0; ow < owLo; ow++) cols[dst + ow] = padValue;
          if (sw === 1) {
            for (let ow = owLo; ow < owHi; ow++) cols[dst + ow] = x[src + ow]!;
          } else {
            for (let ow = owLo; ow < owHi; ow++) cols[dst + ow] = x[src + ow * sw]!;
          }
          for (let ow = owHi; ow < outW; ow++) cols[dst + ow] = padValue;
        }
        row++;
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back onto the input position it came from. */
export function col2im(cols: Float32Array, channels: number, g: GatherGeometry, x: Float32Array, xOffset: number): void {
  const { h, w } = g;
  const inW = w.input;
  const plane = h.input * inW;
  const outPlane = h.output * w.output;
  const outW = w.output;
  const sw = w.stride;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const xc = xOffset + c * plane;
    for (let kh = 0; kh < h.kernel; kh++) {
      const [ohLo, ohHi] = outputsReadingTap(h, kh);
      const hOffset = kh * h.dilation - h.padBefore;
      for (let kw = 0; kw < w.kernel; kw++) {
        const [owLo, owHi] = outputsReadingTap(w, kw);
        const wOffset = kw * w.dilation - w.padBefore;
        const base = row * outPlane;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const src = base + oh * outW;
          const dst = xc + (oh * h.stride + hOffset) * inW + wOffset;
          for (let ow = owLo; ow < owHi; ow++) {
            const i = dst + ow * sw;
            x[i] = x[i]! + cols[src + ow]!;
          }
        }
        row++;
      }
    }
  }
}
