// What the preview shows about a tensor: how it splits into heatmaps (the planes of batch item 0),
// each plane's min / max / non-zero count, and a histogram. Pure: no DOM.

import type { PlaneStats, WasmGemm } from '../../src/core/engine/wasm/index';
import type { HeatmapStats } from '../../src/shared/preview-messages';

/** How batch item 0 of a tensor is laid out as heatmaps. */
export interface PlaneLayout {
  /** Number of heatmaps: C for [N, C, H, W] (and [N, C, L]); 1 for [N, F]. */
  planes: number;
  height: number;
  width: number;
  /** Elements of one batch item (planes · height · width). */
  itemSize: number;
}

/**
 * [N, C, H, W] → C planes of H × W; [N, C, L] → C planes of 1 × L; [N, F] → 1 plane of 1 × F;
 * anything else → one row of everything after N.
 */
export function planeLayout(shape: readonly number[]): PlaneLayout {
  const rest = shape.slice(1);
  const itemSize = rest.reduce((a, b) => a * b, 1);
  if (rest.length === 3) return { planes: rest[0]!, height: rest[1]!, width: rest[2]!, itemSize };
  if (rest.length === 2) return { planes: rest[0]!, height: 1, width: rest[1]!, itemSize };
  return { planes: 1, height: 1, width: itemSize, itemSize };
}

export function planeStats(data: ArrayLike<number>, offset: number, length: number): HeatmapStats {
  let min = Infinity,
    max = -Infinity,
    nonZero = 0;
  for (let i = offset; i < offset + length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v !== 0) nonZero++;
  }
  return { min, max, nonZero, count: length };
}

/** Stats of every heatmap of batch item 0, as objects (the panels' colour ranges). */
export function tensorStats(shape: readonly number[], data: Float32Array): HeatmapStats[] {
  return statsRows(tensorStatsTable(shape, data));
}

/**
 * The statistics of every heatmap of batch item 0, as columns: what the worker sends the page
 * after a run. Typed arrays cost the two threads a copy (or a transfer); one object per heatmap,
 * tens of thousands for ResNet-50, cost tens of milliseconds of serialization on each side.
 */
export interface StatsTable extends PlaneStats {
  /** Values per heatmap (the same for all). */
  count: number;
}

/**
 * The table for a tensor, by the module's SIMD loop when `wasm` is given (the data may live in the
 * module's memory, as the preview's outputs do) and by `planeStats` otherwise.
 */
export function tensorStatsTable(shape: readonly number[], data: Float32Array, wasm?: Pick<WasmGemm, 'planeStats'>): StatsTable {
  const layout = planeLayout(shape);
  const size = layout.height * layout.width;
  if (wasm !== undefined) return { ...wasm.planeStats(data, layout.planes, size), count: size };
  const table: StatsTable = {
    min: new Float32Array(layout.planes),
    max: new Float32Array(layout.planes),
    nonZero: new Uint32Array(layout.planes),
    count: size,
  };
  for (let p = 0; p < layout.planes; p++) {
    const s = planeStats(data, p * size, size);
    table.min[p] = s.min;
    table.max[p] = s.max;
    table.nonZero[p] = s.nonZero;
  }
  return table;
}

/** A table of no heatmaps (a layer without an output). */
export function emptyStatsTable(): StatsTable {
  return { min: new Float32Array(0), max: new Float32Array(0), nonZero: new Uint32Array(0), count: 0 };
}

/** The table's first `limit` heatmaps as objects (the views and the report to the extension). */
export function statsRows(table: StatsTable, limit = Infinity): HeatmapStats[] {
  const n = Math.min(table.min.length, limit);
  return Array.from({ length: n }, (_, p) => ({ min: table.min[p]!, max: table.max[p]!, nonZero: table.nonZero[p]!, count: table.count }));
}

/** The buffers behind a table, to transfer with it. */
export function statsBuffers(table: StatsTable): ArrayBuffer[] {
  return [table.min.buffer, table.max.buffer, table.nonZero.buffer] as ArrayBuffer[];
}

/** The finite range over several heatmaps; [0, 0] when there is none. */
export function combinedRange(stats: readonly HeatmapStats[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const s of stats) {
    if (Number.isFinite(s.min) && s.min < lo) lo = s.min;
    if (Number.isFinite(s.max) && s.max > hi) hi = s.max;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

export interface Histogram {
  lo: number;
  hi: number;
  counts: Uint32Array;
  /** Values outside [lo, hi] or not finite. */
  skipped: number;
}

/** `bins` equal bins over [lo, hi]; the last bin includes hi. */
export function histogram(data: ArrayLike<number>, offset: number, length: number, bins: number, lo: number, hi: number): Histogram {
  const counts = new Uint32Array(bins);
  const span = hi - lo;
  let skipped = 0;
  for (let i = offset; i < offset + length; i++) {
    const v = data[i]!;
    if (!(v >= lo && v <= hi)) {
      skipped++;
      continue;
    }
    const b = span === 0 ? 0 : Math.min(bins - 1, Math.floor(((v - lo) / span) * bins));
    counts[b]!++;
  }
  return { lo, hi, counts, skipped };
}
