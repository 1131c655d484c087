// What the im2col view of a conv layer shows: the column matrix's dimensions, which output
// position a row stands for, the input taps its window reads, and the row itself, gathered by the
// engine's own im2col (one output row band at a time) so the view shows exactly what the engine
// multiplies. Pure: no DOM.
//
// The engine stores the matrix transposed (Caffe's layout: (C·FH·FW) rows × (OH·OW) columns);
// the view presents the textbook orientation, one row per output position:
// (N·OH·OW) × ((C/groups)·FH·FW), per group.

import type { AnalyzedLayer } from '../../src/core';
import { im2col } from '../../src/core/engine/im2col';
import type { WindowGeometry } from '../../src/core';

export interface Im2colShape {
  batch: number;
  channels: number;
  groups: number;
  /** Input channels one group reads. */
  channelsPerGroup: number;
  kernelH: number;
  kernelW: number;
  inputH: number;
  inputW: number;
  outputH: number;
  outputW: number;
  /** N·OH·OW */
  rows: number;
  /** (C/groups)·FH·FW */
  cols: number;
  geometry: WindowGeometry;
}

/** The im2col matrix of a conv2d layer, or undefined for any other layer (or one with errors). */
export function im2colShape(layer: AnalyzedLayer): Im2colShape | undefined {
  const input = layer.inputShapes[0];
  if (layer.kind !== 'conv2d' || layer.geometry === undefined || input == null || input.length !== 4) return undefined;
  const [batch = 1, channels = 1] = input;
  const groups = typeof layer.attrs['groups'] === 'number' ? layer.attrs['groups'] : 1;
  const g = layer.geometry;
  const channelsPerGroup = channels / groups;
  return {
    batch,
    channels,
    groups,
    channelsPerGroup,
    kernelH: g.h.kernel,
    kernelW: g.w.kernel,
    inputH: g.h.input,
    inputW: g.w.input,
    outputH: g.h.output,
    outputW: g.w.output,
    rows: batch * g.h.output * g.w.output,
    cols: channelsPerGroup * g.h.kernel * g.w.kernel,
    geometry: g,
  };
}

/** "(N·OH·OW) × (C·FH·FW) = (1·28·28) × (1·5·5) = 784 × 25", with "/groups" when grouped. */
export function formatIm2colDims(s: Im2colShape): string {
  const c = s.groups === 1 ? `${s.channels}` : `${s.channels}/${s.groups}`;
  const colsSymbol = s.groups === 1 ? 'C·FH·FW' : '(C/groups)·FH·FW';
  const perGroup = s.groups === 1 ? '' : `, per group (${s.groups} groups)`;
  return `(N·OH·OW) × (${colsSymbol}) = (${s.batch}·${s.outputH}·${s.outputW}) × (${c}·${s.kernelH}·${s.kernelW}) = ${s.rows} × ${s.cols}${perGroup}`;
}

/** Row r of the matrix stands for output position (n, oh, ow). */
export function rowPosition(s: Im2colShape, row: number): { n: number; oh: number; ow: number } {
  const plane = s.outputH * s.outputW;
  const n = Math.floor(row / plane);
  const rest = row - n * plane;
  return { n, oh: Math.floor(rest / s.outputW), ow: rest % s.outputW };
}

/** Input coordinates each tap of output (oh, ow)'s window reads; outside [0, H) / [0, W) is padding. */
export function windowTaps(s: Im2colShape, oh: number, ow: number): { rows: number[]; cols: number[] } {
  const { h, w } = s.geometry;
  const rows = Array.from({ length: h.kernel }, (_, k) => oh * h.stride - h.padBefore + k * h.dilation);
  const cols = Array.from({ length: w.kernel }, (_, k) => ow * w.stride - w.padBefore + k * w.dilation);
  return { rows, cols };
}

/**
 * The matrix row of output (oh, ow) for one group: (C/groups)·FH·FW values ordered (c, kh, kw),
 * zeros where the window lies in the padding. `item` is one batch item of the layer input
 * (C·H·W values).
 */
export function im2colRow(s: Im2colShape, item: Float32Array, group: number, oh: number, ow: number): Float32Array {
  const band = new Float32Array(s.cols * s.outputW);
  const offset = group * s.channelsPerGroup * s.inputH * s.inputW;
  im2col(item, offset, s.channelsPerGroup, s.geometry, band, 0, oh, oh + 1);
  const row = new Float32Array(s.cols);
  for (let k = 0; k < s.cols; k++) row[k] = band[k * s.outputW + ow]!;
  return row;
}
