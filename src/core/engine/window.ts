// The window gather shared by im2col, col2im and pooling. Every size comes from the geometry
// record (`computeWindowGeometry` in ../geometry.ts, or the transposed-convolution record); this
// file only turns it into input coordinates: output o, tap t reads input o·S − padBefore + t·D.

import type { TransposedAxis, WindowAxis } from '../geometry';

/** The fields of a geometry axis the gather reads. `WindowAxis` has them all. */
export type GatherAxis = Pick<WindowAxis, 'input' | 'kernel' | 'stride' | 'dilation' | 'padBefore' | 'output'>;

export interface GatherGeometry {
  h: GatherAxis;
  w: GatherAxis;
}

/** First input coordinate of output o's window (may be negative: inside the padding). */
export function windowStart(axis: GatherAxis, o: number): number {
  return o * axis.stride - axis.padBefore;
}

/**
 * For tap t, the outputs [lo, hi) whose tap t falls inside the input: ranges instead of per-element
 * bounds checks keep the im2col inner loop branch-free.
 */
export function outputsReadingTap(axis: GatherAxis, t: number): [number, number] {
  const offset = t * axis.dilation - axis.padBefore;
  // o·S + offset ≥ 0  and  o·S + offset ≤ input − 1
  const lo = Math.max(0, Math.ceil(-offset / axis.stride));
  const hi = Math.min(axis.output, Math.floor((axis.input - 1 - offset) / axis.stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/** For output o, the taps [lo, hi) that fall inside the input. */
export function tapsInside(axis: GatherAxis, o: number): [number, number] {
  const start = windowStart(axis, o);
  const d = axis.dilation;
  const lo = start >= 0 ? 0 : Math.ceil(-start / d);
  const hi = Math.min(axis.kernel, Math.floor((axis.input - 1 - start) / d) + 1);
  return [Math.min(lo, axis.kernel), Math.max(Math.min(lo, axis.kernel), hi)];
}

/**
 * The gather geometry of a transposed convolution: it scatters exactly where the convolution with
 * the same kernel, stride, padding and dilation gathers, from the transposed output (the
 * convolution's input) to the transposed input (the convolution's output).
 */
export function transposedGather(t: { h: TransposedAxis; w: TransposedAxis }): GatherGeometry {
  const axis = (a: TransposedAxis): GatherAxis => ({
    input: a.output,
    kernel: a.kernel,
    stride: a.stride,
    dilation: a.dilation,
    padBefore: a.padding,
    output: a.input,
  });
  return { h: axis(t.h), w: axis(t.w) };
}
